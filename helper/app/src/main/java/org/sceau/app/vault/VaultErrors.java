package org.sceau.app.vault;

import java.util.EnumMap;
import java.util.Map;
import org.sceau.app.rpc.RpcError;
import org.sceau.app.rpc.RpcException;
import org.sceau.vault.VaultException;

/**
 * The vault's typed errors as RPC errors. The {@code type} is the vault's stable code name, so
 * clients switch on the same names everywhere; the numbers sit in the vault's own range below
 * -33000 (except VAULT_LOCKED, which the RPC layer defines). Other capabilities that keep data in
 * the vault use {@link #toRpc} so a locked vault reads the same from every method.
 */
public final class VaultErrors {
  public static final RpcError NO_VAULT = new RpcError(-33101, "NO_VAULT");
  public static final RpcError VAULT_EXISTS = new RpcError(-33102, "VAULT_EXISTS");
  public static final RpcError WRONG_PASSPHRASE = new RpcError(-33103, "WRONG_PASSPHRASE");
  public static final RpcError KEY_FILE_MISSING = new RpcError(-33104, "KEY_FILE_MISSING");
  public static final RpcError KEY_FILE_WRONG = new RpcError(-33105, "KEY_FILE_WRONG");
  public static final RpcError CORRUPTED = new RpcError(-33106, "CORRUPTED");
  public static final RpcError NEWER_VERSION = new RpcError(-33107, "NEWER_VERSION");
  public static final RpcError STORAGE_ERROR = new RpcError(-33108, "STORAGE_ERROR");

  private static final Map<VaultException.Code, RpcError> BY_CODE =
      new EnumMap<>(VaultException.Code.class);

  static {
    BY_CODE.put(VaultException.Code.NO_VAULT, NO_VAULT);
    BY_CODE.put(VaultException.Code.VAULT_EXISTS, VAULT_EXISTS);
    BY_CODE.put(VaultException.Code.VAULT_LOCKED, RpcError.VAULT_LOCKED);
    BY_CODE.put(VaultException.Code.WRONG_PASSPHRASE, WRONG_PASSPHRASE);
    BY_CODE.put(VaultException.Code.KEY_FILE_MISSING, KEY_FILE_MISSING);
    BY_CODE.put(VaultException.Code.KEY_FILE_WRONG, KEY_FILE_WRONG);
    BY_CODE.put(VaultException.Code.CORRUPTED, CORRUPTED);
    BY_CODE.put(VaultException.Code.NEWER_VERSION, NEWER_VERSION);
    BY_CODE.put(VaultException.Code.INVALID_ARGUMENT, RpcError.INVALID_PARAMS);
    BY_CODE.put(VaultException.Code.STORAGE_ERROR, STORAGE_ERROR);
  }

  private VaultErrors() {}

  public static RpcError of(VaultException.Code code) {
    return BY_CODE.get(code);
  }

  /** The vault's message is written for users and holds no secret: it is passed on as is. */
  public static RpcException toRpc(VaultException e) {
    return new RpcException(of(e.code()), e.getMessage());
  }
}
