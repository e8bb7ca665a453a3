// Turns what Thunderbird's composer holds into the helper's draft (docs/rpc.md, mail.send), and
// the helper's inline-PGP answer back into what onBeforeSend may return. Pure: the File reading and
// the messenger calls stay in background.js.

import { bytesToBase64 } from './chunks.js';

/** Splits "Name <a@b>" / "a@b" into its address, lower-cased for comparisons. */
export function addressOf(entry) {
  if (typeof entry !== 'string') return '';
  const m = entry.match(/<([^<>]+)>\s*$/);
  return (m ? m[1] : entry).trim().toLowerCase();
}

/** Compose fields may hold several comma-separated addresses per entry. */
export function splitAddresses(list) {
  const out = [];
  for (const entry of Array.isArray(list) ? list : list ? [list] : []) {
    if (typeof entry !== 'string') continue; // a contact/list id the composer has not expanded
    let depth = 0;
    let quoted = false;
    let cur = '';
    for (const ch of entry) {
      if (ch === '"') quoted = !quoted;
      if (!quoted && ch === '<') depth++;
      if (!quoted && ch === '>') depth = Math.max(0, depth - 1);
      if (ch === ',' && !quoted && depth === 0) {
        if (cur.trim()) out.push(cur.trim());
        cur = '';
      } else cur += ch;
    }
    if (cur.trim()) out.push(cur.trim());
  }
  return out;
}

/** Every recipient address of a composer, de-duplicated, in order. */
export function recipientsOf(details) {
  const seen = new Set();
  const out = [];
  for (const field of ['to', 'cc', 'bcc']) {
    for (const a of splitAddresses(details[field])) {
      const addr = addressOf(a);
      if (addr.includes('@') && !seen.has(addr)) {
        seen.add(addr);
        out.push(addr);
      }
    }
  }
  return out;
}

/**
 * The draft for mail.send / mail.encryptInline.
 * @param details ComposeDetails from compose.getComposeDetails (or onBeforeSend)
 * @param attachments [{fileName, mediaType, bytes: Uint8Array}]
 * @param related optional {headerMessageId, references?: string[]} of the message replied to
 */
export function buildDraft(details, attachments = [], related = null) {
  const draft = {
    from: details.from,
    to: splitAddresses(details.to),
    cc: splitAddresses(details.cc),
    bcc: splitAddresses(details.bcc),
    subject: details.subject || '',
  };
  if (details.isPlainText) {
    draft.text = details.plainTextBody ?? '';
  } else {
    // Both: the helper writes multipart/alternative, and the text part is what plain readers see.
    draft.html = details.body ?? '';
    if (typeof details.plainTextBody === 'string') draft.text = details.plainTextBody;
  }
  const replyTo = splitAddresses(details.replyTo);
  if (replyTo.length === 1) draft.replyTo = replyTo[0];
  if (related && related.headerMessageId) {
    const id = `<${related.headerMessageId.replace(/^<|>$/g, '')}>`;
    draft.inReplyTo = id;
    draft.references = [...(related.references || []), id];
  }
  if (attachments.length) {
    draft.attachments = attachments.map((a) => ({
      fileName: a.fileName || 'attachment',
      mediaType: a.mediaType || 'application/octet-stream',
      data: bytesToBase64(a.bytes),
    }));
  }
  return draft;
}

/** The References header value of a message, as a list of ids. */
export function parseReferences(value) {
  if (!value) return [];
  return String(value).match(/<[^<>\s]+>/g) || [];
}

/**
 * What onBeforeSend returns to let Thunderbird send the helper's inline-PGP message: the armored
 * text as a plain-text body. Attachments are swapped by the caller (they need compose.* calls).
 */
export function inlineDetails(inline) {
  return { isPlainText: true, plainTextBody: inline.text };
}
