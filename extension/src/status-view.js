// What the popup shows for a status answer or an error: pure, so it is tested without Thunderbird.
// Returns message keys and substitutions for browser.i18n, never ready-made text.

const ERROR_KEYS = {
  NOT_INSTALLED: 'errorNotInstalled',
  BRIDGE_FAILED: 'errorBridgeFailed',
  HELPER_UNREACHABLE: 'errorHelperUnreachable',
  BRIDGE_DISCONNECTED: 'errorBridgeDisconnected',
  TIMEOUT: 'errorTimeout',
};

export function formatUptime(ms) {
  const s = Math.floor(ms / 1000);
  if (s < 60) return { key: 'uptimeSeconds', subs: [String(s)] };
  if (s < 3600) return { key: 'uptimeMinutes', subs: [String(Math.floor(s / 60))] };
  return { key: 'uptimeHours', subs: [String(Math.floor(s / 3600)), String(Math.floor((s % 3600) / 60))] };
}

/** @returns {{state:'ok'|'error', headline:{key,subs}, lines:Array<{key,subs}>, badge:string}} */
export function statusView(outcome) {
  if (outcome.ok) {
    const s = outcome.status || {};
    const lines = [
      { key: 'statusVersion', subs: [String(s.version ?? '?')] },
      { key: 'statusUptime', subs: [], nested: formatUptime(Number(s.uptimeMs) || 0) },
    ];
    const caps = Array.isArray(s.capabilities) ? s.capabilities : [];
    lines.push(
      caps.length
        ? { key: 'statusCapabilities', subs: [caps.join(', ')] }
        : { key: 'statusNoCapabilities', subs: [] },
    );
    if (typeof s.vault === 'string') {
      lines.push({ key: 'statusVault', subs: [], nested: { key: vaultKey(s.vault), subs: [] } });
    }
    return { state: 'ok', headline: { key: 'statusRunning', subs: [] }, lines, badge: '' };
  }
  const type = (outcome.error && outcome.error.type) || 'ERROR';
  const key = ERROR_KEYS[type] || 'errorGeneric';
  const lines = [{ key, subs: [] }];
  if (!ERROR_KEYS[type] && outcome.error && outcome.error.message) {
    lines.push({ key: 'errorDetail', subs: [String(outcome.error.message)] });
  }
  return { state: 'error', headline: { key: 'statusUnreachable', subs: [] }, lines, badge: '!' };
}

function vaultKey(state) {
  switch (state) {
    case 'UNLOCKED':
    case 'unlocked':
      return 'vaultUnlocked';
    case 'LOCKED':
    case 'locked':
      return 'vaultLocked';
    case 'ABSENT':
    case 'absent':
    case 'NOT_CREATED':
      return 'vaultAbsent';
    default:
      return 'vaultUnknown';
  }
}

/** Renders a view line with a translate(key, subs) function (browser.i18n.getMessage). */
export function renderLine(line, translate) {
  const subs = line.nested ? [translate(line.nested.key, line.nested.subs), ...line.subs] : line.subs;
  return translate(line.key, subs);
}
