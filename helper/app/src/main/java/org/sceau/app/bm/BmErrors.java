package org.sceau.app.bm;

import java.util.EnumMap;
import java.util.Map;
import org.sceau.app.rpc.RpcError;
import org.sceau.app.rpc.RpcException;
import org.sceau.app.vault.VaultErrors;
import org.sceau.bitmessage.mailbox.MailboxException;
import org.sceau.vault.VaultException;

/**
 * The mailbox's typed errors as RPC errors: the {@code type} is the stable code name, numbers from
 * -33401 down. A store failure while the vault is locked reads {@code VAULT_LOCKED}, as from every
 * other capability.
 */
public final class BmErrors {
  /** The helper runs without a Bitmessage node (SCEAU_BM=off, or a bad proxy setting). */
  public static final RpcError DISABLED = new RpcError(-33420, "BM_DISABLED");

  private static final Map<MailboxException.Code, RpcError> BY_CODE =
      new EnumMap<>(MailboxException.Code.class);

  static {
    int n = -33401;
    for (MailboxException.Code c : MailboxException.Code.values()) {
      BY_CODE.put(c, new RpcError(n--, "BM_" + c.name()));
    }
    BY_CODE.put(MailboxException.Code.INVALID_ARGUMENT, RpcError.INVALID_PARAMS);
  }

  private BmErrors() {}

  public static RpcError of(MailboxException.Code code) {
    return BY_CODE.get(code);
  }

  static RpcException toRpc(MailboxException e, boolean vaultUnlocked) {
    if ((e.code() == MailboxException.Code.STORE_FAILED || e.code() == MailboxException.Code.CLOSED)
        && !vaultUnlocked) {
      return vaultLocked();
    }
    return new RpcException(of(e.code()), e.getMessage());
  }

  static RpcException vaultLocked() {
    return VaultErrors.toRpc(
        new VaultException(
            VaultException.Code.VAULT_LOCKED,
            "The vault is locked: unlock it (sceau vault unlock) to use Bitmessage."));
  }
}
