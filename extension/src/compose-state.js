// Encrypt/Sign per composer tab, two independent switches. Defaults come from the identity's
// settings (both off unless the user chose otherwise, so an untouched identity's mail goes out as
// Thunderbird sends it); Autocrypt's recommendation may switch Encrypt on, but never overrides a
// choice the user made in this tab. Encrypted mail is always signed: Sign only matters without
// Encrypt (see protectionOf).

export class ComposeStates {
  constructor() {
    this.tabs = new Map();
  }

  /** @param defaults {encrypt:boolean, sign:boolean} for the composer's identity */
  open(tabId, defaults = {}) {
    if (!this.tabs.has(tabId)) {
      this.tabs.set(tabId, {
        encrypt: Boolean(defaults.encrypt),
        sign: defaults.sign === true,
        userSet: false,
        recommendation: null,
      });
    }
    return this.get(tabId);
  }

  get(tabId) {
    const s = this.tabs.get(tabId);
    return s ? { ...s } : null;
  }

  /** The user's own choice: it sticks for the life of the tab. */
  set(tabId, { encrypt, sign }) {
    const s = this.tabs.get(tabId) || this.open(tabId) && this.tabs.get(tabId);
    if (typeof encrypt === 'boolean') s.encrypt = encrypt;
    if (typeof sign === 'boolean') s.sign = sign;
    s.userSet = true;
    return this.get(tabId);
  }

  /**
   * mail.recommend's answer ({ui: disable|discourage|available|encrypt}). Autocrypt Level 1 §2.4:
   * "encrypt" means encrypt by default; the others leave the choice as it is.
   * @returns whether the state changed
   */
  recommend(tabId, recommendation) {
    const s = this.tabs.get(tabId);
    if (!s) return false;
    s.recommendation = recommendation && recommendation.ui ? recommendation.ui : null;
    if (s.userSet || s.recommendation !== 'encrypt' || s.encrypt) return false;
    s.encrypt = true;
    return true;
  }

  /** The composer switched identity: its defaults apply unless the user already chose. */
  identityChanged(tabId, defaults = {}) {
    const s = this.tabs.get(tabId);
    if (!s || s.userSet) return false;
    const encrypt = Boolean(defaults.encrypt) || s.recommendation === 'encrypt';
    const sign = defaults.sign === true;
    const changed = s.encrypt !== encrypt || s.sign !== sign;
    s.encrypt = encrypt;
    s.sign = sign;
    return changed;
  }

  close(tabId) {
    this.tabs.delete(tabId);
  }
}

/**
 * What the helper does with a tab's mail on send: 'encrypt' (encrypted and signed), 'sign'
 * (signed only, readable by all), or null (Thunderbird sends it as usual).
 */
export function protectionOf(state) {
  if (!state) return null;
  if (state.encrypt) return 'encrypt';
  return state.sign ? 'sign' : null;
}

/** The compose button's face for a state: label key and badge. */
export function buttonFace(state) {
  const p = protectionOf(state);
  if (p === 'encrypt') return { labelKey: 'composeButtonEncryptSign', badge: '🔒' };
  if (p === 'sign') return { labelKey: 'composeButtonSignOnly', badge: '✍' };
  return { labelKey: 'composeButtonOff', badge: '' };
}
