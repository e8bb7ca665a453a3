// The add-on's own settings (storage.local): per-identity defaults and Autocrypt switches. Nothing
// secret lives here — keys, passwords and the vault are the helper's.

export const DEFAULT_SETTINGS = Object.freeze({
  identities: {},
  autocryptAutoEncrypt: true,
  autocryptProcess: true,
});

/** Merges stored values over the defaults, ignoring anything of the wrong type. */
export function normalizeSettings(stored) {
  const s = stored && typeof stored === 'object' ? stored : {};
  const out = {
    identities: {},
    autocryptAutoEncrypt:
      typeof s.autocryptAutoEncrypt === 'boolean' ? s.autocryptAutoEncrypt : DEFAULT_SETTINGS.autocryptAutoEncrypt,
    autocryptProcess: typeof s.autocryptProcess === 'boolean' ? s.autocryptProcess : DEFAULT_SETTINGS.autocryptProcess,
  };
  for (const [email, v] of Object.entries(s.identities || {})) {
    if (v && typeof v === 'object') {
      out.identities[email.toLowerCase()] = { encrypt: v.encrypt === true, sign: v.sign === true, mutual: v.mutual === true };
    }
  }
  return out;
}

export function identityDefaults(settings, email) {
  const d = email ? settings.identities[String(email).toLowerCase()] : null;
  return d ? { encrypt: d.encrypt, sign: d.sign } : { encrypt: false, sign: false };
}

export async function loadSettings(storage = globalThis.browser && browser.storage.local) {
  const got = storage ? await storage.get('settings') : {};
  return normalizeSettings(got && got.settings);
}

export async function saveSettings(settings, storage = browser.storage.local) {
  await storage.set({ settings: normalizeSettings(settings) });
}
