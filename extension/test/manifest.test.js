import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(root + 'manifest.json', 'utf8'));

test('Manifest V3 for Thunderbird 128 and later, with the id the bridge serves', () => {
  assert.equal(manifest.manifest_version, 3);
  assert.equal(manifest.browser_specific_settings.gecko.id, 'sceau@sceau.org');
  assert.equal(manifest.browser_specific_settings.gecko.strict_min_version, '128.0');
});

test('asks only for the permissions it uses', () => {
  assert.deepEqual(manifest.permissions, ['nativeMessaging']);
});

test('every file the manifest names exists', () => {
  for (const f of [...manifest.background.scripts, manifest.action.default_popup, manifest.action.default_icon]) {
    assert.ok(existsSync(root + f), f);
  }
});
