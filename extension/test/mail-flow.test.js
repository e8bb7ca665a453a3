import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMailFlow } from '../src/mail-flow.js';
import { ComposeStates } from '../src/compose-state.js';
import { HelperError } from '../src/helper-client.js';
import { base64ToBytes, bytesToBase64 } from '../src/chunks.js';

const enc = new TextEncoder();

/** Thunderbird's API as far as the flows use it: the seam, recording what is asked of it. */
function fakeMessenger({ attachments = [], raw = '', displayed = [{ id: 7 }] } = {}) {
  const files = new Map(attachments.map((a, i) => [i + 1, a]));
  const m = {
    log: [],
    compose: {
      async listAttachments() {
        return [...files.entries()].map(([id, a]) => ({ id, name: a.name }));
      },
      async getAttachmentFile(id) {
        const a = files.get(id);
        return new File([a.bytes], a.name, { type: a.type });
      },
      async removeAttachment(tabId, id) {
        m.log.push(['remove', id]);
        files.delete(id);
      },
      async addAttachment(tabId, { file }) {
        m.log.push(['add', file.name, new Uint8Array(await file.arrayBuffer())]);
      },
    },
    messages: {
      async get(id) { return { id, headerMessageId: 'orig@example.org' }; },
      async getFull() { return { headers: { references: ['<root@example.org>'] } }; },
      async getRaw() { return new File([enc.encode(raw)], 'raw.eml'); },
    },
    messageDisplay: { async getDisplayedMessages() { return { messages: displayed }; } },
  };
  return m;
}

/** The helper as the flows see it: scripted answers per method, every call recorded. */
function fakeHelper(answers) {
  const h = {
    calls: [],
    async call(method, params) {
      h.calls.push([method, params]);
      const a = answers[method];
      if (a instanceof Error) throw a;
      return typeof a === 'function' ? a(params) : a;
    },
  };
  return h;
}

function setup({ encrypt = true, sign = false, messenger = fakeMessenger(), answers = {}, settings = { autocryptProcess: true } } = {}) {
  const states = new ComposeStates();
  states.open(1, { encrypt, sign });
  const seen = { errors: [], afterSend: [], locked: [] };
  const helper = fakeHelper(answers);
  const flow = createMailFlow({
    messenger,
    helper,
    states,
    settings: async () => settings,
    recommend: async () => {},
    composeError: async (tab, e) => seen.errors.push(e.type),
    afterSend: (...args) => seen.afterSend.push(args),
    parser: () => { throw new Error('no HTML in these tests'); },
    lockedTab: (id) => seen.locked.push(id),
  });
  return { flow, helper, seen, messenger };
}

const details = {
  from: 'Alice <alice@example.org>', to: ['bob@example.org'], subject: 'Hi', isPlainText: true,
  plainTextBody: 'secret', identityId: 'id1', type: 'reply', relatedMessageId: 3,
};
const tick = () => new Promise((r) => setTimeout(r, 5));

test('with Encrypt off, Thunderbird sends as usual and the helper is not asked', async () => {
  const { flow, helper } = setup({ encrypt: false });
  assert.deepEqual(await flow.beforeSend({ id: 1 }, details), {});
  assert.equal(helper.calls.length, 0);
});

test('with Encrypt on, the send is cancelled, the helper sends, then the copy is filed', async () => {
  const bytes = new Uint8Array(2 * 1024 * 1024).map((_, i) => i % 251);
  const messenger = fakeMessenger({ attachments: [{ name: 'big.bin', type: 'application/x-test', bytes }] });
  const { flow, helper, seen } = setup({ messenger, answers: { 'mail.send': { sent: true, message: 'Q09QWQ==' } } });
  assert.deepEqual(await flow.beforeSend({ id: 1 }, details), { cancel: true });
  const [method, { draft }] = helper.calls[0];
  assert.equal(method, 'mail.send');
  assert.equal(draft.text, 'secret');
  assert.equal(draft.inReplyTo, '<orig@example.org>');
  assert.deepEqual(draft.references, ['<root@example.org>', '<orig@example.org>']);
  assert.deepEqual(base64ToBytes(draft.attachments[0].data), bytes);
  assert.equal(draft.attachments[0].mediaType, 'application/x-test');
  await tick();
  assert.deepEqual(seen.afterSend, [[1, 'id1', 'Q09QWQ==']]);
});

test('a helper error cancels the send and is shown; the draft stays', async () => {
  for (const type of ['NO_KEY_FOR_RECIPIENT', 'VAULT_LOCKED', 'AUTH_FAILED', 'SMTP_UNAVAILABLE']) {
    const { flow, seen } = setup({ answers: { 'mail.send': new HelperError(type, 'x') } });
    assert.deepEqual(await flow.beforeSend({ id: 1 }, details), { cancel: true });
    assert.deepEqual(seen.errors, [type]);
    await tick();
    assert.deepEqual(seen.afterSend, [], 'nothing filed, the composer stays open');
  }
});

test('without an SMTP password, Thunderbird sends the helper\'s inline-PGP form instead', async () => {
  const messenger = fakeMessenger({ attachments: [{ name: 'plain.txt', type: 'text/plain', bytes: enc.encode('clear') }] });
  const armored = '-----BEGIN PGP MESSAGE-----\n\nwcBM\n-----END PGP MESSAGE-----\n';
  const { flow, helper, seen } = setup({
    messenger,
    answers: {
      'mail.send': new HelperError('SMTP_PASSWORD_MISSING', 'no password'),
      'mail.encryptInline': { text: armored, attachments: [{ fileName: 'plain.txt.pgp', mediaType: 'application/octet-stream', data: bytesToBase64(enc.encode('PGP')) }] },
    },
  });
  assert.deepEqual(await flow.beforeSend({ id: 1 }, details), { details: { isPlainText: true, plainTextBody: armored } });
  assert.deepEqual(helper.calls.map((c) => c[0]), ['mail.send', 'mail.encryptInline']);
  assert.deepEqual(messenger.log.map((l) => l.slice(0, 2)), [['remove', 1], ['add', 'plain.txt.pgp']]);
  assert.deepEqual(messenger.log[1][2], enc.encode('PGP'));
  assert.deepEqual(seen.errors, []);
});

test('with Sign alone, the send is cancelled, the helper sends it signed only, then the copy is filed', async () => {
  const messenger = fakeMessenger({ attachments: [{ name: 'a.txt', type: 'text/plain', bytes: enc.encode('hi') }] });
  const { flow, helper, seen } = setup({
    encrypt: false, sign: true, messenger, answers: { 'mail.send': { sent: true, message: 'U0lHTkVE' } },
  });
  assert.deepEqual(await flow.beforeSend({ id: 1 }, details), { cancel: true });
  assert.equal(helper.calls.length, 1);
  const [method, params] = helper.calls[0];
  assert.equal(method, 'mail.send');
  assert.equal(params.encrypt, false, 'signed only: the helper is told not to encrypt');
  assert.equal(params.draft.text, 'secret');
  assert.equal(params.draft.attachments[0].fileName, 'a.txt');
  await tick();
  assert.deepEqual(seen.afterSend, [[1, 'id1', 'U0lHTkVE']]);
  assert.deepEqual(seen.errors, []);
});

test('with Encrypt on the helper is never told encrypt:false, whatever Sign says', async () => {
  const { flow, helper } = setup({ encrypt: true, sign: false, answers: { 'mail.send': { sent: true, message: 'eA==' } } });
  assert.deepEqual(await flow.beforeSend({ id: 1 }, details), { cancel: true });
  assert.equal('encrypt' in helper.calls[0][1], false);
});

test('Sign alone without an SMTP password: Thunderbird sends the cleartext-signed text, attachments untouched', async () => {
  const messenger = fakeMessenger({ attachments: [{ name: 'plain.txt', type: 'text/plain', bytes: enc.encode('clear') }] });
  const signed = '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nsecret\n-----BEGIN PGP SIGNATURE-----\n\nwnUE\n-----END PGP SIGNATURE-----\n';
  const { flow, helper, seen } = setup({
    encrypt: false,
    sign: true,
    messenger,
    answers: {
      'mail.send': new HelperError('SMTP_PASSWORD_MISSING', 'no password'),
      'mail.signInline': { text: signed },
    },
  });
  assert.deepEqual(await flow.beforeSend({ id: 1 }, details), { details: { isPlainText: true, plainTextBody: signed } });
  assert.deepEqual(helper.calls.map((c) => c[0]), ['mail.send', 'mail.signInline']);
  assert.deepEqual(helper.calls[1][1].draft.text, 'secret');
  assert.deepEqual(messenger.log, [], 'the attachments are left as they are');
  assert.deepEqual(seen.errors, []);
});

test('a helper error with Sign alone cancels the send and is shown; the draft stays', async () => {
  for (const type of ['NO_SECRET_KEY', 'VAULT_LOCKED', 'AUTH_FAILED']) {
    const { flow, seen } = setup({ encrypt: false, sign: true, answers: { 'mail.send': new HelperError(type, 'x') } });
    assert.deepEqual(await flow.beforeSend({ id: 1 }, details), { cancel: true });
    assert.deepEqual(seen.errors, [type]);
    await tick();
    assert.deepEqual(seen.afterSend, []);
  }
  const { flow, seen } = setup({
    encrypt: false,
    sign: true,
    answers: { 'mail.send': new HelperError('SMTP_PASSWORD_MISSING', 'x'), 'mail.signInline': new HelperError('VAULT_LOCKED', 'x') },
  });
  assert.deepEqual(await flow.beforeSend({ id: 1 }, details), { cancel: true });
  assert.deepEqual(seen.errors, ['VAULT_LOCKED']);
});

const PGP_MIME = 'From: Bob <bob@example.org>\r\nAutocrypt: addr=bob@example.org; keydata=AAAA\r\n' +
  'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary=b\r\n\r\n--b--\r\n';

test('an encrypted message is decrypted by the helper and comes back as a verdict and text', async () => {
  const { flow, helper } = setup({
    messenger: fakeMessenger({ raw: PGP_MIME }),
    answers: {
      'mail.autocrypt.process': {},
      'mail.decrypt': {
        encrypted: true, signatureStatus: 'GOOD', signedBySender: true, text: 'Thursday.',
        signatures: [{ status: 'GOOD', keyId: '1', fingerprint: 'F1', signerVerified: true }],
        attachments: [{ fileName: 'a.txt', mediaType: 'text/plain', size: 1, data: 'YQ==' }],
        attachedKeys: [
          { fingerprint: 'F2', userIds: ['Carol <carol@example.org>'], known: false, fileName: 'OpenPGP_0xF2.asc' },
          { fingerprint: 'F1', userIds: ['Bob <bob@example.org>'], known: true, fileName: 'bob.asc' },
        ],
        unencryptedParts: [{ mediaType: 'text/plain', text: '-- list footer', encrypted: false }],
      },
      'keys.list': { keys: [{ fingerprint: 'F1', userIds: ['Bob <bob@example.org>'] }] },
    },
  });
  const shown = await flow.openDisplayed(5);
  assert.equal(shown.text, 'Thursday.');
  assert.equal(shown.view.signature, 'verified');
  assert.deepEqual(shown.view.lines[1], { key: 'verdictSignedVerified', subs: ['Bob <bob@example.org>'] });
  assert.equal(shown.attachments[0].fileName, 'a.txt');
  assert.deepEqual(shown.attachedKeys, [{ fingerprint: 'F2', userIds: ['Carol <carol@example.org>'], fileName: 'OpenPGP_0xF2.asc' }]);
  assert.deepEqual(shown.outside, [{ text: '-- list footer' }]);
  const methods = helper.calls.map((c) => c[0]);
  assert.deepEqual(methods, ['mail.autocrypt.process', 'mail.decrypt', 'keys.list']);
  assert.equal(new TextDecoder().decode(base64ToBytes(helper.calls[1][1].raw)), PGP_MIME);
});

test('ordinary mail is left alone and never sent to the helper', async () => {
  const { flow, helper } = setup({ messenger: fakeMessenger({ raw: 'From: a@b\r\nContent-Type: text/plain\r\n\r\nhello' }) });
  assert.deepEqual(await flow.openDisplayed(5), { skip: true });
  assert.equal(helper.calls.length, 0);
});

test('a locked vault answers with the unlock action and remembers the tab', async () => {
  const { flow, seen } = setup({
    messenger: fakeMessenger({ raw: PGP_MIME }),
    settings: { autocryptProcess: false },
    answers: { 'mail.decrypt': new HelperError('VAULT_LOCKED', 'locked') },
  });
  const shown = await flow.openDisplayed(5);
  assert.equal(shown.error.type, 'VAULT_LOCKED');
  assert.equal(shown.errorView.action, 'unlock');
  assert.deepEqual(seen.locked, [5]);
});

test('a large message goes whole to the helper once; Autocrypt gets its headers only', async () => {
  const big = PGP_MIME + 'x'.repeat(2 * 1024 * 1024);
  const { flow, helper } = setup({
    messenger: fakeMessenger({ raw: big }),
    answers: { 'mail.autocrypt.process': {}, 'mail.decrypt': { encrypted: true, signatureStatus: 'NOT_SIGNED', text: '' }, 'keys.list': { keys: [] } },
  });
  await flow.openDisplayed(5);
  const [autocrypt, decrypt] = helper.calls;
  const head = new TextDecoder().decode(base64ToBytes(autocrypt[1].raw));
  assert.ok(head.startsWith('From: Bob') && head.endsWith('\r\n\r\n') && head.length < 400, head);
  assert.equal(base64ToBytes(decrypt[1].raw).length, big.length);
});
