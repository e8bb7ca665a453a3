// Encrypt/Sign per composer tab. Defaults come from the identity's settings; Autocrypt's
// recommendation may switch Encrypt on, but never overrides a choice the user made in this tab.

export class ComposeStates {
  constructor() {
    this.tabs = new Map();
  }

  /** @param defaults {encrypt:boolean, sign:boolean} for the composer's identity */
  open(tabId, defaults = {}) {
    if (!this.tabs.has(tabId)) {
      this.tabs.set(tabId, {
        encrypt: Boolean(defaults.encrypt),
        sign: defaults.sign !== false,
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
    const changed = s.encrypt !== encrypt;
    s.encrypt = encrypt;
    return changed;
  }

  close(tabId) {
    this.tabs.delete(tabId);
  }
}

/**
 * The compose button's face for a state: label key and badge. The helper signs everything it
 * encrypts and has no sign-only path yet, so Encrypt decides what is sent (see the popup's hint).
 */
export function buttonFace(state) {
  if (state && state.encrypt) return { labelKey: 'composeButtonEncryptSign', badge: '🔒' };
  return { labelKey: 'composeButtonOff', badge: '' };
}
