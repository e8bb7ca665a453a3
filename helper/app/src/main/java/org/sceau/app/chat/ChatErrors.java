package org.sceau.app.chat;

import java.util.EnumMap;
import java.util.Map;
import org.sceau.app.rpc.RpcError;
import org.sceau.app.rpc.RpcException;
import org.sceau.chat.ChatException;

/**
 * The chat client's typed errors as RPC errors: the {@code type} is the client's stable code name,
 * the numbers sit in the chat range below -33200. A failed store write while the vault is locked
 * reads {@code VAULT_LOCKED}, as from every other capability.
 */
public final class ChatErrors {
  /** No relay is configured yet: {@code chat.configure} first. */
  public static final RpcError NOT_CONFIGURED = new RpcError(-33220, "CHAT_NOT_CONFIGURED");

  private static final Map<ChatException.Code, RpcError> BY_CODE =
      new EnumMap<>(ChatException.Code.class);

  static {
    int n = -33201;
    for (ChatException.Code c : ChatException.Code.values()) {
      BY_CODE.put(c, new RpcError(n--, c.name()));
    }
    BY_CODE.put(ChatException.Code.INVALID_ARGUMENT, RpcError.INVALID_PARAMS);
    BY_CODE.put(ChatException.Code.INTERNAL, new RpcError(-33299, "CHAT_INTERNAL"));
  }

  private ChatErrors() {}

  public static RpcError of(ChatException.Code code) {
    return BY_CODE.get(code);
  }

  /** The client's messages are written for users and hold no text, key or ciphertext. */
  static RpcException toRpc(ChatException e, boolean vaultUnlocked) {
    if (e.code() == ChatException.Code.STORE_FAILED && !vaultUnlocked) {
      return ChatCapability.vaultLocked();
    }
    return new RpcException(of(e.code()), e.getMessage());
  }
}
