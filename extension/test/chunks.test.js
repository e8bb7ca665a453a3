import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  BadChunkError, CHUNK_RAW_BYTES, ChunkAssembler, MAX_FRAME_BYTES, framesFor, isChunk,
} from '../src/chunks.js';

const utf8 = new TextEncoder();

function bigMessage(chars) {
  // Multi-byte characters make byte and character offsets differ, as in real mail.
  const unit = 'Sceau — chiffré 🔏 ';
  return { jsonrpc: '2.0', id: 7, result: { body: unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars) } };
}

test('a message that fits one frame is sent as is', () => {
  const m = { jsonrpc: '2.0', id: 1, method: 'helper.ping', params: {} };
  assert.deepEqual(framesFor(m, 's1'), [m]);
});

test('a 5 MiB message splits into frames under 1 MiB and reassembles exactly', () => {
  const m = bigMessage(5 * 1024 * 1024);
  const frames = framesFor(m, 's1');
  assert.ok(frames.length >= 8);
  for (const f of frames) {
    assert.ok(isChunk(f));
    assert.ok(utf8.encode(JSON.stringify(f)).length <= MAX_FRAME_BYTES);
  }
  const a = new ChunkAssembler();
  let out = null;
  frames.forEach((f, i) => {
    out = a.accept(f);
    if (i < frames.length - 1) assert.equal(out, null);
  });
  assert.deepEqual(out, m);
});

test('a chunk out of order is refused and its stream dropped', () => {
  const frames = framesFor(bigMessage(2 * CHUNK_RAW_BYTES), 's1');
  const a = new ChunkAssembler();
  a.accept(frames[0]);
  assert.throws(() => a.accept(frames[2]), BadChunkError);
  assert.throws(() => a.accept(frames[1]), /did not start with seq 0/);
});

test('an announced size over the limit is refused before anything is buffered', () => {
  const a = new ChunkAssembler(1000);
  assert.throws(
    () => a.accept({ method: 'rpc.chunk', params: { stream: 'x', seq: 0, count: 1, size: 4e9, data: '' } }),
    /over the limit/,
  );
});

test('data longer than announced, bad base64 and bad fields are refused', () => {
  const a = new ChunkAssembler();
  assert.throws(() => a.accept({ method: 'rpc.chunk', params: { stream: 'x', seq: 0, count: 1, size: 1, data: 'AAAA' } }), /longer/);
  assert.throws(() => a.accept({ method: 'rpc.chunk', params: { stream: 'x', seq: 0, count: 1, size: 3, data: '***' } }), /base64/);
  assert.throws(() => a.accept({ method: 'rpc.chunk', params: { stream: 'x', seq: '0', count: 1, size: 3, data: '' } }), /integer/);
  assert.throws(() => a.accept({ method: 'rpc.chunk', params: { seq: 0, count: 1, size: 3, data: '' } }), /stream/);
});

test('at most four chunked messages may be open at once', () => {
  const a = new ChunkAssembler();
  for (let i = 0; i < 4; i++) {
    a.accept(framesFor(bigMessage(2 * CHUNK_RAW_BYTES), `s${i}`)[0]);
  }
  assert.throws(() => a.accept(framesFor(bigMessage(2 * CHUNK_RAW_BYTES), 's9')[0]), /too many/);
});

test('reads the chunk format the Java helper writes', () => {
  // Written by org.sceau.app.rpc.Chunks.split; ChunksTest on the Java side checks it still matches.
  const fixture = JSON.parse(readFileSync(new URL('fixtures/java-chunks.json', import.meta.url), 'utf8'));
  const a = new ChunkAssembler();
  let out = null;
  for (const frame of fixture.frames) out = a.accept(frame);
  assert.deepEqual(out, fixture.message);
});
