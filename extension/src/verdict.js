// mail.decrypt's answer → the status bar above a message: encrypted or not, signed by whom, and how
// far to trust it. Pure; returns message keys for browser.i18n and a tone for the bar's colour.

/**
 * @param result mail.decrypt's result
 * @param names fingerprint → user id of known keys (from keys.list), to say who signed
 * @returns {{tone:'good'|'neutral'|'warn'|'bad', encrypted:boolean, signature:string,
 *   lines:Array<{key:string, subs:string[]}>, subject:string|null}}
 */
export function verdictView(result, names = new Map()) {
  const lines = [];
  const encrypted = Boolean(result.encrypted);
  lines.push({ key: encrypted ? 'verdictEncrypted' : 'verdictNotEncrypted', subs: [] });
  const sig = (result.signatures || []).find((s) => s.status === 'GOOD') || (result.signatures || [])[0];
  const who = sig ? signerName(sig, names) : '';
  let signature;
  switch (result.signatureStatus) {
    case 'GOOD':
      signature = sig && sig.signerVerified ? 'verified' : 'unverified';
      lines.push({ key: signature === 'verified' ? 'verdictSignedVerified' : 'verdictSignedUnverified', subs: [who] });
      if (!result.signedBySender) lines.push({ key: 'verdictNotSender', subs: [] });
      break;
    case 'BAD':
      signature = 'bad';
      lines.push({ key: 'verdictBadSignature', subs: [] });
      break;
    case 'UNKNOWN_KEY':
      signature = 'unknownKey';
      lines.push({ key: 'verdictUnknownKey', subs: [sig ? sig.keyId : '?'] });
      break;
    case 'KEY_EXPIRED':
    case 'KEY_REVOKED':
      signature = 'keyProblem';
      lines.push({ key: result.signatureStatus === 'KEY_EXPIRED' ? 'verdictKeyExpired' : 'verdictKeyRevoked', subs: [who] });
      break;
    default:
      signature = 'unsigned';
      lines.push({ key: 'verdictNotSigned', subs: [] });
  }
  if (result.remoteContentRemoved) lines.push({ key: 'verdictRemoteRemoved', subs: [] });
  const ph = result.protectedHeaders;
  const subject = ph && ph.fields && Array.isArray(ph.fields.subject) ? ph.fields.subject[0] : null;
  if (subject !== null && subject !== undefined) lines.push({ key: 'verdictProtectedSubject', subs: [subject] });
  let tone;
  if (signature === 'bad') tone = 'bad';
  else if (signature === 'verified' && result.signedBySender) tone = 'good';
  else if (signature === 'unsigned' && encrypted) tone = 'neutral';
  else tone = 'warn';
  return { tone, encrypted, signature, lines, subject: subject ?? null };
}

function signerName(sig, names) {
  const fp = sig.fingerprint || '';
  const uid = fp && names.get(fp);
  if (uid) return uid;
  return fp ? formatFingerprint(fp) : sig.keyId || '?';
}

/** Fingerprints in groups of four, as users compare them aloud. */
export function formatFingerprint(fp) {
  return String(fp).toUpperCase().replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

/** Attachment size for people. */
export function formatSize(bytes) {
  if (bytes < 1024) return { key: 'sizeBytes', subs: [String(bytes)] };
  if (bytes < 1024 * 1024) return { key: 'sizeKiB', subs: [String(Math.round(bytes / 1024))] };
  return { key: 'sizeMiB', subs: [(bytes / (1024 * 1024)).toFixed(1)] };
}
