import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(root + 'manifest.json', 'utf8'));
const code = ['background.js', 'options/options.js', 'compose/popup.js', 'display/display.js', 'src/settings.js']
  .map((f) => readFileSync(root + f, 'utf8'))
  .join('\n');

test('Manifest V3 for Thunderbird 128 and later, with the id the bridge serves', () => {
  assert.equal(manifest.manifest_version, 3);
  assert.equal(manifest.browser_specific_settings.gecko.id, 'sceau@sceau.org');
  assert.equal(manifest.browser_specific_settings.gecko.strict_min_version, '128.0');
});

test('asks only for the permissions it uses, each for an API the code calls', () => {
  const uses = {
    nativeMessaging: /runtime\.connectNative/,
    compose: /compose\.(onBeforeSend|getComposeDetails|listAttachments)/,
    accountsRead: /(accounts\.list|identities\.get)/,
    accountsFolders: /folders\.create/,
    messagesRead: /messages\.getRaw/,
    messagesImport: /messages\.import/,
    scripting: /scripting\.messageDisplay\.registerScripts/,
    storage: /storage\.local/,
  };
  assert.deepEqual([...manifest.permissions].sort(), Object.keys(uses).sort());
  for (const [permission, call] of Object.entries(uses)) assert.match(code, call, permission);
});

test('every file the manifest names exists', () => {
  for (const f of [
    ...manifest.background.scripts,
    manifest.action.default_popup,
    manifest.action.default_icon,
    manifest.compose_action.default_popup,
    manifest.options_ui.page,
    'display/display.js',
    'display/display.css',
    'unlock/unlock.html',
  ]) {
    assert.ok(existsSync(root + f), f);
  }
});
