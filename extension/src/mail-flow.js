// The two mail paths, with Thunderbird (`messenger`) and the helper passed in, so they run under
// node --test with fakes at exactly those seams:
//  - send: onBeforeSend with Encrypt on (or Sign alone) → cancel Thunderbird's send, hand the
//    draft to the helper (mail.send, with encrypt:false for Sign alone), then file the returned
//    copy and close; no SMTP password → the helper's inline form (encrypted, or cleartext-signed)
//    goes out through Thunderbird instead; any error keeps the draft open and is shown;
//  - read: a displayed message that looks encrypted or signed → getRaw → mail.decrypt → what the
//    display script shows (status bar, sanitised body, attachments).

import { bytesToBase64, base64ToBytes } from './chunks.js';
import { buildDraft, inlineDetails, parseReferences } from './draft.js';
import { hasAutocrypt, headerLength, protectionOf } from './routing.js';
import { verdictView } from './verdict.js';
import { errorView } from './errors.js';
import { protectionOf as protectionOfState } from './compose-state.js';
import { openableType, sanitizeHtml } from './html-view.js';

/** Messages up to this size go whole to Autocrypt processing, so gossip inside them is read. */
export const AUTOCRYPT_WHOLE_MAX = 1024 * 1024;

export function plainError(e) {
  return { type: (e && e.type) || 'ERROR', message: String((e && e.message) || e), data: (e && e.data) ?? null };
}

function latin1(bytes, max) {
  let s = '';
  const n = Math.min(bytes.length, max);
  for (let i = 0; i < n; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(n, i + 0x8000)));
  return s;
}

/**
 * @param deps.messenger Thunderbird's API (browser / messenger)
 * @param deps.helper {call(method, params)} rejecting with a typed error
 * @param deps.states ComposeStates
 * @param deps.settings () => Promise<settings>
 * @param deps.recommend (tabId, details) => Promise, Autocrypt's say before sending
 * @param deps.composeError (tab, error) => Promise, shows an error in the composer
 * @param deps.afterSend (tabId, identityId, message64) => void, files the copy and closes
 * @param deps.parser () => DOMParser
 * @param deps.lockedTab (tabId) => void, remembers a message tab waiting for the vault
 */
export function createMailFlow(deps) {
  const { messenger } = deps;

  async function readAttachments(tabId) {
    const out = [];
    for (const a of await messenger.compose.listAttachments(tabId)) {
      const file = await messenger.compose.getAttachmentFile(a.id);
      out.push({
        fileName: a.name || file.name,
        mediaType: file.type || 'application/octet-stream',
        bytes: new Uint8Array(await file.arrayBuffer()),
      });
    }
    return out;
  }

  async function relatedOf(details) {
    if (details.type !== 'reply' || !details.relatedMessageId) return null;
    try {
      const m = await messenger.messages.get(details.relatedMessageId);
      let references = [];
      try {
        const full = await messenger.messages.getFull(details.relatedMessageId);
        references = parseReferences(((full.headers || {}).references || [])[0]);
      } catch {
        // Headers unreadable: the reply still threads through In-Reply-To.
      }
      return { headerMessageId: m.headerMessageId, references };
    } catch {
      return null;
    }
  }

  async function swapAttachments(tabId, attachments) {
    for (const a of await messenger.compose.listAttachments(tabId)) await messenger.compose.removeAttachment(tabId, a.id);
    for (const a of attachments || []) {
      await messenger.compose.addAttachment(tabId, {
        file: new File([base64ToBytes(a.data)], a.fileName, { type: a.mediaType || 'application/octet-stream' }),
      });
    }
  }

  /** compose.onBeforeSend's listener. */
  async function beforeSend(tab, details) {
    const state = deps.states.get(tab.id);
    if (!state || !state.userSet) await deps.recommend(tab.id, details);
    const protection = protectionOfState(deps.states.get(tab.id));
    if (!protection) return {};
    const encrypt = protection === 'encrypt';
    let draft;
    try {
      draft = buildDraft(details, await readAttachments(tab.id), await relatedOf(details));
    } catch (e) {
      await deps.composeError(tab, e);
      return { cancel: true };
    }
    try {
      const sent = await deps.helper.call('mail.send', encrypt ? { draft } : { draft, encrypt: false });
      // Filing and closing happen once Thunderbird has taken the cancel.
      setTimeout(() => deps.afterSend(tab.id, details.identityId, sent.message), 0);
      return { cancel: true };
    } catch (e) {
      if (e.type !== 'SMTP_PASSWORD_MISSING') {
        await deps.composeError(tab, e);
        return { cancel: true };
      }
    }
    // No password for the helper's own submission: Thunderbird sends the inline form itself.
    try {
      if (!encrypt) {
        // Cleartext-signed text; attachments go as they are (they are not signed).
        const signed = await deps.helper.call('mail.signInline', { draft });
        return { details: inlineDetails(signed) };
      }
      const inline = await deps.helper.call('mail.encryptInline', { draft });
      await swapAttachments(tab.id, inline.attachments);
      return { details: inlineDetails(inline) };
    } catch (e) {
      await deps.composeError(tab, e);
      return { cancel: true };
    }
  }

  async function keyNames() {
    const names = new Map();
    try {
      for (const k of (await deps.helper.call('keys.list', {})).keys || []) {
        if (k.userIds && k.userIds.length) names.set(k.fingerprint, k.userIds[0]);
      }
    } catch {
      // Names are a nicety: the fingerprint is shown instead.
    }
    return names;
  }

  /** What the display script in message tab `tabId` shows; `{skip:true}` leaves the message be. */
  async function openDisplayed(tabId) {
    const shown = await messenger.messageDisplay.getDisplayedMessages(tabId);
    const message = (shown.messages || shown)[0];
    if (!message) return { skip: true };
    const file = await messenger.messages.getRaw(message.id);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const head = latin1(bytes, 256 * 1024);
    const kind = protectionOf(head);
    const settings = await deps.settings();
    const wantsAutocrypt = settings.autocryptProcess && hasAutocrypt(head);
    if (!kind && !wantsAutocrypt) return { skip: true };
    const raw = bytesToBase64(bytes);
    if (wantsAutocrypt) {
      // A large message goes to the helper once, to decrypt; Autocrypt gets its headers alone
      // (the outer header is there; gossip inside the encryption is skipped for such messages).
      const cut = headerLength(head);
      const forAutocrypt = bytes.length > AUTOCRYPT_WHOLE_MAX && cut > 0 ? bytesToBase64(bytes.subarray(0, cut)) : raw;
      deps.helper.call('mail.autocrypt.process', { raw: forAutocrypt }).catch(() => {});
    }
    if (!kind) return { skip: true };
    try {
      const result = await deps.helper.call('mail.decrypt', { raw });
      return {
        view: verdictView(result, await keyNames()),
        html: typeof result.html === 'string' ? sanitizeHtml(result.html, deps.parser()) : null,
        text: typeof result.html === 'string' ? null : result.text ?? '',
        attachments: (result.attachments || []).map((a) => ({
          fileName: a.fileName,
          mediaType: a.mediaType,
          size: a.size,
          data: a.data,
          openable: openableType(a.mediaType) !== null,
        })),
        // Keys attached to the mail, offered for import (nothing is stored until the user says so).
        attachedKeys: (result.attachedKeys || [])
          .filter((k) => !k.known)
          .map((k) => ({ fingerprint: k.fingerprint, userIds: k.userIds || [], fileName: k.fileName || '' })),
        // Parts from outside the encryption (a list footer): shown apart, labelled, never merged.
        outside: (result.unencryptedParts || [])
          .filter((u) => typeof u.text === 'string')
          .map((u) =>
            u.mediaType === 'text/html'
              ? { html: sanitizeHtml(u.text, deps.parser()) }
              : { text: u.text },
          ),
      };
    } catch (e) {
      if (e.type === 'VAULT_LOCKED') deps.lockedTab(tabId);
      return { error: plainError(e), errorView: errorView(e) };
    }
  }

  return { beforeSend, openDisplayed };
}
