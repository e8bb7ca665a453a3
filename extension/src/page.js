// Shared by the add-on's pages (popups, unlock, options): translation of static text, and helper
// calls routed through the background so one native port serves them all.

export const t = (key, subs) => browser.i18n.getMessage(key, subs) || key;

export function translatePage(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  document.documentElement.lang = browser.i18n.getUILanguage();
}

export class PageError extends Error {
  constructor(error) {
    super(error.message);
    this.type = error.type;
    this.data = error.data;
  }
}

/** Sends a command to the background; resolves with its result or throws a PageError. */
export async function command(name, fields = {}) {
  const reply = await browser.runtime.sendMessage({ command: name, ...fields });
  if (!reply) throw new PageError({ type: 'ERROR', message: 'No answer from the add-on.' });
  if (!reply.ok) throw new PageError(reply.error);
  return reply.result;
}

export const rpc = (method, params = {}) => command('rpc', { method, params });

export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v === true) e.setAttribute(k, '');
    else if (v !== false && v !== null && v !== undefined) e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}
