import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressOf, buildDraft, inlineDetails, parseReferences, recipientsOf, splitAddresses } from '../src/draft.js';
import { base64ToBytes } from '../src/chunks.js';

test('addresses are split on commas outside quotes and brackets', () => {
  assert.deepEqual(splitAddresses(['"Doe, Jane" <jane@example.org>, bob@example.org', 'Carol <carol@example.org>']), [
    '"Doe, Jane" <jane@example.org>',
    'bob@example.org',
    'Carol <carol@example.org>',
  ]);
  assert.deepEqual(splitAddresses(undefined), []);
  assert.deepEqual(splitAddresses([{ id: 'contact-1', type: 'contact' }]), []);
});

test('recipients are every To, Cc and Bcc address once, lower-cased', () => {
  const details = { to: ['Bob <Bob@Example.org>'], cc: ['bob@example.org', 'carol@example.org'], bcc: ['dave@example.org'] };
  assert.deepEqual(recipientsOf(details), ['bob@example.org', 'carol@example.org', 'dave@example.org']);
  assert.equal(addressOf('Alice <alice@example.org>'), 'alice@example.org');
});

test('a plain-text composer becomes a text draft with base64 attachments', () => {
  const details = {
    from: 'Alice <alice@example.org>',
    to: ['Bob <bob@example.org>'],
    cc: [],
    bcc: [],
    subject: 'Plans',
    isPlainText: true,
    plainTextBody: 'Thursday?',
    body: '<p>ignored</p>',
  };
  const bytes = new Uint8Array([0, 1, 2, 250, 255]);
  const d = buildDraft(details, [{ fileName: 'a.bin', mediaType: '', bytes }]);
  assert.deepEqual(
    { from: d.from, to: d.to, subject: d.subject, text: d.text, html: d.html },
    { from: 'Alice <alice@example.org>', to: ['Bob <bob@example.org>'], subject: 'Plans', text: 'Thursday?', html: undefined },
  );
  assert.equal(d.attachments[0].mediaType, 'application/octet-stream');
  assert.deepEqual(base64ToBytes(d.attachments[0].data), bytes);
});

test('an HTML composer sends both the HTML and its text rendering', () => {
  const d = buildDraft({ from: 'a@example.org', to: ['b@example.org'], isPlainText: false, body: '<b>hi</b>', plainTextBody: 'hi' });
  assert.equal(d.html, '<b>hi</b>');
  assert.equal(d.text, 'hi');
  assert.equal(d.attachments, undefined);
});

test('a reply threads with In-Reply-To and References', () => {
  const d = buildDraft({ from: 'a@example.org', to: ['b@example.org'], isPlainText: true, plainTextBody: '' }, [], {
    headerMessageId: 'm2@example.org',
    references: parseReferences('<m0@example.org> <m1@example.org>'),
  });
  assert.equal(d.inReplyTo, '<m2@example.org>');
  assert.deepEqual(d.references, ['<m0@example.org>', '<m1@example.org>', '<m2@example.org>']);
});

test('the inline fallback sends the armored text as a plain-text body', () => {
  assert.deepEqual(inlineDetails({ text: '-----BEGIN PGP MESSAGE-----\n…', attachments: [] }), {
    isPlainText: true,
    plainTextBody: '-----BEGIN PGP MESSAGE-----\n…',
  });
});
