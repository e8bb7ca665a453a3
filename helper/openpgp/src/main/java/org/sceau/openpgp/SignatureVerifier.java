package org.sceau.openpgp;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.sceau.openpgp.internal.BcCertificate;
import org.sceau.openpgp.internal.Messages;
import org.sceau.openpgp.internal.Verdicts;

/**
 * Verifies detached signatures over streamed data, one verdict per signature. A signature that does
 * not match the data is {@link SignatureStatus#BAD}, never an exception; use {@link #requireGood}
 * to turn that into {@link OpenPgpError#BAD_SIGNATURE}.
 */
public interface SignatureVerifier {

  List<SignatureVerdict> verify(InputStream data, byte[] signature) throws OpenPgpException;

  /** Verifies and throws BAD_SIGNATURE / NO_SIGNATURE unless at least one signature is good. */
  default SignatureVerdict requireGood(InputStream data, byte[] signature) throws OpenPgpException {
    List<SignatureVerdict> v = verify(data, signature);
    for (SignatureVerdict s : v) {
      if (s.isGood()) {
        return s;
      }
    }
    if (v.stream().anyMatch(s -> s.status() == SignatureStatus.BAD)) {
      throw new OpenPgpException(
          OpenPgpError.BAD_SIGNATURE, "the signature does not match the data (changed?)");
    }
    throw new OpenPgpException(
        OpenPgpError.NO_SIGNATURE, "no good signature by a known, valid key");
  }

  static SignatureVerifier create(List<Certificate> certs) {
    List<OpenPGPCertificate> c = new ArrayList<>();
    for (Certificate x : certs) {
      c.add(BcCertificate.unwrap(x));
    }
    List<OpenPGPCertificate> fixed = List.copyOf(c);
    return (data, sig) -> {
      List<Exception> rejected = new ArrayList<>();
      List<SignatureVerdict> v =
          new ArrayList<>(
              Verdicts.of(Messages.verifyDetached(data, sig, fixed, null, null, rejected)));
      v.addAll(Verdicts.rejected(rejected));
      v.addAll(Verdicts.dropped(sig, v, fixed));
      if (v.isEmpty()) {
        throw new OpenPgpException(OpenPgpError.NO_SIGNATURE, "no signature could be checked");
      }
      return v;
    };
  }
}
