// Which messages Sceau should open, decided from the raw source's headers and first lines alone.
// Thunderbird hands the display script every message; most need nothing.

const MAX_SNIFF = 256 * 1024;

/** Splits raw mail into its header block (unfolded, lower-case names) and the start of the body. */
export function headerBlock(raw) {
  const text = raw.length > MAX_SNIFF ? raw.slice(0, MAX_SNIFF) : raw;
  const m = text.match(/\r?\n\r?\n/);
  const head = m ? text.slice(0, m.index) : text;
  const body = m ? text.slice(m.index + m[0].length) : '';
  const headers = new Map();
  let last = null;
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && last) {
      headers.set(last, headers.get(last) + ' ' + line.trim());
      continue;
    }
    const i = line.indexOf(':');
    if (i <= 0) continue; // the mbox "From " line, or garbage
    last = line.slice(0, i).trim().toLowerCase();
    if (!headers.has(last)) headers.set(last, line.slice(i + 1).trim());
  }
  return { headers, body };
}

/**
 * 'encrypted' | 'signed' | null: the kind of OpenPGP protection the message shows on its face.
 * Inline PGP is recognised only when the armour starts a line of the body, as the helper requires.
 */
export function protectionOf(raw) {
  const { headers, body } = headerBlock(raw);
  const ct = (headers.get('content-type') || '').toLowerCase();
  if (ct.startsWith('multipart/encrypted') && ct.includes('application/pgp-encrypted')) return 'encrypted';
  if (ct.startsWith('multipart/signed') && ct.includes('application/pgp-signature')) return 'signed';
  if (/^-----BEGIN PGP MESSAGE-----\s*$/m.test(body)) return 'encrypted';
  if (/^-----BEGIN PGP SIGNED MESSAGE-----\s*$/m.test(body)) return 'signed';
  // multipart/mixed with an encrypted.asc, as some clients and our own inline fallback send
  if (ct.startsWith('multipart/') && /^-----BEGIN PGP MESSAGE-----\s*$/m.test(raw.slice(0, MAX_SNIFF))) {
    return 'encrypted';
  }
  return null;
}

/** Whether a message carries an Autocrypt header worth handing to the helper. */
export function hasAutocrypt(raw) {
  return headerBlock(raw).headers.has('autocrypt');
}

/** Bytes of the header block including the blank line after it (raw as a latin-1 string), or -1. */
export function headerLength(raw) {
  const m = raw.slice(0, MAX_SNIFF).match(/\r?\n\r?\n/);
  return m ? m.index + m[0].length : -1;
}
