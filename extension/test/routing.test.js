import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasAutocrypt, headerBlock, headerLength, protectionOf } from '../src/routing.js';

const mime = (ct, body = 'x') => `From - Tue Jan 07 10:00:00 2025\r\nFrom: Bob <bob@example.org>\r\nContent-Type: ${ct}\r\n\r\n${body}`;

test('PGP/MIME encrypted and signed messages are recognised from their Content-Type', () => {
  assert.equal(protectionOf(mime('multipart/encrypted; protocol="application/pgp-encrypted"; boundary=b')), 'encrypted');
  assert.equal(
    protectionOf(mime('multipart/signed;\r\n protocol="application/pgp-signature"; micalg=pgp-sha256; boundary=b')),
    'signed',
  );
});

test('inline PGP is recognised only at the start of a line', () => {
  assert.equal(protectionOf(mime('text/plain', 'Hi\r\n-----BEGIN PGP MESSAGE-----\r\n\r\nhQE…')), 'encrypted');
  assert.equal(protectionOf(mime('text/plain', '-----BEGIN PGP SIGNED MESSAGE-----\r\nHash: SHA256')), 'signed');
  assert.equal(protectionOf(mime('text/plain', 'quoting: -----BEGIN PGP MESSAGE----- is how it starts')), null);
});

test('ordinary mail and S/MIME are left to Thunderbird', () => {
  assert.equal(protectionOf(mime('text/plain', 'hello')), null);
  assert.equal(protectionOf(mime('multipart/signed; protocol="application/pkcs7-signature"; boundary=b')), null);
  assert.equal(protectionOf('garbage without headers'), null);
});

test('folded headers are unfolded and names compared without case', () => {
  const { headers } = headerBlock('Autocrypt: addr=bob@example.org;\r\n keydata=AAAA\r\nSubject: x\r\n\r\nbody');
  assert.equal(headers.get('autocrypt'), 'addr=bob@example.org; keydata=AAAA');
  assert.ok(hasAutocrypt('AUTOCRYPT: addr=a@b; keydata=x\n\nbody'));
  assert.ok(!hasAutocrypt('Subject: x\n\nAutocrypt: in the body'));
});

test('the header block ends at the first blank line', () => {
  assert.equal(headerLength('A: 1\r\nB: 2\r\n\r\nbody'), 14);
  assert.equal(headerLength('A: 1\n\nbody'), 6);
  assert.equal(headerLength('no blank line'), -1);
});
