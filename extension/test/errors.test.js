import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorView } from '../src/errors.js';
import { HelperError } from '../src/helper-client.js';

test('a locked vault offers to unlock', () => {
  assert.deepEqual(errorView(new HelperError('VAULT_LOCKED', 'locked')), {
    type: 'VAULT_LOCKED', key: 'errorVaultLocked', subs: [], detail: null, action: 'unlock',
  });
});

test('missing recipient keys name the addresses and offer discovery', () => {
  const v = errorView(new HelperError('NO_KEY_FOR_RECIPIENT', 'x', { type: 'NO_KEY_FOR_RECIPIENT', addresses: ['b@example.org', 'c@example.org'] }));
  assert.equal(v.key, 'errorNoKeyForRecipient');
  assert.deepEqual(v.subs, ['b@example.org, c@example.org']);
  assert.equal(v.action, 'keys');
});

test('SMTP failures map to their own texts; refused recipients are named', () => {
  assert.equal(errorView({ type: 'AUTH_FAILED' }).key, 'errorSmtpAuth');
  assert.equal(errorView({ type: 'TLS_FAILED' }).action, 'options');
  assert.equal(errorView({ type: 'SMTP_UNAVAILABLE' }).key, 'errorSmtpUnavailable');
  assert.deepEqual(errorView({ type: 'RECIPIENT_REFUSED', data: { refused: ['x@example.org'] } }).subs, ['x@example.org']);
});

test('an unknown error keeps the helper message as detail', () => {
  const v = errorView(new HelperError('SOMETHING_NEW', 'disk full'));
  assert.equal(v.key, 'errorGeneric');
  assert.equal(v.detail, 'disk full');
  assert.equal(errorView(null).type, 'ERROR');
});
