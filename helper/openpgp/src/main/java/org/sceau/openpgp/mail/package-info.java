/**
 * OpenPGP mail: RFC 3156 PGP/MIME with RFC 9788 header protection, and Autocrypt Level 1.
 *
 * <ul>
 *   <li>{@link org.sceau.openpgp.mail.MailComposer} turns a {@link org.sceau.openpgp.mail.Draft}
 *       into {@code multipart/encrypted} (signed and encrypted, real headers inside, "..." as the
 *       outer Subject, Autocrypt and Autocrypt-Gossip headers) or {@code multipart/signed}.
 *   <li>{@link org.sceau.openpgp.mail.MailReader} reads raw received mail (PGP/MIME encrypted or
 *       signed, inline PGP, Exchange's rewrite) into a {@link org.sceau.openpgp.mail.ReadMail}: the
 *       MIME tree, protected headers and an honest signature verdict, refusing mixed
 *       encrypted/unencrypted content (EFAIL).
 *   <li>{@link org.sceau.openpgp.mail.AutocryptHeader}, {@link
 *       org.sceau.openpgp.mail.AutocryptPeer} and {@link org.sceau.openpgp.mail.Autocrypt}: header
 *       syntax, peer state and the recommendation, as pure functions over records the vault can
 *       persist.
 * </ul>
 *
 * <p>Errors: {@link org.sceau.openpgp.mail.MailException} with a stable {@link
 * org.sceau.openpgp.mail.MailError} for mail-level problems; the engine's {@link
 * org.sceau.openpgp.OpenPgpException} codes pass through unchanged for cryptographic ones.
 *
 * <p>Also: {@link org.sceau.openpgp.mail.MailComposer#encryptInline} (the inline-PGP fallback),
 * {@link org.sceau.openpgp.mail.AutocryptSetupMessage} (moving a secret key between clients) and
 * {@link org.sceau.openpgp.mail.HtmlContent} (received HTML made safe to show; HTML to text). Key
 * discovery is in {@code org.sceau.openpgp.discovery}; sending and the RPC methods are the helper's
 * ({@code org.sceau.app.mail}).
 */
package org.sceau.openpgp.mail;
