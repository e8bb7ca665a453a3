/**
 * Bitmessage protocol v3, byte-compatible with PyBitmessage 0.6.3.2: addresses and identities, the
 * wire format, objects (getpubkey, pubkey v2–v4, msg, broadcast v4/v5), their encryption and
 * signatures, message encodings, and the proof of work.
 *
 * <ul>
 *   <li>{@link org.sceau.bitmessage.Identity}, {@link org.sceau.bitmessage.BitmessageAddress},
 *       {@link org.sceau.bitmessage.PublicIdentity}: who.
 *   <li>{@link org.sceau.bitmessage.ObjectBuilder} → {@link org.sceau.bitmessage.PendingObject} →
 *       {@link org.sceau.bitmessage.ProofOfWork} → {@link org.sceau.bitmessage.BitmessageObject}:
 *       sending.
 *   <li>{@link org.sceau.bitmessage.ObjectCodec}, {@link org.sceau.bitmessage.ObjectReader}:
 *       receiving (decode, decrypt, verify).
 *   <li>{@link org.sceau.bitmessage.PacketCodec}, {@link org.sceau.bitmessage.WireMessage}: the
 *       peer-to-peer messages (the node itself is another package).
 * </ul>
 *
 * <p>Every parser bounds lengths before allocating and fails with a {@link
 * org.sceau.bitmessage.BitmessageException} carrying a stable {@link
 * org.sceau.bitmessage.ErrorCode}; messages never contain keys or plaintext.
 */
package org.sceau.bitmessage;
