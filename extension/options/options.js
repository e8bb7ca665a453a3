// Sceau's settings page. Every key, password and vault operation is a helper call; this page only
// collects input and shows answers. Passphrase fields are cleared as soon as they were used.

import { command, el, rpc, t, translatePage } from '../src/page.js';
import { errorView } from '../src/errors.js';
import { formatFingerprint } from '../src/verdict.js';
import { loadSettings, saveSettings } from '../src/settings.js';
import { addressOf } from '../src/draft.js';
import { base64ToBytes, bytesToBase64 } from '../src/chunks.js';

translatePage();
document.title = t('optionsTitle');

const notice = document.getElementById('notice');
const errorBox = document.getElementById('error');

function say(key, subs) {
  errorBox.hidden = true;
  notice.textContent = t(key, subs);
}

function fail(e) {
  const v = errorView(e);
  errorBox.replaceChildren(el('p', { text: t(v.key, v.subs) }));
  if (v.detail) errorBox.append(el('p', { class: 'hint', text: t('errorDetail', [v.detail]) }));
  if (v.action === 'unlock') {
    errorBox.append(el('button', { type: 'button', text: t('unlockButton'), onclick: () => command('unlock.show') }));
  }
  errorBox.hidden = false;
  notice.textContent = '';
}

/** Runs an action from a button or form; reports success with `doneKey` and refreshes. */
async function act(fn, doneKey) {
  try {
    const r = await fn();
    if (doneKey) say(doneKey);
    await refresh();
    return r;
  } catch (e) {
    fail(e);
    return null;
  }
}

function field(id, labelKey, type = 'text', extra = {}) {
  const input = el('input', { id, type, ...extra });
  return [el('label', { for: id, text: t(labelKey) }), input];
}

function value(id) {
  const e = document.getElementById(id);
  const v = e.type === 'checkbox' ? e.checked : e.value;
  if (e.type === 'password') e.value = '';
  return v;
}

function download(name, text, type = 'application/pgp-keys') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A small form shown under a section: fields, a submit button, and what to do with the values. */
function form(id, legendKey, fields, submitKey, onSubmit) {
  const f = el('form', { id }, el('fieldset', {}, el('legend', { text: t(legendKey) }), el('div', { class: 'grid' }, ...fields.flat())));
  f.querySelector('fieldset').append(el('div', { class: 'actions' },
    el('button', { type: 'submit', text: t(submitKey) }),
    el('button', { type: 'button', text: t('cancel'), onclick: () => f.remove() })));
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (await onSubmit()) f.remove();
  });
  return f;
}

// ------------------------------------------------------------------ vault

/** The auto-lock delay, editable unless SCEAU_VAULT_IDLE_MINUTES pins it in the helper. */
function renderAutoLock(status, idleSeconds) {
  const box = document.getElementById('vault-autolock');
  const pinned = status.idleTimeoutSource === 'environment';
  const input = el('input', { id: 'autolock-minutes', type: 'number', min: '1', max: '1440', step: '1', required: true });
  input.value = String(idleSeconds > 0 ? Math.max(1, Math.round(idleSeconds / 60)) : 15);
  input.disabled = pinned;
  const save = el('button', { type: 'submit', text: t('save') });
  save.disabled = pinned;
  const f = el('form', { id: 'autolock-form', class: 'inline' },
    el('label', { for: 'autolock-minutes', text: t('vaultAutoLockLabel') }), input, save);
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const minutes = Number(input.value);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
      fail({ type: 'INVALID_PARAMS', message: t('vaultAutoLockRange') });
      return;
    }
    act(() => rpc('vault.setIdleMinutes', { minutes }), 'settingsSaved');
  });
  box.replaceChildren(f);
  if (pinned) box.append(el('p', { class: 'hint', text: t('vaultAutoLockPinned') }));
}

async function renderVault() {
  const box = document.getElementById('vault-actions');
  const forms = document.getElementById('vault-forms');
  box.replaceChildren();
  let status;
  try {
    status = await rpc('vault.status');
  } catch (e) {
    document.getElementById('vault-state').textContent = t('errorGeneric');
    fail(e);
    return null;
  }
  const stateKey = { absent: 'vaultStateAbsent', locked: 'vaultStateLocked', unlocked: 'vaultStateUnlocked' }[status.state] || 'vaultUnknown';
  const idle = Number(status.idleTimeoutSeconds) || 0;
  document.getElementById('vault-state').textContent =
    t(stateKey) + (idle > 0 ? ' ' + t('vaultAutoLock', [String(Math.round(idle / 60))]) : ' ' + t('vaultAutoLockOff'));
  renderAutoLock(status, idle);
  const button = (key, onclick) => box.append(el('button', { type: 'button', text: t(key), onclick }));
  const show = (f) => {
    forms.replaceChildren(f);
    f.querySelector('input').focus();
  };
  if (status.state === 'absent') {
    button('vaultCreate', () => show(form('f-create', 'vaultCreate', [
      field('c-pass', 'newPassphraseLabel', 'password', { required: true, autocomplete: 'new-password' }),
      field('c-pass2', 'confirmPassphraseLabel', 'password', { required: true, autocomplete: 'new-password' }),
      field('c-keyfile', 'keyFileOptionalLabel'),
    ], 'vaultCreate', () => {
      const p = value('c-pass');
      if (p !== value('c-pass2')) return fail({ type: 'MISMATCH', message: t('passphraseMismatch') }), false;
      const kf = value('c-keyfile').trim();
      return act(() => rpc('vault.create', kf ? { passphrase: p, keyFile: kf } : { passphrase: p }), 'vaultCreated');
    })));
    return status;
  }
  if (status.state === 'locked') button('unlockButton', () => command('unlock.show'));
  if (status.state === 'unlocked') button('vaultLockNow', () => act(() => rpc('vault.lock'), 'vaultLockedNow'));
  button('vaultChangePassphrase', () => show(form('f-change', 'vaultChangePassphrase', [
    field('p-old', 'passphraseLabel', 'password', { required: true, autocomplete: 'current-password' }),
    field('p-new', 'newPassphraseLabel', 'password', { required: true, autocomplete: 'new-password' }),
    field('p-new2', 'confirmPassphraseLabel', 'password', { required: true, autocomplete: 'new-password' }),
    field('p-keyfile', 'keyFileCurrentLabel'),
    field('p-newkeyfile', 'keyFileNewLabel'),
    field('p-removekeyfile', 'keyFileRemoveLabel', 'checkbox'),
  ], 'vaultChangePassphrase', () => {
    const params = { passphrase: value('p-old'), newPassphrase: value('p-new') };
    if (params.newPassphrase !== value('p-new2')) return fail({ type: 'MISMATCH', message: t('passphraseMismatch') }), false;
    const kf = value('p-keyfile').trim();
    const nkf = value('p-newkeyfile').trim();
    if (kf) params.keyFile = kf;
    if (nkf) params.newKeyFile = nkf;
    if (value('p-removekeyfile')) params.removeKeyFile = true;
    return act(() => rpc('vault.changePassphrase', params), 'vaultPassphraseChanged');
  })));
  button('vaultBackup', () => show(form('f-backup', 'vaultBackup', [
    field('b-path', 'backupPathLabel', 'text', { required: true, placeholder: '~/sceau-backup.vault' }),
    field('b-pass', 'backupPassphraseLabel', 'password', { required: true, autocomplete: 'new-password' }),
  ], 'vaultBackup', () => act(() => rpc('vault.backup', { path: value('b-path'), passphrase: value('b-pass') }), 'vaultBackedUp'))));
  button('vaultRestore', () => show(form('f-restore', 'vaultRestore', [
    field('r-path', 'backupPathLabel', 'text', { required: true }),
    field('r-pass', 'backupPassphraseLabel', 'password', { required: true, autocomplete: 'current-password' }),
    field('r-keyfile', 'keyFileOptionalLabel'),
  ], 'vaultRestore', () => {
    const params = { path: value('r-path'), passphrase: value('r-pass') };
    const kf = value('r-keyfile').trim();
    if (kf) params.keyFile = kf;
    return act(() => rpc('vault.restore', params), 'vaultRestored');
  })));
  return status;
}

// ------------------------------------------------------------------ identities

async function identities() {
  const out = [];
  for (const account of await browser.accounts.list(false)) {
    for (const identity of account.identities || []) {
      if (identity.email) out.push({ id: identity.id, email: identity.email.toLowerCase(), name: identity.name || '' });
    }
  }
  return out;
}

function ownKeyFor(keys, email) {
  return keys.filter((k) => k.secret && (k.userIds || []).some((u) => addressOf(u) === email));
}

async function smtpAccounts() {
  try {
    return (await rpc('mail.smtpAccounts')).accounts || [];
  } catch {
    return null; // an older helper, or the vault is locked: the form still shows
  }
}

function identityCard(identity, keys, smtp, settings) {
  const card = el('div', { class: 'identity' }, el('h3', { text: identity.name ? `${identity.name} <${identity.email}>` : identity.email }));
  const own = ownKeyFor(keys, identity.email);
  if (!own.length) {
    card.append(el('p', { class: 'hint', text: t('identityNoKey') }));
  }
  for (const k of own) {
    const fp = k.fingerprint;
    const line = el('p', {}, t('identityKey'), ' ', el('span', { class: 'fingerprint', text: formatFingerprint(fp) }));
    if (k.problem) line.append(' ', el('span', { class: 'badge none', text: k.problem }));
    card.append(line);
    const actions = el('div', { class: 'actions' });
    actions.append(el('button', {
      type: 'button', text: t('keyExport'),
      onclick: () => act(async () => download(`${identity.email}-public.asc`, (await rpc('keys.export', { fingerprint: fp })).armored)),
    }));
    actions.append(el('button', {
      type: 'button', text: t('keyBackupSecret'),
      onclick: () => card.append(form(`f-sec-${fp}`, 'keyBackupSecret', [
        field(`s-pass-${fp}`, 'keyBackupPassphraseLabel', 'password', { required: true, autocomplete: 'new-password' }),
      ], 'keyBackupSecret', () => act(async () => {
        const r = await rpc('keys.exportSecret', { fingerprint: fp, passphrase: value(`s-pass-${fp}`) });
        download(`${identity.email}-secret.asc`, r.armored);
      }, 'keyBackedUp'))),
    }));
    actions.append(el('button', {
      type: 'button', text: t('keyRevoke'),
      onclick: () => {
        const reason = el('select', { id: `rv-reason-${fp}` },
          ...['retired', 'superseded', 'compromised', 'unspecified'].map((r) => el('option', { value: r, text: t(`revokeReason_${r}`) })));
        card.append(form(`f-rev-${fp}`, 'keyRevoke', [
          [el('label', { for: `rv-reason-${fp}`, text: t('keyRevokeReasonLabel') }), reason],
          field(`rv-note-${fp}`, 'keyRevokeNoteLabel'),
        ], 'keyRevokeConfirm', async () => {
          const params = { fingerprint: fp, reason: reason.value };
          const note = value(`rv-note-${fp}`).trim();
          if (note) params.description = note;
          const r = await act(() => rpc('keys.revoke', params), 'keyRevoked');
          if (r && r.certificate) download(`${identity.email}-revoked.asc`, r.certificate);
          return r;
        }));
      },
    }));
    actions.append(el('button', {
      type: 'button', text: t('setupMessageExport'),
      onclick: async () => {
        // Not through act(): the page must not re-render while the code is on screen.
        try {
          const r = await rpc('keys.autocryptSetupMessage', { fingerprint: fp });
          download('autocrypt-setup-message.eml', base64ToBytes(r.message), 'message/rfc822');
          say('setupMessageMade');
          notice.append(el('p', { text: t('setupMessageCode') }), el('p', { class: 'setup-code', text: r.setupCode }));
        } catch (e) {
          fail(e);
        }
      },
    }));
    card.append(actions);
  }
  const actions = el('div', { class: 'actions' });
  actions.append(el('button', {
    type: 'button', text: t('keyGenerate'),
    onclick: () => act(() => rpc('keys.generate', { userId: identity.name ? `${identity.name} <${identity.email}>` : identity.email }), 'keyGenerated'),
  }));
  actions.append(el('button', {
    type: 'button', text: t('keyImportSecret'),
    onclick: () => card.append(form(`f-imp-${identity.id}`, 'keyImportSecret', [
      [el('label', { for: `is-text-${identity.id}`, text: t('keyImportSecretLabel') }), el('textarea', { id: `is-text-${identity.id}`, rows: 4, required: true })],
      field(`is-pass-${identity.id}`, 'keyBackupPassphraseLabel', 'password', { required: true }),
    ], 'importButton', () => {
      const area = document.getElementById(`is-text-${identity.id}`);
      const armored = area.value;
      area.value = '';
      return act(() => rpc('keys.importSecret', { armored, passphrase: value(`is-pass-${identity.id}`) }), 'keyImported');
    })),
  }));
  actions.append(el('button', {
    type: 'button', text: t('setupMessageImport'),
    onclick: () => card.append(form(`f-setup-${identity.id}`, 'setupMessageImport', [
      [el('label', { for: `su-file-${identity.id}`, text: t('setupMessageFileLabel') }),
        el('input', { type: 'file', id: `su-file-${identity.id}`, accept: '.eml,message/rfc822', required: true })],
      field(`su-code-${identity.id}`, 'setupMessageCodeLabel', 'text', { required: true, autocomplete: 'off', spellcheck: 'false' }),
    ], 'importButton', async () => {
      const file = document.getElementById(`su-file-${identity.id}`).files[0];
      const setupCode = value(`su-code-${identity.id}`).replace(/[^0-9]/g, '');
      const message = bytesToBase64(new Uint8Array(await file.arrayBuffer()));
      return act(() => rpc('keys.importAutocryptSetup', { message, setupCode }), 'keyImported');
    })),
  }));
  card.append(actions);

  // Defaults for new messages from this identity.
  const d = settings.identities[identity.email] || { encrypt: false, sign: false };
  const toggle = (key, labelKey) => {
    const id = `def-${key}-${identity.id}`;
    const box = el('input', { type: 'checkbox', id });
    box.checked = d[key];
    box.addEventListener('change', async () => {
      const s = await loadSettings();
      s.identities[identity.email] = { ...(s.identities[identity.email] || { encrypt: false, sign: false }), [key]: box.checked };
      await saveSettings(s);
      say('settingsSaved');
    });
    return el('label', {}, box, ' ', t(labelKey));
  };
  card.append(el('p', {}, toggle('encrypt', 'defaultEncrypt')));
  card.append(el('p', {}, toggle('sign', 'defaultSign')));
  const mutualId = `mutual-${identity.id}`;
  const mutual = el('input', { type: 'checkbox', id: mutualId });
  mutual.checked = Boolean(d.mutual);
  mutual.addEventListener('change', () => act(async () => {
    await rpc('mail.setAutocryptPreference', { address: identity.email, preferEncrypt: mutual.checked ? 'mutual' : 'nopreference' });
    const st = await loadSettings();
    st.identities[identity.email] = { ...(st.identities[identity.email] || { encrypt: false, sign: false }), mutual: mutual.checked };
    await saveSettings(st);
  }, 'settingsSaved'));
  card.append(el('p', {}, el('label', { for: mutualId }, mutual, ' ', t('autocryptMutual'))));

  // The SMTP account the helper sends this identity's encrypted mail through.
  const acct = (smtp || []).find((a) => a.address.toLowerCase() === identity.email);
  const pre = `smtp-${identity.id}`;
  const security = el('select', { id: `${pre}-sec` },
    el('option', { value: 'starttls', text: t('smtpStarttls') }),
    el('option', { value: 'tls', text: t('smtpTls') }));
  const smtpForm = el('form', { id: `${pre}-form` }, el('fieldset', {},
    el('legend', { text: t('smtpLegend') }),
    el('p', { class: 'hint', text: acct ? (acct.hasPassword ? t('smtpHasPassword') : t('smtpNoPassword')) : t('smtpNone') }),
    el('div', { class: 'grid' },
      ...field(`${pre}-host`, 'smtpHost', 'text', { required: true, value: acct ? acct.host : '' }),
      ...field(`${pre}-port`, 'smtpPort', 'number', { required: true, min: 1, max: 65535, value: acct ? String(acct.port) : '587' }),
      el('label', { for: `${pre}-sec`, text: t('smtpSecurity') }), security,
      ...field(`${pre}-user`, 'smtpUser', 'text', { required: true, value: acct ? acct.user : identity.email }),
      ...field(`${pre}-pass`, 'smtpPassword', 'password', { autocomplete: 'new-password' })),
    el('div', { class: 'actions' },
      el('button', { type: 'submit', text: t('save') }),
      acct ? el('button', {
        type: 'button', text: t('delete'),
        onclick: () => act(() => rpc('mail.deleteSmtpAccount', { address: identity.email }), 'settingsSaved'),
      }) : null)));
  security.value = acct ? acct.security : 'starttls';
  smtpForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const params = {
      address: identity.email,
      host: value(`${pre}-host`).trim(),
      port: Number(value(`${pre}-port`)),
      security: security.value,
      user: value(`${pre}-user`).trim(),
    };
    const password = value(`${pre}-pass`);
    if (password) params.password = password;
    act(() => rpc('mail.setSmtpAccount', params), 'settingsSaved');
  });
  card.append(smtpForm);
  return card;
}

// ------------------------------------------------------------------ correspondents

function contactRow(k) {
  const fp = k.fingerprint;
  const sw = el('input', { type: 'checkbox', role: 'switch', id: `v-${fp}` });
  sw.checked = Boolean(k.verified);
  // Both ways: checking records the confirmation, unchecking takes it back (own keys, always
  // verified, are not listed here).
  sw.setAttribute('aria-label', t('verifiedSwitchLabel', [(k.userIds || [])[0] || fp]));
  sw.addEventListener('change', () =>
    act(() => rpc('keys.verify', { fingerprint: fp, verified: sw.checked }), sw.checked ? 'keyVerifiedDone' : 'keyUnverifiedDone'));
  return el('tr', {},
    el('td', { text: (k.userIds || []).join(', ') }),
    el('td', { class: 'fingerprint', text: formatFingerprint(fp) }),
    el('td', {}, sw),
    el('td', {}, el('button', {
      type: 'button', text: t('delete'),
      'aria-label': t('deleteKeyLabel', [(k.userIds || [])[0] || fp]),
      onclick: () => act(() => rpc('keys.delete', { fingerprint: fp }), 'keyDeleted'),
    })));
}

// ------------------------------------------------------------------ page

async function refresh() {
  const settings = await loadSettings();
  document.getElementById('autocryptProcess').checked = settings.autocryptProcess;
  document.getElementById('autocryptAutoEncrypt').checked = settings.autocryptAutoEncrypt;
  const vault = await renderVault();
  const list = document.getElementById('identity-list');
  const body = document.querySelector('#contact-table tbody');
  if (!vault || vault.state !== 'unlocked') {
    list.replaceChildren(el('p', { class: 'hint', text: t('needsUnlockedVault') }));
    body.replaceChildren();
    return;
  }
  let keys = [];
  try {
    keys = (await rpc('keys.list')).keys || [];
  } catch (e) {
    fail(e);
  }
  const smtp = await smtpAccounts();
  list.replaceChildren(...(await identities()).map((i) => identityCard(i, keys, smtp, settings)));
  const contacts = keys.filter((k) => !k.secret);
  body.replaceChildren(...contacts.map(contactRow));
  if (!contacts.length) body.append(el('tr', {}, el('td', { colspan: 4, class: 'hint', text: t('noContacts') })));
}

for (const id of ['autocryptProcess', 'autocryptAutoEncrypt']) {
  document.getElementById(id).addEventListener('change', async (ev) => {
    const s = await loadSettings();
    s[id] = ev.target.checked;
    await saveSettings(s);
    say('settingsSaved');
  });
}

document.getElementById('discover-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const email = document.getElementById('discover-email').value.trim();
  act(() => rpc('keys.discover', { email }), 'keyDiscovered');
});

document.getElementById('import-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const area = document.getElementById('import-text');
  const armored = area.value;
  act(async () => {
    await rpc('keys.import', { armored });
    area.value = '';
  }, 'keyImported');
});

browser.runtime.onMessage.addListener((m) => {
  if (m && m.command === 'vault.changed') refresh();
});

refresh();
