// Helper error → what the user reads and what they can do about it. Pure; keys are browser.i18n
// message names, `action` tells the UI which button to offer.

const VIEWS = {
  VAULT_LOCKED: { key: 'errorVaultLocked', action: 'unlock' },
  NO_VAULT: { key: 'errorNoVault', action: 'options' },
  WRONG_PASSPHRASE: { key: 'errorWrongPassphrase' },
  KEY_FILE_MISSING: { key: 'errorKeyFileMissing' },
  KEY_FILE_WRONG: { key: 'errorKeyFileWrong' },
  NO_KEY_FOR_RECIPIENT: { key: 'errorNoKeyForRecipient', action: 'keys' },
  NO_SECRET_KEY: { key: 'errorNoSecretKey', action: 'options' },
  KEY_NOT_FOUND: { key: 'errorKeyNotFound' },
  SMTP_PASSWORD_MISSING: { key: 'errorSmtpPasswordMissing', action: 'options' },
  AUTH_FAILED: { key: 'errorSmtpAuth', action: 'options' },
  TLS_FAILED: { key: 'errorSmtpTls', action: 'options' },
  RECIPIENT_REFUSED: { key: 'errorRecipientRefused' },
  SMTP_UNAVAILABLE: { key: 'errorSmtpUnavailable' },
  NO_DECRYPTION_KEY: { key: 'errorNoDecryptionKey' },
  MALFORMED_MESSAGE: { key: 'errorMalformed' },
  MALFORMED_MAIL: { key: 'errorMalformed' },
  INTEGRITY_PROTECTION_MISSING: { key: 'errorIntegrity' },
  MIXED_ENCRYPTED_CONTENT: { key: 'errorMixedContent' },
  TOO_LARGE: { key: 'errorTooLarge' },
  NOT_INSTALLED: { key: 'errorNotInstalled' },
  BRIDGE_FAILED: { key: 'errorBridgeFailed' },
  HELPER_UNREACHABLE: { key: 'errorHelperUnreachable' },
  BRIDGE_DISCONNECTED: { key: 'errorBridgeDisconnected' },
  TIMEOUT: { key: 'errorTimeout' },
};

/** @param error a HelperError (or anything with type/message/data) */
export function errorView(error) {
  const type = (error && error.type) || 'ERROR';
  const known = VIEWS[type];
  if (!known) {
    return { type, key: 'errorGeneric', subs: [], detail: String((error && error.message) || type), action: null };
  }
  const data = (error && error.data) || {};
  let subs = [];
  if (type === 'NO_KEY_FOR_RECIPIENT') subs = [(data.addresses || []).join(', ')];
  if (type === 'RECIPIENT_REFUSED') subs = [(data.refused || []).join(', ')];
  return { type, key: known.key, subs, detail: null, action: known.action || null };
}

/** Whether a failed send still leaves the draft for the user to retry or change. Always, by design. */
export function keepsDraft() {
  return true;
}
