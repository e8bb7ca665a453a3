// The add-on's only way to the helper: a native-messaging port to sceau-bridge, JSON-RPC 2.0 over
// it, chunking for large messages. No cryptography and no key material ever live on this side.

import { ChunkAssembler, framesFor, isChunk } from './chunks.js';

export const HOST_NAME = 'org.sceau.bridge';
const DEFAULT_TIMEOUT_MS = 30_000;

/** A failure the UI can explain: `type` is a stable code (see docs/rpc.md), `message` English. */
export class HelperError extends Error {
  constructor(type, message, data = undefined) {
    super(message);
    this.name = 'HelperError';
    this.type = type;
    this.data = data;
  }
}

/**
 * Gecko reports a missing host, a manifest that does not allow us, and a host that cannot run with
 * generic texts (../shared/thunderbird RECIPE §5): map them to what the user should do.
 */
export function classifyPortError(error) {
  const text = (error && error.message) || '';
  if (/No such native application/i.test(text)) {
    return new HelperError('NOT_INSTALLED', text);
  }
  if (/unexpected error/i.test(text)) {
    return new HelperError('BRIDGE_FAILED', text);
  }
  return new HelperError('BRIDGE_DISCONNECTED', text || 'The connection to the helper closed.');
}

export class HelperClient {
  /** @param connect () => Port, e.g. () => browser.runtime.connectNative(HOST_NAME) */
  constructor(connect, { timeoutMs = DEFAULT_TIMEOUT_MS, onNotification = () => {} } = {}) {
    this.connectPort = connect;
    this.timeoutMs = timeoutMs;
    this.onNotification = onNotification;
    this.port = null;
    this.pending = new Map();
    this.nextId = 1;
    this.nextStream = 1;
    this.assembler = null;
    this.unreachable = null;
  }

  /**
   * Calls a helper method; resolves with its result or rejects with a HelperError. With
   * `{ retry: true }` (only for calls that are safe to repeat, like status reads) a call lost because
   * the bridge went away — the helper restarted — is sent once more on a new port.
   */
  async call(method, params = {}, { retry = false } = {}) {
    try {
      return await this.#callOnce(method, params);
    } catch (e) {
      if (retry && e instanceof HelperError && e.type === 'BRIDGE_DISCONNECTED') {
        return this.#callOnce(method, params);
      }
      throw e;
    }
  }

  #callOnce(method, params) {
    const port = this.#ensurePort();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new HelperError('TIMEOUT', `The helper did not answer ${method} in time.`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      try {
        for (const frame of framesFor({ jsonrpc: '2.0', id, method, params }, `a${this.nextStream++}`)) {
          port.postMessage(frame);
        }
      } catch (e) {
        this.#settle(id, null, new HelperError('BRIDGE_DISCONNECTED', String(e.message || e)));
      }
    });
  }

  disconnect() {
    if (this.port) {
      const port = this.port;
      this.port = null;
      port.disconnect();
      this.#failAll(new HelperError('BRIDGE_DISCONNECTED', 'Disconnected.'));
    }
  }

  #ensurePort() {
    if (this.port) return this.port;
    const port = this.connectPort();
    this.port = port;
    this.assembler = new ChunkAssembler();
    this.unreachable = null;
    port.onMessage.addListener((message) => this.#receive(message));
    port.onDisconnect.addListener((p) => {
      if (this.port === port) this.port = null;
      const error = this.unreachable || classifyPortError(p && p.error);
      this.#failAll(error);
    });
    return port;
  }

  #receive(message) {
    if (isChunk(message)) {
      let whole;
      try {
        whole = this.assembler.accept(message);
      } catch (e) {
        this.#failAll(new HelperError('BAD_CHUNK', e.message));
        return;
      }
      if (whole === null) return;
      message = whole;
    }
    if (message === null || typeof message !== 'object') return;
    if (message.id === undefined || message.id === null) {
      if (message.method === 'helper.unreachable') {
        const p = message.params || {};
        this.unreachable = new HelperError('HELPER_UNREACHABLE', p.message || 'Helper unreachable.');
      }
      if (message.method) {
        this.onNotification(message);
      } else if (message.error) {
        // An error the helper could not tie to a request (e.g. a frame it refused): fail them all.
        this.#failAll(errorFrom(message.error));
      }
      return;
    }
    if (message.error) this.#settle(message.id, null, errorFrom(message.error));
    else this.#settle(message.id, message.result, null);
  }

  #settle(id, result, error) {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    clearTimeout(entry.timer);
    if (error) entry.reject(error);
    else entry.resolve(result);
  }

  #failAll(error) {
    for (const id of [...this.pending.keys()]) this.#settle(id, null, error);
  }
}

function errorFrom(e) {
  const type = (e && e.data && e.data.type) || 'ERROR';
  return new HelperError(type, (e && e.message) || type, e && e.data);
}
