package org.sceau.app.mail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumMap;
import java.util.Map;
import org.sceau.app.rpc.RpcError;
import org.sceau.app.rpc.RpcException;
import org.sceau.app.vault.VaultErrors;
import org.sceau.openpgp.OpenPgpError;
import org.sceau.openpgp.OpenPgpException;
import org.sceau.openpgp.mail.MailError;
import org.sceau.openpgp.mail.MailException;
import org.sceau.vault.VaultException;

/**
 * The OpenPGP engine's, the mail library's and SMTP's typed errors as RPC errors. The {@code type}
 * is the library's stable code name; numbers: keys and OpenPGP below -33300, mail below -33340,
 * SMTP below -33360. Vault failures read as from every other capability ({@link VaultErrors}).
 */
public final class MailErrors {
  /** The sender has no secret key in Sceau: {@code keys.generate} first. */
  public static final RpcError NO_SECRET_KEY = new RpcError(-33330, "NO_SECRET_KEY");

  /** No key with that fingerprint. */
  public static final RpcError KEY_NOT_FOUND = new RpcError(-33331, "KEY_NOT_FOUND");

  public static final RpcError AUTH_FAILED = new RpcError(-33361, "AUTH_FAILED");
  public static final RpcError TLS_FAILED = new RpcError(-33362, "TLS_FAILED");
  public static final RpcError RECIPIENT_REFUSED = new RpcError(-33363, "RECIPIENT_REFUSED");
  public static final RpcError SMTP_UNAVAILABLE = new RpcError(-33364, "SMTP_UNAVAILABLE");

  /** No SMTP password in the vault for that server and user: {@code mail.setSmtpPassword}. */
  public static final RpcError SMTP_PASSWORD_MISSING =
      new RpcError(-33365, "SMTP_PASSWORD_MISSING");

  /** No SMTP settings stored for that address ({@code mail.deleteSmtpAccount}). */
  public static final RpcError SMTP_ACCOUNT_NOT_FOUND =
      new RpcError(-33366, "SMTP_ACCOUNT_NOT_FOUND");

  private static final Map<OpenPgpError, RpcError> PGP = new EnumMap<>(OpenPgpError.class);
  private static final Map<MailError, RpcError> MAIL = new EnumMap<>(MailError.class);

  static {
    int n = -33301;
    for (OpenPgpError e : OpenPgpError.values()) {
      PGP.put(e, new RpcError(n--, e.name()));
    }
    n = -33341;
    for (MailError e : MailError.values()) {
      MAIL.put(e, new RpcError(n--, e.name()));
    }
  }

  private MailErrors() {}

  public static RpcError of(OpenPgpError code) {
    return PGP.get(code);
  }

  public static RpcError of(MailError code) {
    return MAIL.get(code);
  }

  /** The engine's messages are written for users and hold no key, passphrase or plaintext. */
  static RpcException toRpc(OpenPgpException e) {
    return new RpcException(of(e.code()), e.getMessage());
  }

  static RpcException toRpc(MailException e) {
    return new RpcException(of(e.code()), e.getMessage());
  }

  static RpcException toRpc(VaultException e) {
    return VaultErrors.toRpc(e);
  }

  static RpcException noKeyForRecipient(String message, JsonNode data) {
    return new RpcException(of(OpenPgpError.NO_KEY_FOR_RECIPIENT), message, data);
  }
}
