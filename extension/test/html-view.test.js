import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALLOWED_TAGS, DROPPED_WITH_CONTENT, cleanAttribute, openableType, sanitizeTree } from '../src/html-view.js';

test('event handlers never survive', () => {
  assert.equal(cleanAttribute('p', 'onclick', 'steal()'), null);
  assert.equal(cleanAttribute('img', 'OnError', 'x'), null);
});

test('nothing loads from the network: remote images, backgrounds and style urls are dropped', () => {
  assert.equal(cleanAttribute('img', 'src', 'https://tracker.example/p.gif'), null);
  assert.equal(cleanAttribute('img', 'src', ' //tracker.example/p.gif'), null);
  assert.equal(cleanAttribute('td', 'background', 'http://x/bg.png'), null);
  assert.equal(cleanAttribute('img', 'srcset', 'https://x/a.png 2x'), null);
  assert.equal(cleanAttribute('p', 'style', 'background: url(https://x/y)'), null);
  assert.equal(cleanAttribute('p', 'style', 'color: red'), 'color: red');
  assert.equal(cleanAttribute('img', 'src', 'data:image/png;base64,AAAA'), 'data:image/png;base64,AAAA');
  assert.equal(cleanAttribute('img', 'src', 'data:image/svg+xml;base64,AAAA'), null);
});

test('links keep web and mail targets only', () => {
  assert.equal(cleanAttribute('a', 'href', 'https://example.org/'), 'https://example.org/');
  assert.equal(cleanAttribute('a', 'href', 'mailto:bob@example.org'), 'mailto:bob@example.org');
  assert.equal(cleanAttribute('a', 'href', 'java\nscript:alert(1)'), null);
  assert.equal(cleanAttribute('a', 'href', 'data:text/html,<script>'), null);
});

test('scripts, frames, forms and plug-ins are not on the allowlist', () => {
  for (const tag of ['script', 'iframe', 'object', 'embed', 'form', 'style', 'svg', 'base', 'meta', 'link']) {
    assert.ok(!ALLOWED_TAGS.has(tag), tag);
  }
  for (const tag of ['script', 'iframe', 'style']) assert.ok(DROPPED_WITH_CONTENT.has(tag), tag);
});

/** A few DOM nodes, only as much of the DOM as sanitizeTree touches (Node has no DOM). */
function node(tag, attrs = {}, children = []) {
  const n = {
    nodeType: 1, localName: tag, childNodes: [],
    attributes: Object.entries(attrs).map(([name, value]) => ({ name, value })),
    removeAttribute(name) { n.attributes = n.attributes.filter((a) => a.name !== name); },
    setAttribute(name, value) { n.removeAttribute(name); n.attributes.push({ name, value }); },
    remove() { n.parent.childNodes.splice(n.parent.childNodes.indexOf(n), 1); },
    replaceWith(...kids) {
      const i = n.parent.childNodes.indexOf(n);
      kids.forEach((k) => { k.parent = n.parent; });
      n.parent.childNodes.splice(i, 1, ...kids);
    },
  };
  children.forEach((c) => { c.parent = n; n.childNodes.push(c); });
  return n;
}
const text = (t) => ({ nodeType: 3, textContent: t, remove() {} });
const render = (n) => (n.nodeType === 3 ? n.textContent
  : `<${n.localName}${n.attributes.map((a) => ` ${a.name}="${a.value}"`).join('')}>${n.childNodes.map(render).join('')}</${n.localName}>`);

test('the tree walk drops dangerous elements, unwraps unknown ones and cleans attributes', () => {
  const body = node('body', {}, [
    node('p', { onclick: 'x()', style: 'color: red' }, [text('Hi '), node('blink', {}, [text('there')])]),
    node('script', {}, [text('alert(1)')]),
    node('img', { src: 'https://tracker/p.gif', alt: 'logo' }),
    node('a', { href: 'https://example.org' }, [text('link')]),
  ]);
  sanitizeTree(body);
  assert.equal(
    body.childNodes.map(render).join(''),
    '<p style="color: red">Hi there</p><img alt="logo"></img><a href="https://example.org" rel="noopener noreferrer" target="_blank">link</a>',
  );
});

test('only inert types open in a tab; HTML, SVG and XML are for saving only', () => {
  assert.equal(openableType('image/PNG'), 'image/png');
  assert.equal(openableType('application/pdf; name=x.pdf'), 'application/pdf');
  assert.equal(openableType('text/plain'), 'text/plain;charset=utf-8');
  for (const t of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml', 'application/octet-stream', '', undefined]) {
    assert.equal(openableType(t), null, String(t));
  }
});
