// Background of the Sceau add-on: a thin router from Thunderbird's events to helper RPC. It holds no
// key material and does no cryptography. Listeners are added at the top level, as Thunderbird
// wakes an idle MV3 background through them.

import { HelperClient, HelperError, HOST_NAME } from './src/helper-client.js';
import { statusView } from './src/status-view.js';
import { recipientsOf } from './src/draft.js';
import { protectionOf } from './src/routing.js';
import { errorView } from './src/errors.js';
import { createMailFlow, plainError } from './src/mail-flow.js';
import { openableType } from './src/html-view.js';
import { base64ToBytes } from './src/chunks.js';
import { ComposeStates, buttonFace } from './src/compose-state.js';
import { loadSettings, identityDefaults } from './src/settings.js';

const helper = new HelperClient(() => browser.runtime.connectNative(HOST_NAME), {
  timeoutMs: 120_000,
  onNotification: (m) => onHelperNotification(m),
});
const states = new ComposeStates();
/** Compose tabs' last send error, shown in the compose popup. */
const composeErrors = new Map();
/** Message tabs whose display script waits for the vault to open. */
const waitingForUnlock = new Set();
let unlockWindowId = null;

// ------------------------------------------------------------------ helper calls

/** Calls the helper; a locked vault brings up the unlock prompt before the error is passed on. */
async function call(method, params = {}, options = {}) {
  try {
    return await helper.call(method, params, options);
  } catch (e) {
    if (e instanceof HelperError && e.type === 'VAULT_LOCKED') showUnlockPrompt();
    throw e;
  }
}

let unlockOpening = null;

/** One prompt at a time: several calls failing on the same lock raise the same window. */
function showUnlockPrompt() {
  unlockOpening ||= openUnlockPrompt().finally(() => {
    unlockOpening = null;
  });
  return unlockOpening;
}

async function openUnlockPrompt() {
  if (unlockWindowId !== null) {
    try {
      await browser.windows.update(unlockWindowId, { focused: true });
      return;
    } catch {
      unlockWindowId = null;
    }
  }
  const w = await browser.windows.create({
    url: browser.runtime.getURL('unlock/unlock.html'),
    type: 'popup',
    width: 460,
    height: 300,
  });
  unlockWindowId = w.id;
}

browser.windows.onRemoved.addListener((id) => {
  if (id === unlockWindowId) unlockWindowId = null;
});

function onHelperNotification(m) {
  if (m.method === 'vault.unlocked') retryWaitingDisplays();
  if (m.method === 'vault.locked') browser.runtime.sendMessage({ command: 'vault.changed' }).catch(() => {});
}

async function retryWaitingDisplays() {
  const tabs = [...waitingForUnlock];
  waitingForUnlock.clear();
  for (const tabId of tabs) {
    browser.tabs.sendMessage(tabId, { command: 'display.retry' }).catch(() => {});
  }
}

// ------------------------------------------------------------------ toolbar status (session 1)

async function fetchStatus() {
  try {
    return { ok: true, status: await helper.call('helper.status', {}, { retry: true }) };
  } catch (error) {
    return { ok: false, error: { type: error.type || 'ERROR', message: error.message } };
  }
}

/** Reflects the helper's state on the toolbar button, so a problem shows without opening it. */
async function refreshButton() {
  const outcome = await fetchStatus();
  const view = statusView(outcome);
  const title = outcome.ok
    ? browser.i18n.getMessage('buttonTitleRunning', [String(outcome.status.version)])
    : browser.i18n.getMessage('buttonTitleUnreachable');
  await browser.action.setTitle({ title });
  await browser.action.setBadgeText({ text: view.badge });
  if (view.badge) await browser.action.setBadgeBackgroundColor({ color: '#b3261e' });
  return outcome;
}

// ------------------------------------------------------------------ compose

async function composeDefaults(tabId) {
  const details = await browser.compose.getComposeDetails(tabId);
  const identity = details.identityId ? await browser.identities.get(details.identityId) : null;
  return identityDefaults(await loadSettings(), identity && identity.email);
}

async function ensureState(tabId) {
  return states.get(tabId) || states.open(tabId, await composeDefaults(tabId));
}

async function showFace(tabId) {
  const face = buttonFace(states.get(tabId));
  await browser.composeAction.setLabel({ tabId, label: browser.i18n.getMessage(face.labelKey) });
  const error = composeErrors.get(tabId);
  await browser.composeAction.setBadgeText({ tabId, text: error ? '!' : face.badge });
  await browser.composeAction.setBadgeBackgroundColor({ tabId, color: error ? '#b3261e' : '#2b7a0b' });
  const title = error
    ? browser.i18n.getMessage(errorView(error).key, errorView(error).subs)
    : browser.i18n.getMessage(face.labelKey);
  await browser.composeAction.setTitle({ tabId, title });
}

const replyEncrypted = new Map();

/** Autocrypt: a reply to an encrypted message is encrypted too. */
async function repliesToEncrypted(tabId, details) {
  if (details.type !== 'reply' || !details.relatedMessageId) return false;
  if (!replyEncrypted.has(tabId)) {
    let encrypted = false;
    try {
      const file = await browser.messages.getRaw(details.relatedMessageId);
      const head = new Uint8Array(await file.slice(0, 256 * 1024).arrayBuffer());
      encrypted = protectionOf(String.fromCharCode.apply(null, head)) === 'encrypted';
    } catch {
      // The original is gone: no reason to encrypt by default.
    }
    replyEncrypted.set(tabId, encrypted);
  }
  return replyEncrypted.get(tabId);
}

/** Asks Autocrypt about the composer's recipients; "encrypt" switches Encrypt on by itself. */
async function recommendFor(tabId, details) {
  const settings = await loadSettings();
  if (!settings.autocryptAutoEncrypt) return;
  const recipients = recipientsOf(details);
  if (!recipients.length || !details.from) return;
  try {
    const rec = await helper.call('mail.recommend', {
      from: details.from,
      recipients,
      replyToEncrypted: await repliesToEncrypted(tabId, details),
    });
    if (states.recommend(tabId, rec)) await showFace(tabId);
  } catch {
    // A locked vault or an odd address: the recommendation is a convenience, never a blocker.
  }
}

const lastRecipients = new Map();

async function watchRecipients(tabId) {
  try {
    const details = await browser.compose.getComposeDetails(tabId);
    const key = recipientsOf(details).join(',');
    if (lastRecipients.get(tabId) !== key) {
      lastRecipients.set(tabId, key);
      await recommendFor(tabId, details);
    }
  } catch {
    // The tab is gone.
  }
}

let recipientTimer = null;

function startRecipientWatch() {
  // Thunderbird has no "recipients changed" event: look every two seconds while composers are open.
  if (recipientTimer !== null) return;
  recipientTimer = setInterval(() => {
    if (states.tabs.size === 0) {
      clearInterval(recipientTimer);
      recipientTimer = null;
      return;
    }
    for (const tabId of states.tabs.keys()) watchRecipients(tabId);
  }, 2000);
}

async function onComposeOpened(tab) {
  if (tab.type !== 'messageCompose') return;
  await ensureState(tab.id);
  await showFace(tab.id);
  startRecipientWatch();
  watchRecipients(tab.id);
}

browser.tabs.onCreated.addListener((tab) => {
  // A composer that is still loading cannot answer getComposeDetails yet: try once more shortly.
  onComposeOpened(tab).catch(() =>
    setTimeout(() => onComposeOpened(tab).catch((e) => console.warn('sceau: compose open', e.message)), 500),
  );
});
browser.compose.onIdentityChanged.addListener(async (tab, identityId) => {
  const identity = await browser.identities.get(identityId);
  const defaults = identityDefaults(await loadSettings(), identity && identity.email);
  if (states.identityChanged(tab.id, defaults)) await showFace(tab.id);
});

browser.tabs.onRemoved.addListener((tabId) => {
  states.close(tabId);
  composeErrors.delete(tabId);
  lastRecipients.delete(tabId);
  replyEncrypted.delete(tabId);
  waitingForUnlock.delete(tabId);
});

async function sentFolderFor(identityId) {
  const identity = identityId ? await browser.identities.get(identityId) : null;
  if (identity && identity.accountId) {
    const found = await browser.folders.query({ accountId: identity.accountId, specialUse: ['sent'] });
    if (found.length) return found[0];
  }
  const local = (await browser.accounts.list(false)).find((a) => a.type === 'none' || a.type === 'local');
  if (!local) return null;
  const root = local.rootFolder;
  const existing = await browser.folders.query({ accountId: local.id, specialUse: ['sent'] });
  if (existing.length) return existing[0];
  const named = (await browser.folders.getSubFolders(root.id, false)).find((f) => f.name === 'Sent');
  return named || browser.folders.create(root.id, 'Sent');
}

/** Files the helper's encrypted-to-self copy in Sent, then closes the composer without a prompt. */
async function fileAndClose(tabId, identityId, message64) {
  try {
    const folder = await sentFolderFor(identityId);
    if (folder) {
      const bytes = Uint8Array.from(atob(message64), (c) => c.charCodeAt(0));
      await browser.messages.import(new File([bytes], 'sent.eml', { type: 'message/rfc822' }), folder.id, {
        read: true,
      });
    }
  } catch (e) {
    console.warn('sceau: the sent copy could not be filed:', e.message);
  }
  await browser.compose.setComposeDetails(tabId, { isModified: false });
  await browser.tabs.remove(tabId);
}

async function showComposeError(tab, error) {
  composeErrors.set(tab.id, plainError(error));
  await showFace(tab.id);
  try {
    await browser.composeAction.openPopup({ windowId: tab.windowId });
  } catch {
    // No popup possible right now (e.g. the window is not focused): the badge and title say it.
  }
}

const flow = createMailFlow({
  messenger: browser,
  helper: { call: (method, params) => call(method, params) },
  states,
  settings: loadSettings,
  recommend: (tabId, details) => recommendFor(tabId, details),
  composeError: (tab, e) => showComposeError(tab, e),
  afterSend: (tabId, identityId, message64) =>
    fileAndClose(tabId, identityId, message64).catch((e) => console.warn('sceau: closing the composer failed:', e.message)),
  parser: () => new DOMParser(),
  lockedTab: (tabId) => waitingForUnlock.add(tabId),
});

browser.compose.onBeforeSend.addListener(async (tab, details) => {
  await ensureState(tab.id);
  composeErrors.delete(tab.id);
  return flow.beforeSend(tab, details);
});

// ------------------------------------------------------------------ messages from our pages

const HANDLERS = {
  status: () => refreshButton(),
  'display.open': (m, sender) => flow.openDisplayed(sender.tab.id),
  'unlock.show': () => showUnlockPrompt(),
  /** Opens a decrypted attachment of an inert type in a Thunderbird tab. */
  'attachment.open': async (m) => {
    const type = openableType(m.mediaType);
    if (!type) throw new HelperError('NOT_OPENABLE', 'This kind of file can only be saved.');
    const url = URL.createObjectURL(new Blob([base64ToBytes(m.data)], { type }));
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    await browser.tabs.create({ url });
  },
  'vault.unlock': async (m) => {
    const params = { passphrase: m.passphrase };
    if (m.keyFile) params.keyFile = m.keyFile;
    const r = await helper.call('vault.unlock', params);
    retryWaitingDisplays();
    return r;
  },
  'compose.state': async (m) => {
    const state = await ensureState(m.tabId);
    const details = await browser.compose.getComposeDetails(m.tabId);
    const recipients = recipientsOf(details);
    let statuses = [];
    let lockedError = null;
    if (recipients.length) {
      try {
        statuses = (await helper.call('keys.status', { emails: recipients })).statuses;
      } catch (e) {
        lockedError = plainError(e);
        statuses = recipients.map((email) => ({ email, status: 'unknown' }));
      }
    }
    const error = composeErrors.get(m.tabId) || lockedError;
    return { state, statuses, error, errorView: error ? errorView(error) : null };
  },
  'compose.set': async (m) => {
    await ensureState(m.tabId);
    const s = states.set(m.tabId, { encrypt: m.encrypt, sign: m.sign });
    await showFace(m.tabId);
    return s;
  },
  'compose.clearError': async (m) => {
    composeErrors.delete(m.tabId);
    await showFace(m.tabId);
  },
  'options.open': () => browser.runtime.openOptionsPage(),
  /** The options and popup pages call the helper through here, so one port serves them all. */
  rpc: (m) => call(m.method, m.params || {}),
};

browser.runtime.onMessage.addListener((message, sender) => {
  const handler = HANDLERS[message && message.command];
  if (!handler) return undefined;
  // Errors cross runtime messaging as plain objects, so pages can switch on `type`.
  return Promise.resolve()
    .then(() => handler(message, sender))
    .then(
      (result) => ({ ok: true, result }),
      (e) => ({ ok: false, error: plainError(e) }),
    );
});

// ------------------------------------------------------------------ start

async function registerDisplayScript() {
  const registered = await browser.scripting.messageDisplay.getRegisteredScripts();
  if (!registered.some((s) => s.id === 'sceau-display')) {
    await browser.scripting.messageDisplay.registerScripts([
      { id: 'sceau-display', js: ['display/display.js'], css: ['display/display.css'], runAt: 'document_idle' },
    ]);
  }
}

async function start() {
  await registerDisplayScript().catch((e) => console.warn('sceau: display script', e.message));
  for (const tab of await browser.tabs.query({ type: 'messageCompose' })) onComposeOpened(tab).catch(() => {});
  await refreshButton();
}

browser.runtime.onStartup.addListener(() => {});
browser.runtime.onInstalled.addListener(() => {});
start();
