import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFingerprint, formatSize, verdictView } from '../src/verdict.js';

const FP = 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678';
const good = (verified, bySender = true) => ({
  encrypted: true,
  signatureStatus: 'GOOD',
  signedBySender: bySender,
  signatures: [{ status: 'GOOD', keyId: '1234', fingerprint: FP, signerVerified: verified }],
});

test('encrypted and signed by a verified sender is the good state, naming the signer', () => {
  const v = verdictView(good(true), new Map([[FP, 'Bob <bob@example.org>']]));
  assert.equal(v.tone, 'good');
  assert.equal(v.signature, 'verified');
  assert.deepEqual(v.lines, [
    { key: 'verdictEncrypted', subs: [] },
    { key: 'verdictSignedVerified', subs: ['Bob <bob@example.org>'] },
  ]);
});

test('an unverified key warns, and the fingerprint stands in for an unknown name', () => {
  const v = verdictView(good(false));
  assert.equal(v.tone, 'warn');
  assert.equal(v.signature, 'unverified');
  assert.deepEqual(v.lines[1], { key: 'verdictSignedUnverified', subs: [formatFingerprint(FP)] });
});

test('a signer other than the sender is said, even with a verified key', () => {
  const v = verdictView(good(true, false));
  assert.equal(v.tone, 'warn');
  assert.ok(v.lines.some((l) => l.key === 'verdictNotSender'));
});

test('a bad signature is the bad state', () => {
  const v = verdictView({ encrypted: false, signatureStatus: 'BAD', signatures: [{ status: 'BAD', keyId: '99' }] });
  assert.equal(v.tone, 'bad');
  assert.equal(v.signature, 'bad');
  assert.deepEqual(v.lines[0], { key: 'verdictNotEncrypted', subs: [] });
});

test('unknown, expired and revoked keys and unsigned mail', () => {
  assert.deepEqual(
    verdictView({ encrypted: true, signatureStatus: 'UNKNOWN_KEY', signatures: [{ status: 'UNKNOWN_KEY', keyId: 'ABCD' }] }).lines[1],
    { key: 'verdictUnknownKey', subs: ['ABCD'] },
  );
  assert.equal(verdictView({ signatureStatus: 'KEY_REVOKED', signatures: [{ status: 'KEY_REVOKED', keyId: '1', fingerprint: FP }] }).lines[1].key, 'verdictKeyRevoked');
  const plain = verdictView({ encrypted: true, signatureStatus: 'NOT_SIGNED', signatures: [] });
  assert.equal(plain.tone, 'neutral');
  assert.equal(plain.signature, 'unsigned');
});

test('the protected subject is shown when the message carries one', () => {
  const v = verdictView({ ...good(true), protectedHeaders: { scheme: 'RFC9788', fields: { subject: ['Secret plans'] } } });
  assert.equal(v.subject, 'Secret plans');
  assert.deepEqual(v.lines.at(-1), { key: 'verdictProtectedSubject', subs: ['Secret plans'] });
});

test('fingerprints in groups of four and sizes for people', () => {
  assert.equal(formatFingerprint('a1b2c3d4e5f6'), 'A1B2 C3D4 E5F6');
  assert.deepEqual(formatSize(512), { key: 'sizeBytes', subs: ['512'] });
  assert.deepEqual(formatSize(25 * 1024 * 1024), { key: 'sizeMiB', subs: ['25.0'] });
});

test('removed remote content is said', () => {
  assert.ok(verdictView({ ...good(true), remoteContentRemoved: true }).lines.some((l) => l.key === 'verdictRemoteRemoved'));
});
