import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ComposeStates, buttonFace, protectionOf } from '../src/compose-state.js';
import { identityDefaults, normalizeSettings } from '../src/settings.js';

test('a composer starts with its identity defaults', () => {
  const s = new ComposeStates();
  const settings = normalizeSettings({ identities: { 'Alice@Example.org': { encrypt: true } } });
  assert.deepEqual(s.open(1, identityDefaults(settings, 'alice@example.org')), {
    encrypt: true, sign: false, userSet: false, recommendation: null,
  });
  // Neither switch is on for an identity the user never set up: its mail goes out as before.
  assert.deepEqual(identityDefaults(settings, 'bob@example.org'), { encrypt: false, sign: false });
  const signer = normalizeSettings({ identities: { 'carol@example.org': { sign: true } } });
  assert.deepEqual(s.open(4, identityDefaults(signer, 'carol@example.org')).sign, true);
});

test('Autocrypt "encrypt" switches Encrypt on; the other answers leave it', () => {
  const s = new ComposeStates();
  s.open(1);
  assert.equal(s.recommend(1, { ui: 'available' }), false);
  assert.equal(s.get(1).encrypt, false);
  assert.equal(s.recommend(1, { ui: 'encrypt' }), true);
  assert.equal(s.get(1).encrypt, true);
  assert.equal(s.get(1).recommendation, 'encrypt');
});

test('the user\'s choice in a tab is never overridden by a recommendation', () => {
  const s = new ComposeStates();
  s.open(2);
  s.set(2, { encrypt: false });
  assert.equal(s.recommend(2, { ui: 'encrypt' }), false);
  assert.equal(s.get(2).encrypt, false);
  s.close(2);
  assert.equal(s.get(2), null);
});

test('the button says what will happen: encrypted and signed, signed only, or left to Thunderbird', () => {
  assert.deepEqual(buttonFace({ encrypt: true, sign: true }), { labelKey: 'composeButtonEncryptSign', badge: '🔒' });
  // Encrypted mail is always signed, whatever the Sign switch says.
  assert.deepEqual(buttonFace({ encrypt: true, sign: false }), { labelKey: 'composeButtonEncryptSign', badge: '🔒' });
  assert.deepEqual(buttonFace({ encrypt: false, sign: true }), { labelKey: 'composeButtonSignOnly', badge: '✍' });
  assert.deepEqual(buttonFace({ encrypt: false, sign: false }), { labelKey: 'composeButtonOff', badge: '' });
  assert.equal(protectionOf({ encrypt: false, sign: true }), 'sign');
  assert.equal(protectionOf({ encrypt: false, sign: false }), null);
  assert.deepEqual(buttonFace(null), { labelKey: 'composeButtonOff', badge: '' });
});

test('settings of the wrong type fall back to the defaults', () => {
  assert.deepEqual(normalizeSettings({ autocryptAutoEncrypt: 'yes', identities: { a: 5 } }), {
    identities: {}, autocryptAutoEncrypt: true, autocryptProcess: true,
  });
});

test('switching identity applies its defaults unless the user chose in this tab', () => {
  const s = new ComposeStates();
  s.open(3, { encrypt: false });
  assert.equal(s.identityChanged(3, { encrypt: true }), true);
  assert.equal(s.get(3).encrypt, true);
  s.set(3, { encrypt: false });
  assert.equal(s.identityChanged(3, { encrypt: true }), false);
  assert.equal(s.get(3).encrypt, false);
});

test('Sign and Encrypt are switched independently, and identity defaults carry both', () => {
  const s = new ComposeStates();
  s.open(5, { encrypt: false, sign: false });
  assert.equal(s.identityChanged(5, { encrypt: false, sign: true }), true);
  assert.equal(s.get(5).sign, true);
  s.set(5, { sign: false });
  assert.deepEqual([s.get(5).encrypt, s.get(5).sign], [false, false]);
  s.set(5, { encrypt: true });
  assert.deepEqual([s.get(5).encrypt, s.get(5).sign], [true, false], 'Encrypt leaves the Sign choice as it is');
  s.set(5, { encrypt: false, sign: true });
  assert.equal(protectionOf(s.get(5)), 'sign');
});
