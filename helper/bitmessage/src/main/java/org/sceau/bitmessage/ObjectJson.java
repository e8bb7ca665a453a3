package org.sceau.bitmessage;

import java.util.HexFormat;

/**
 * A JSON description of an object's public fields — what {@code sceau bm decode < object.bin}
 * prints. Only what any relay can see: header, inventory hash, proof-of-work trial value, the tag
 * or RIPE a pubkey request or tagged object carries. Nothing is decrypted.
 */
public final class ObjectJson {
  private ObjectJson() {}

  public static String describe(BitmessageObject o) {
    HexFormat hex = HexFormat.of();
    StringBuilder sb = new StringBuilder(256).append('{');
    field(sb, "type", typeName(o)).append(',');
    sb.append("\"objectType\":").append(o.objectType()).append(',');
    sb.append("\"version\":").append(Long.toUnsignedString(o.version())).append(',');
    sb.append("\"stream\":").append(Long.toUnsignedString(o.stream())).append(',');
    sb.append("\"nonce\":").append(Long.toUnsignedString(o.nonce())).append(',');
    sb.append("\"expiresTime\":").append(o.expiresTime()).append(',');
    sb.append("\"length\":").append(o.encode().length).append(',');
    sb.append("\"payloadLength\":").append(o.payloadLength()).append(',');
    field(sb, "inventoryHash", hex.formatHex(o.inventoryHash())).append(',');
    sb.append("\"powTrialValue\":")
        .append(Long.toUnsignedString(ProofOfWork.trialValue(o.encode())));
    try {
      GetPubkeyRequest r = ObjectReader.readGetPubkey(o);
      sb.append(',');
      field(sb, r.addressVersion() >= 4 ? "tag" : "ripe", hex.formatHex(r.ripeOrTag()));
    } catch (BitmessageException notGetpubkey) {
      try {
        byte[] tag = ObjectReader.tag(o);
        sb.append(',');
        field(sb, "tag", hex.formatHex(tag));
      } catch (BitmessageException untagged) {
        // nothing more is visible without keys
      }
    }
    return sb.append('}').toString();
  }

  static String typeName(BitmessageObject o) {
    long t = o.objectType();
    if (t == BitmessageObject.GETPUBKEY) {
      return "getpubkey";
    } else if (t == BitmessageObject.PUBKEY) {
      return "pubkey";
    } else if (t == BitmessageObject.MSG) {
      return "msg";
    } else if (t == BitmessageObject.BROADCAST) {
      return "broadcast";
    }
    return "unknown";
  }

  private static StringBuilder field(StringBuilder sb, String name, String value) {
    // Values are hex or fixed ASCII names: no escaping needed.
    return sb.append('"').append(name).append("\":\"").append(value).append('"');
  }
}
