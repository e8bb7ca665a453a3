import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HelperClient, HelperError, classifyPortError } from '../src/helper-client.js';
import { framesFor } from '../src/chunks.js';

/** A stand-in for Thunderbird's native Port: the seam is ours, the helper is not simulated. */
function fakePort() {
  const port = {
    sent: [],
    messageListeners: [],
    disconnectListeners: [],
    error: null,
    postMessage(m) { port.sent.push(m); },
    disconnect() {},
    onMessage: { addListener(f) { port.messageListeners.push(f); } },
    onDisconnect: { addListener(f) { port.disconnectListeners.push(f); } },
    deliver(m) { port.messageListeners.forEach((f) => f(m)); },
    drop(message) {
      port.error = message ? { message } : null;
      port.disconnectListeners.forEach((f) => f(port));
    },
  };
  return port;
}

test('a call sends JSON-RPC 2.0 and resolves with the result', async () => {
  const port = fakePort();
  const c = new HelperClient(() => port);
  const p = c.call('helper.status');
  assert.equal(port.sent[0].jsonrpc, '2.0');
  assert.equal(port.sent[0].method, 'helper.status');
  port.deliver({ jsonrpc: '2.0', id: port.sent[0].id, result: { version: '0.1.0' } });
  assert.deepEqual(await p, { version: '0.1.0' });
});

test('a typed helper error rejects with its type', async () => {
  const port = fakePort();
  const c = new HelperClient(() => port);
  const p = c.call('vault.unlock', {});
  port.deliver({ jsonrpc: '2.0', id: port.sent[0].id, error: { code: -32010, message: 'locked', data: { type: 'VAULT_LOCKED' } } });
  await assert.rejects(p, (e) => e instanceof HelperError && e.type === 'VAULT_LOCKED');
});

test('a chunked response is reassembled before it resolves', async () => {
  const port = fakePort();
  const c = new HelperClient(() => port);
  const p = c.call('helper.ping', { echo: 'x' });
  const body = 'é'.repeat(1_500_000);
  for (const f of framesFor({ jsonrpc: '2.0', id: port.sent[0].id, result: { echo: body } }, 'h1')) port.deliver(f);
  assert.equal((await p).echo, body);
});

test('a large request is sent as chunks', () => {
  const port = fakePort();
  const c = new HelperClient(() => port, { timeoutMs: 10 });
  c.call('helper.ping', { echo: 'a'.repeat(3 * 1024 * 1024) }).catch(() => {});
  assert.ok(port.sent.length > 1);
  assert.ok(port.sent.every((f) => f.method === 'rpc.chunk'));
});

test('a missing host is reported as NOT_INSTALLED and pending calls fail', async () => {
  const port = fakePort();
  const c = new HelperClient(() => port);
  const p = c.call('helper.status');
  port.drop('No such native application org.sceau.bridge');
  await assert.rejects(p, (e) => e.type === 'NOT_INSTALLED');
});

test('the bridge saying the helper is unreachable is passed on', async () => {
  const port = fakePort();
  const c = new HelperClient(() => port);
  const p = c.call('helper.status');
  port.deliver({ jsonrpc: '2.0', method: 'helper.unreachable', params: { type: 'HELPER_UNREACHABLE', message: 'not running' } });
  port.deliver({ jsonrpc: '2.0', id: port.sent[0].id, error: { code: -32003, message: 'not running', data: { type: 'HELPER_UNREACHABLE' } } });
  await assert.rejects(p, (e) => e.type === 'HELPER_UNREACHABLE');
});

test('after a disconnect the next call opens a new port', async () => {
  const ports = [fakePort(), fakePort()];
  let n = 0;
  const c = new HelperClient(() => ports[n++]);
  const first = c.call('helper.ping');
  ports[0].drop(null);
  await assert.rejects(first, (e) => e.type === 'BRIDGE_DISCONNECTED');
  const second = c.call('helper.ping');
  ports[1].deliver({ jsonrpc: '2.0', id: ports[1].sent[0].id, result: { pong: true } });
  assert.deepEqual(await second, { pong: true });
});

test('a call that gets no answer times out with a typed error', async () => {
  const c = new HelperClient(() => fakePort(), { timeoutMs: 20 });
  await assert.rejects(c.call('helper.ping'), (e) => e.type === 'TIMEOUT');
});

test('notifications reach the listener', () => {
  const port = fakePort();
  const seen = [];
  const c = new HelperClient(() => port, { timeoutMs: 10, onNotification: (m) => seen.push(m.method) });
  c.call('helper.ping').catch(() => {});
  port.deliver({ jsonrpc: '2.0', method: 'vault.locked', params: {} });
  assert.deepEqual(seen, ['vault.locked']);
});

test('port errors are classified', () => {
  assert.equal(classifyPortError({ message: 'An unexpected error occurred' }).type, 'BRIDGE_FAILED');
  assert.equal(classifyPortError(null).type, 'BRIDGE_DISCONNECTED');
});

test('a repeatable call lost to a bridge restart is sent again on a new port', async () => {
  const ports = [fakePort(), fakePort()];
  let n = 0;
  const c = new HelperClient(() => ports[n++]);
  const p = c.call('helper.status', {}, { retry: true });
  ports[0].drop(null);
  await new Promise((r) => setImmediate(r));
  ports[1].deliver({ jsonrpc: '2.0', id: ports[1].sent[0].id, result: { version: '0.1.0' } });
  assert.deepEqual(await p, { version: '0.1.0' });
});

test('a call that is not marked repeatable is never sent twice', async () => {
  const ports = [fakePort(), fakePort()];
  let n = 0;
  const c = new HelperClient(() => ports[n++]);
  const p = c.call('mail.send', {});
  ports[0].drop(null);
  await assert.rejects(p, (e) => e.type === 'BRIDGE_DISCONNECTED');
  assert.equal(n, 1);
});
