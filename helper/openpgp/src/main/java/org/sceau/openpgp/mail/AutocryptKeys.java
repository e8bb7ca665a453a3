package org.sceau.openpgp.mail;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.bcpg.KeyIdentifier;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPUserAttributeSubpacketVector;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.sceau.openpgp.Certificate;
import org.sceau.openpgp.internal.Bc;
import org.sceau.openpgp.internal.BcCertificate;

/**
 * The certificate as Autocrypt sends it (Level 1 §2.1.1 asks for a minimal key): the primary key,
 * only the user ID for the address (other user IDs and photos would tell every recipient the
 * sender's other identities), the signing subkeys currently valid (our signatures are made by one,
 * so a peer that knows us only from Autocrypt can verify them) and one encryption subkey.
 */
final class AutocryptKeys {
  private AutocryptKeys() {}

  /** {@code cert} trimmed for {@code address}; unchanged when nothing is to drop or no UID fits. */
  static Certificate minimal(Certificate cert, String address) {
    try {
      OpenPGPCertificate oc = BcCertificate.unwrap(cert);
      PGPPublicKeyRing ring = oc.getPGPPublicKeyRing();
      PGPPublicKey primary = ring.getPublicKey();
      String want = address.toLowerCase(Locale.ROOT);
      List<String> drop = new ArrayList<>();
      boolean found = false;
      for (Iterator<String> it = primary.getUserIDs(); it.hasNext(); ) {
        String uid = it.next();
        if (uidAddress(uid).equals(want) && !found) {
          found = true;
        } else {
          drop.add(uid);
        }
      }
      if (!found) {
        return cert;
      }
      boolean changed = !drop.isEmpty();
      PGPPublicKey p = primary;
      for (String uid : drop) {
        PGPPublicKey r = PGPPublicKey.removeCertification(p, uid);
        p = r == null ? p : r;
      }
      for (Iterator<PGPUserAttributeSubpacketVector> it = primary.getUserAttributes();
          it.hasNext(); ) {
        PGPPublicKey r = PGPPublicKey.removeCertification(p, it.next());
        p = r == null ? p : r;
        changed = true;
      }
      Date now = new Date();
      Set<KeyIdentifier> keep = new HashSet<>();
      for (OpenPGPCertificate.OpenPGPComponentKey k : oc.getSigningKeys(now)) {
        keep.add(k.getKeyIdentifier());
      }
      List<OpenPGPCertificate.OpenPGPComponentKey> enc = oc.getEncryptionKeys(now);
      if (!enc.isEmpty()) {
        keep.add(enc.get(0).getKeyIdentifier());
      }
      List<PGPPublicKey> keys = new ArrayList<>(List.of(p));
      for (Iterator<PGPPublicKey> it = ring.getPublicKeys(); it.hasNext(); ) {
        PGPPublicKey k = it.next();
        if (k.isMasterKey()) {
          continue;
        }
        if (keep.contains(k.getKeyIdentifier())) {
          keys.add(k);
        } else {
          changed = true;
        }
      }
      if (!changed) {
        return cert;
      }
      return new BcCertificate(new OpenPGPCertificate(new PGPPublicKeyRing(keys), Bc.impl()));
    } catch (RuntimeException e) {
      // A certificate BC cannot rebuild is sent whole: larger, never wrong.
      return cert;
    }
  }

  private static String uidAddress(String uid) {
    int lt = uid.lastIndexOf('<');
    int gt = uid.lastIndexOf('>');
    String a = lt >= 0 && gt > lt ? uid.substring(lt + 1, gt) : uid;
    return a.strip().toLowerCase(Locale.ROOT);
  }
}
