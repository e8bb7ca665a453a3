// Runs inside each displayed message. Asks the background whether this message is Sceau's to show;
// if so, replaces the body with a status bar, the decrypted content (sanitised, nothing remote) in
// its own shadow root, and the attachments. Classic script: message display scripts are not modules.
(() => {
  const t = (key, subs) => browser.i18n.getMessage(key, subs) || key;
  const line = (l) => t(l.key, l.subs);
  const h = (tag, props = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children) if (c) e.append(c);
    return e;
  };

  function bytesOf(b64) {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function sizeText(n) {
    if (n < 1024) return t('sizeBytes', [String(n)]);
    if (n < 1048576) return t('sizeKiB', [String(Math.round(n / 1024))]);
    return t('sizeMiB', [(n / 1048576).toFixed(1)]);
  }

  function attachmentList(attachments) {
    if (!attachments.length) return null;
    const list = h('ul', { class: 'sceau-attachments', 'aria-label': t('attachmentsLabel') });
    for (const a of attachments) {
      const url = URL.createObjectURL(new Blob([bytesOf(a.data)], { type: a.mediaType || 'application/octet-stream' }));
      // Open shows inert types (images, PDF, text) in a Thunderbird tab; anything else is saved.
      const open = a.openable
        ? h('button', {
          type: 'button', class: 'sceau-open', text: t('attachmentOpen'),
          'aria-label': t('attachmentOpenLabel', [a.fileName]),
          onclick: () => browser.runtime.sendMessage({ command: 'attachment.open', mediaType: a.mediaType, data: a.data }),
        })
        : null;
      const save = h('a', { href: url, download: a.fileName, class: 'sceau-save', text: t('attachmentSave') });
      save.setAttribute('aria-label', t('attachmentSaveLabel', [a.fileName]));
      list.append(
        h('li', {},
          h('span', { class: 'sceau-att-name', text: a.fileName }),
          h('span', { class: 'sceau-att-size', text: sizeText(a.size ?? 0) }),
          open, save),
      );
    }
    return list;
  }

  /** Keys attached to the mail: one button each to add it, unverified, to Sceau. */
  function keyOffers(keys, attachments) {
    if (!keys.length) return null;
    const box = h('div', { class: 'sceau-bar sceau-neutral sceau-keys' });
    for (const k of keys) {
      const file = attachments.find((a) => a.fileName === k.fileName);
      if (!file) continue;
      const who = k.userIds[0] || k.fingerprint;
      const button = h('button', { type: 'button', text: t('importAttachedKey') });
      button.addEventListener('click', async () => {
        button.disabled = true;
        const armored = new TextDecoder().decode(bytesOf(file.data));
        const r = await browser.runtime.sendMessage({ command: 'rpc', method: 'keys.import', params: { armored } });
        button.textContent = r && r.ok ? t('keyImported') : t('errorGeneric');
      });
      box.append(h('span', { class: 'sceau-line', text: t('attachedKeyOffer', [who]) }), button);
    }
    return box;
  }

  function outsideParts(parts) {
    if (!parts.length) return null;
    const box = h('div', { class: 'sceau-outside' }, h('div', { class: 'sceau-bar sceau-warn', text: t('outsidePartsWarning') }));
    for (const p of parts) {
      if (typeof p.html === 'string') {
        const host = h('div');
        const doc = new DOMParser().parseFromString(`<div>${p.html}</div>`, 'text/html');
        host.attachShadow({ mode: 'closed' }).append(document.adoptNode(doc.body.firstChild));
        box.append(host);
      } else {
        box.append(h('pre', { class: 'sceau-text', text: p.text }));
      }
    }
    return box;
  }

  function show(reply) {
    const bar = h('div', { id: 'sceau-status', role: 'status', class: `sceau-bar sceau-${reply.view.tone}` });
    bar.dataset.signature = reply.view.signature;
    bar.dataset.encrypted = String(reply.view.encrypted);
    for (const l of reply.view.lines) bar.append(h('span', { class: 'sceau-line', text: line(l) }));
    // A closed shadow root keeps the message's own styles and ours apart; Thunderbird runs no
    // scripts in message documents, and the HTML was sanitised by the background.
    const host = h('div', { id: 'sceau-body', role: 'document', 'aria-label': t('decryptedBodyLabel') });
    const root = host.attachShadow({ mode: 'closed' });
    if (typeof reply.html === 'string') {
      const doc = new DOMParser().parseFromString(`<div>${reply.html}</div>`, 'text/html');
      root.append(document.adoptNode(doc.body.firstChild));
    } else {
      root.append(h('pre', { class: 'sceau-text', text: reply.text, style: 'white-space: pre-wrap; overflow-wrap: anywhere; font: inherit; margin: 0' }));
    }
    document.body.replaceChildren(
      h('div', { id: 'sceau-view' }, bar, host, attachmentList(reply.attachments || []),
        keyOffers(reply.attachedKeys || [], reply.attachments || []), outsideParts(reply.outside || [])),
    );
  }

  function showError(reply) {
    const v = reply.errorView;
    const box = h('div', { id: 'sceau-status', role: 'alert', class: 'sceau-bar sceau-bad' });
    box.dataset.error = reply.error.type;
    box.append(h('span', { class: 'sceau-line', text: t(v.key, v.subs) }));
    if (v.detail) box.append(h('span', { class: 'sceau-line', text: t('errorDetail', [v.detail]) }));
    if (v.action === 'unlock') {
      box.append(h('button', {
        type: 'button', id: 'sceau-unlock', text: t('unlockButton'),
        onclick: () => browser.runtime.sendMessage({ command: 'unlock.show' }),
      }));
    }
    const old = document.getElementById('sceau-status');
    if (old) old.replaceWith(box);
    else document.body.prepend(box);
  }

  async function run() {
    const reply = await browser.runtime.sendMessage({ command: 'display.open' });
    if (!reply || !reply.ok) return;
    const r = reply.result;
    if (r.skip) return;
    if (r.error) showError(r);
    else show(r);
  }

  browser.runtime.onMessage.addListener((m) => {
    if (m && m.command === 'display.retry') run();
  });
  run();
})();
