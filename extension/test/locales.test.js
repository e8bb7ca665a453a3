import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const load = (lang) => JSON.parse(readFileSync(join(root, '_locales', lang, 'messages.json'), 'utf8'));
const en = load('en');
const fr = load('fr');

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (['test', 'node_modules', 'target', '_locales'].includes(name)) return [];
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(js|html|json)$/.test(name) ? [p] : [];
  });
}

test('English and French have the same keys and the same placeholders', () => {
  assert.deepEqual(Object.keys(fr).sort(), Object.keys(en).sort());
  for (const key of Object.keys(en)) {
    const holes = (m) => (m.match(/\$\d/g) || []).sort().join();
    assert.equal(holes(fr[key].message), holes(en[key].message), key);
    assert.notEqual(fr[key].message.trim(), '', key);
  }
});

test('every message key the add-on uses exists', () => {
  const used = new Set();
  for (const file of sources(root)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/__MSG_(\w+)__/g)) used.add(m[1]);
    for (const m of text.matchAll(/data-i18n="(\w+)"/g)) used.add(m[1]);
    for (const m of text.matchAll(/getMessage\('(\w+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/key: '(\w+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/: '(error\w+|vault\w+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/\bt\('(\w+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/data-i18n-(?:label|placeholder)="(\w+)"/g)) used.add(m[1]);
    for (const m of text.matchAll(/(?:labelKey|Key): '(\w+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/'(\w+)'\s*,\s*'(?:text|password|number|checkbox)'/g)) used.add(m[1]);
  }
  // Built from a value at run time: every Autocrypt recommendation and key status has its text.
  for (const ui of ['encrypt', 'available', 'discourage', 'disable']) used.add(`recommend_${ui}`);
  assert.ok(used.size > 100, String(used.size));
  for (const key of used) assert.ok(en[key], `missing message ${key}`);
});
