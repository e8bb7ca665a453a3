// Background of the Sceau add-on: a thin router from UI events to helper RPC. Listeners are added at
// the top level, as Thunderbird wakes an idle MV3 background through them.

import { HelperClient, HOST_NAME } from './src/helper-client.js';
import { statusView } from './src/status-view.js';

const helper = new HelperClient(() => browser.runtime.connectNative(HOST_NAME));

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
  const title =
    outcome.ok
      ? browser.i18n.getMessage('buttonTitleRunning', [String(outcome.status.version)])
      : browser.i18n.getMessage('buttonTitleUnreachable');
  await browser.action.setTitle({ title });
  await browser.action.setBadgeText({ text: view.badge });
  if (view.badge) await browser.action.setBadgeBackgroundColor({ color: '#b3261e' });
  return outcome;
}

browser.runtime.onMessage.addListener((message) => {
  switch (message && message.command) {
    case 'status':
      return refreshButton();
    default:
      return undefined;
  }
});

browser.runtime.onStartup.addListener(() => {
  refreshButton();
});
browser.runtime.onInstalled.addListener(() => {
  refreshButton();
});
