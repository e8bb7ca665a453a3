import { command, t, translatePage } from '../src/page.js';
import { errorView } from '../src/errors.js';

translatePage();
document.title = t('unlockTitle');
const form = document.getElementById('form');
const pass = document.getElementById('passphrase');
const error = document.getElementById('error');
pass.focus();

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const button = document.getElementById('unlock');
  button.disabled = true;
  error.hidden = true;
  try {
    const keyFile = document.getElementById('keyFile').value.trim();
    await command('vault.unlock', { passphrase: pass.value, keyFile: keyFile || undefined });
    pass.value = '';
    window.close();
  } catch (e) {
    const v = errorView(e);
    error.textContent = t(v.key, v.subs);
    error.hidden = false;
    pass.select();
  } finally {
    button.disabled = false;
  }
});
document.getElementById('cancel').addEventListener('click', () => window.close());
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') window.close();
});
