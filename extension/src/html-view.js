// The decrypted HTML is shown inside the message document (where Thunderbird already disables
// scripts), in a shadow root, after this allowlist: no scripts, frames, forms or plug-ins, no event
// handlers, and nothing that loads from the network — remote images, fonts and styles would tell
// the sender that and when the message was read.

export const ALLOWED_TAGS = new Set(
  ('a abbr address article aside b bdi bdo blockquote br caption center cite code col colgroup dd del ' +
    'details dfn div dl dt em figcaption figure font footer h1 h2 h3 h4 h5 h6 header hr i img ins kbd li ' +
    'main mark nav ol p pre q s samp section small span strike strong sub summary sup table tbody td ' +
    'tfoot th thead time tr tt u ul var wbr').split(' '),
);

/** Elements dropped with everything inside them (their content is code or chrome, not text). */
export const DROPPED_WITH_CONTENT = new Set(['script', 'style', 'template', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'noscript', 'title', 'head', 'svg', 'math', 'form', 'select', 'textarea', 'button']);

const URL_ATTRIBUTES = new Set(['href', 'src', 'background', 'cite', 'action', 'poster', 'longdesc', 'usemap', 'srcset', 'xlink:href']);
const PLAIN_ATTRIBUTES = new Set(['alt', 'title', 'width', 'height', 'align', 'valign', 'colspan', 'rowspan', 'dir', 'lang', 'color', 'face', 'size', 'border', 'cellpadding', 'cellspacing', 'bgcolor', 'start', 'type', 'reversed', 'datetime', 'open', 'span', 'scope', 'headers', 'abbr']);

/**
 * What to keep of one attribute: the value, or null to drop it. Links stay (a click opens the
 * browser, as for any mail); images only from data: URLs; styles only without url() or @import.
 */
export function cleanAttribute(tag, name, value) {
  const n = String(name).toLowerCase();
  const v = String(value);
  if (n.startsWith('on')) return null;
  if (n === 'style') return /url\s*\(|@import|expression\s*\(|behavior\s*:|-moz-binding/i.test(v) ? null : v;
  if (URL_ATTRIBUTES.has(n)) {
    const url = v.trim().replace(/[\u0000-\u0020]/g, '').toLowerCase();
    if (tag === 'a' && n === 'href') return /^(https?:|mailto:)/.test(url) ? v : null;
    if (tag === 'img' && n === 'src') return /^data:image\/(png|gif|jpeg|webp);/.test(url) ? v : null;
    return null;
  }
  return PLAIN_ATTRIBUTES.has(n) ? v : null;
}

/**
 * Sanitises the children of `root` in place (a DOM from DOMParser in the background page). Unknown
 * elements are unwrapped (their text stays), dangerous ones removed.
 */
export function sanitizeTree(root) {
  for (const node of [...root.childNodes]) {
    if (node.nodeType === 3) continue; // text
    if (node.nodeType !== 1) {
      node.remove(); // comments, processing instructions
      continue;
    }
    const tag = node.localName.toLowerCase();
    if (DROPPED_WITH_CONTENT.has(tag)) {
      node.remove();
      continue;
    }
    sanitizeTree(node);
    if (!ALLOWED_TAGS.has(tag)) {
      node.replaceWith(...node.childNodes);
      continue;
    }
    for (const attr of [...node.attributes]) {
      const kept = cleanAttribute(tag, attr.name, attr.value);
      if (kept === null) node.removeAttribute(attr.name);
    }
    if (tag === 'a') {
      node.setAttribute('rel', 'noopener noreferrer');
      node.setAttribute('target', '_blank');
    }
  }
  return root;
}

/** Parses and sanitises HTML with the given DOMParser; returns the safe HTML of its body. */
export function sanitizeHtml(html, parser) {
  const doc = parser.parseFromString(String(html), 'text/html');
  return sanitizeTree(doc.body).innerHTML;
}

/**
 * Attachments Sceau opens in a Thunderbird tab, with the type it opens them as. Anything that could
 * run script (HTML, SVG, XML) is never opened, only saved: a page opened from the add-on would run
 * with the add-on's rights.
 */
export function openableType(mediaType) {
  const t = String(mediaType || '').toLowerCase().split(';')[0].trim();
  if (['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'].includes(t)) return t;
  if (t === 'text/plain') return 'text/plain;charset=utf-8';
  return null;
}
