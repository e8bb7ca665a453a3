import { renderLine, statusView } from '../src/status-view.js';

const t = (key, subs) => browser.i18n.getMessage(key, subs) || key;

for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);

async function show() {
  const main = document.getElementById('status');
  const reply = await browser.runtime.sendMessage({ command: 'status' });
  const outcome = reply && reply.ok ? reply.result : { ok: false, error: (reply && reply.error) || {} };
  const view = statusView(outcome);
  main.replaceChildren();
  main.className = view.state;
  const h = document.createElement('h2');
  h.textContent = renderLine(view.headline, t);
  main.append(h);
  for (const line of view.lines) {
    const p = document.createElement('p');
    p.className = view.state === 'error' ? 'hint' : '';
    p.textContent = renderLine(line, t);
    main.append(p);
  }
}

document.getElementById('retry').addEventListener('click', show);
document.getElementById('settings').addEventListener('click', () => browser.runtime.openOptionsPage());
show();
