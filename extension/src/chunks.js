// Large messages travel as ordered `rpc.chunk` notifications (docs/rpc.md): the UTF-8 bytes of one
// JSON-RPC message, cut into slices of at most 640 KiB, each base64-encoded. Thunderbird closes the
// native port on a host→add-on message over 1 MiB, and the helper applies the same limit both ways.

export const CHUNK_METHOD = 'rpc.chunk';
export const MAX_FRAME_BYTES = 1024 * 1024;
export const CHUNK_RAW_BYTES = 640 * 1024;
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
export const MAX_OPEN_STREAMS = 4;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function bytesToBase64(bytes) {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + step));
  }
  return btoa(binary);
}

export function base64ToBytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The frames to post for one message: the message itself when it fits, else chunk notifications.
 * Frames are objects, as `port.postMessage` takes them.
 */
export function framesFor(message, streamName) {
  const bytes = encoder.encode(JSON.stringify(message));
  if (bytes.length <= MAX_FRAME_BYTES) return [message];
  if (bytes.length > MAX_MESSAGE_BYTES) {
    throw new RangeError(`message of ${bytes.length} bytes is over the 64 MiB limit`);
  }
  const count = Math.ceil(bytes.length / CHUNK_RAW_BYTES);
  const frames = [];
  for (let seq = 0; seq < count; seq++) {
    const slice = bytes.subarray(seq * CHUNK_RAW_BYTES, (seq + 1) * CHUNK_RAW_BYTES);
    frames.push({
      jsonrpc: '2.0',
      method: CHUNK_METHOD,
      params: { stream: streamName, seq, count, size: bytes.length, data: bytesToBase64(slice) },
    });
  }
  return frames;
}

export function isChunk(message) {
  return message !== null && typeof message === 'object' && message.method === CHUNK_METHOD;
}

export class BadChunkError extends Error {
  constructor(message) {
    super(message);
    this.name = 'BadChunkError';
    this.type = 'BAD_CHUNK';
  }
}

/** Reassembles chunk streams from one port, with the same bounds as the helper's. */
export class ChunkAssembler {
  constructor(maxMessageBytes = MAX_MESSAGE_BYTES) {
    this.maxMessageBytes = maxMessageBytes;
    this.open = new Map();
  }

  /** Returns the whole parsed message once its last chunk arrived, else null. */
  accept(chunk) {
    const p = chunk.params || {};
    const stream = p.stream;
    if (typeof stream !== 'string' || stream.length === 0 || stream.length > 64) {
      throw new BadChunkError('chunk without a valid stream name');
    }
    try {
      return this.#accept(stream, p);
    } catch (e) {
      this.open.delete(stream);
      throw e;
    }
  }

  #accept(stream, p) {
    const { seq, count, size, data } = p;
    if (![seq, count, size].every(Number.isInteger) || typeof data !== 'string') {
      throw new BadChunkError('chunk needs integer seq, count, size and a base64 data string');
    }
    if (size < 0 || size > this.maxMessageBytes) {
      throw new BadChunkError(`chunked message of ${size} bytes is over the limit`);
    }
    if (count < 1 || count * CHUNK_RAW_BYTES < size || count > Math.max(1, size)) {
      throw new BadChunkError(`chunk count ${count} does not fit size ${size}`);
    }
    let partial = this.open.get(stream);
    if (!partial) {
      if (seq !== 0) throw new BadChunkError(`stream ${stream} did not start with seq 0`);
      if (this.open.size >= MAX_OPEN_STREAMS) {
        throw new BadChunkError('too many chunked messages in progress');
      }
      partial = { count, size, next: 0, filled: 0, bytes: new Uint8Array(size) };
      this.open.set(stream, partial);
    } else if (partial.count !== count || partial.size !== size || partial.next !== seq) {
      throw new BadChunkError(`chunk out of order in stream ${stream}`);
    }
    let slice;
    try {
      slice = base64ToBytes(data);
    } catch {
      throw new BadChunkError('chunk data is not base64');
    }
    if (slice.length > CHUNK_RAW_BYTES || partial.filled + slice.length > size) {
      throw new BadChunkError('chunk data longer than announced');
    }
    partial.bytes.set(slice, partial.filled);
    partial.filled += slice.length;
    partial.next++;
    if (partial.next < count) return null;
    this.open.delete(stream);
    if (partial.filled !== size) throw new BadChunkError('chunked message shorter than announced');
    let text;
    try {
      text = decoder.decode(partial.bytes);
      return JSON.parse(text);
    } catch {
      throw new BadChunkError('chunked message is not valid UTF-8 JSON');
    }
  }
}
