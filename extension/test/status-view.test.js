import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatUptime, renderLine, statusView } from '../src/status-view.js';

const t = (key, subs = []) => `${key}(${subs.join('|')})`;

test('a running helper shows version, uptime and capabilities without a badge', () => {
  const v = statusView({ ok: true, status: { version: '0.1.0', uptimeMs: 125000, capabilities: ['vault'], vault: 'LOCKED' } });
  assert.equal(v.state, 'ok');
  assert.equal(v.badge, '');
  const text = v.lines.map((l) => renderLine(l, t));
  assert.deepEqual(text, [
    'statusVersion(0.1.0)',
    'statusUptime(uptimeMinutes(2))',
    'statusCapabilities(vault)',
    'statusVault(vaultLocked())',
  ]);
});

test('each known error maps to an actionable message and a badge', () => {
  for (const [type, key] of [
    ['NOT_INSTALLED', 'errorNotInstalled'],
    ['HELPER_UNREACHABLE', 'errorHelperUnreachable'],
    ['BRIDGE_FAILED', 'errorBridgeFailed'],
    ['TIMEOUT', 'errorTimeout'],
  ]) {
    const v = statusView({ ok: false, error: { type, message: 'x' } });
    assert.equal(v.state, 'error');
    assert.equal(v.badge, '!');
    assert.equal(v.lines[0].key, key);
    assert.equal(v.lines.length, 1);
  }
});

test('an unknown error shows the helper message as detail', () => {
  const v = statusView({ ok: false, error: { type: 'SOMETHING', message: 'disk full' } });
  assert.deepEqual(v.lines.map((l) => renderLine(l, t)), ['errorGeneric()', 'errorDetail(disk full)']);
});

test('uptime is rounded to a readable unit', () => {
  assert.deepEqual(formatUptime(59_999), { key: 'uptimeSeconds', subs: ['59'] });
  assert.deepEqual(formatUptime(3_600_000 + 61_000), { key: 'uptimeHours', subs: ['1', '1'] });
});
