import { command, el, rpc, t, translatePage } from '../src/page.js';

translatePage();
const STATUS_KEYS = { verified: 'keyVerified', unverified: 'keyUnverified', none: 'keyNone', unknown: 'keyUnknown' };
let tabId = null;

function renderError(error, view) {
  const box = document.getElementById('error');
  if (!error) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  box.replaceChildren(el('p', { text: t(view.key, view.subs) }));
  if (view.detail) box.append(el('p', { class: 'hint', text: t('errorDetail', [view.detail]) }));
  const actions = el('div', { class: 'actions' });
  if (view.action === 'unlock') {
    actions.append(el('button', { type: 'button', text: t('unlockButton'), onclick: () => command('unlock.show') }));
  }
  if (view.action === 'options') {
    actions.append(el('button', { type: 'button', text: t('openSettings'), onclick: () => command('options.open') }));
  }
  actions.append(el('button', {
    type: 'button', text: t('dismiss'),
    onclick: async () => { await command('compose.clearError', { tabId }); refresh(); },
  }));
  box.append(actions);
}

async function discover(email, button) {
  button.disabled = true;
  button.textContent = t('discovering');
  try {
    await rpc('keys.discover', { email });
  } catch (e) {
    button.textContent = t('discoverFailed');
    button.title = e.message;
    return;
  }
  refresh();
}

async function refresh() {
  const s = await command('compose.state', { tabId });
  document.getElementById('encrypt').checked = s.state.encrypt;
  // Encrypted mail is always signed; without Encrypt, Sign is a switch of its own.
  const sign = document.getElementById('sign');
  sign.checked = s.state.encrypt || s.state.sign;
  sign.disabled = s.state.encrypt;
  document.getElementById('sign-hint').textContent =
    t(s.state.encrypt ? 'signWithEncrypt' : s.state.sign ? 'signAloneOn' : 'signAloneOff');
  const rec = document.getElementById('recommendation');
  rec.hidden = !s.state.recommendation || s.state.recommendation === 'disable';
  if (!rec.hidden) rec.textContent = t(`recommend_${s.state.recommendation}`);
  renderError(s.error, s.errorView);
  const list = document.getElementById('recipients');
  list.replaceChildren();
  if (!s.statuses.length) list.append(el('li', { class: 'hint', text: t('composeNoRecipients') }));
  for (const r of s.statuses) {
    const badge = el('span', { class: `badge ${r.status}`, text: t(STATUS_KEYS[r.status] || 'keyUnknown') });
    const item = el('li', {}, el('span', { class: 'email', text: r.email }), badge);
    if (r.status === 'none') {
      const b = el('button', { type: 'button', text: t('discoverKey') });
      b.setAttribute('aria-label', t('discoverKeyFor', [r.email]));
      b.addEventListener('click', () => discover(r.email, b));
      item.append(b);
    }
    list.append(item);
  }
}

async function toggle() {
  await command('compose.set', {
    tabId,
    encrypt: document.getElementById('encrypt').checked,
    // While Encrypt is on the Sign box is shown checked and locked; the tab's own choice stays.
    ...(document.getElementById('sign').disabled ? {} : { sign: document.getElementById('sign').checked }),
  });
  refresh();
}

document.getElementById('encrypt').addEventListener('change', toggle);
document.getElementById('sign').addEventListener('change', toggle);
document.getElementById('settings').addEventListener('click', () => command('options.open'));

const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
tabId = tab.id;
refresh();
