package org.sceau.bitmessage.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.sceau.bitmessage.BadMacException;
import org.sceau.bitmessage.ErrorCode;
import org.sceau.bitmessage.Vectors;

/** ecies.json: pyelliptic's layout, byte for byte, and ECDSA verdicts. */
class EciesVectorsTest {
  private static final JsonNode V = Vectors.load("ecies");

  @Test
  void decryptsEveryLiveObjectPayload() throws Exception {
    assertEquals(5, V.get("decrypt_vectors").size());
    for (JsonNode v : V.get("decrypt_vectors")) {
      byte[] priv = Vectors.hex(v.get("recipient_privkey_hex"));
      assertEquals(
          v.get("recipient_pubkey_hex").asText(), Vectors.hex(Secp256k1.publicKey65(priv)));
      byte[] plain = Ecies.decrypt(priv, Vectors.hex(v.get("ciphertext_hex")));
      assertArrayEquals(Vectors.hex(v.get("plaintext_hex")), plain);
      JsonNode b = v.get("breakdown");
      ECPoint r =
          Secp256k1.decodePoint(
              Vectors.hex(
                  "04"
                      + b.get("ephemeral_pubkey_x_hex").asText()
                      + b.get("ephemeral_pubkey_y_hex").asText()));
      byte[] x = Secp256k1.ecdhX(priv, r);
      assertArrayEquals(Vectors.hex(b.get("ecdh_shared_x_hex")), x);
      assertArrayEquals(Vectors.hex(b.get("sha512_of_shared_hex")), Hashes.sha512(x));
    }
  }

  @Test
  void encryptsByteForByteLikePyelliptic() throws Exception {
    assertEquals(6, V.get("encrypt_vectors_fixed_ephemeral").size());
    for (JsonNode v : V.get("encrypt_vectors_fixed_ephemeral")) {
      byte[] recipientPriv = Vectors.hex(v.get("recipient_privkey_hex"));
      ECPoint recipient = Secp256k1.decodePoint(Vectors.hex(v.get("recipient_pubkey_hex")));
      byte[] plain = Vectors.hex(v.get("plaintext_hex"));
      byte[] blob =
          Ecies.encrypt(
              recipient,
              plain,
              Vectors.hex(v.get("ephemeral_privkey_hex")),
              Vectors.hex(v.get("iv_hex")));
      assertEquals(v.get("ciphertext_hex").asText(), Vectors.hex(blob));
      assertArrayEquals(plain, Ecies.decrypt(recipientPriv, blob));
    }
  }

  @Test
  void tamperedCiphertextFailsTheMacBeforeDecryption() {
    JsonNode t = V.get("tampered_ciphertext");
    BadMacException e =
        assertThrows(
            BadMacException.class,
            () ->
                Ecies.decrypt(
                    Vectors.hex(t.get("recipient_privkey_hex")),
                    Vectors.hex(t.get("ciphertext_hex"))));
    assertEquals(ErrorCode.BAD_MAC, e.code());
  }

  @Test
  void ecdsaVerdictsMatchOpenSsl() throws Exception {
    assertEquals(2, V.get("ecdsa_verify_vectors").size());
    for (JsonNode v : V.get("ecdsa_verify_vectors")) {
      String digest = v.get("digest").asText();
      String other = digest.equals("sha256") ? "sha1" : "sha256";
      ECPoint pub = Secp256k1.decodePoint(Vectors.hex(v.get("pubkey_hex")));
      byte[] msg = Vectors.hex(v.get("message_hex"));
      byte[] sig = Vectors.hex(v.get("signature_der_hex"));
      assertEquals(
          v.get("verify_same_digest").asBoolean(), Secp256k1.verifyWith(digest, pub, msg, sig));
      assertEquals(
          v.get("verify_other_digest").asBoolean(), Secp256k1.verifyWith(other, pub, msg, sig));
      // The protocol accepts either digest.
      assertEquals(true, Secp256k1.verify(pub, msg, sig));
      byte[] tampered = msg.clone();
      tampered[0] ^= 1;
      assertEquals(
          v.get("verify_tampered_message").asBoolean(), Secp256k1.verify(pub, tampered, sig));
      // Our own signatures verify with SHA-256 only.
      byte[] priv = Vectors.hex(v.get("privkey_hex"));
      byte[] mine = Secp256k1.signSha256(priv, msg);
      assertEquals(true, Secp256k1.verifyWith("sha256", pub, msg, mine));
      assertEquals(false, Secp256k1.verifyWith("sha1", pub, msg, mine));
    }
  }
}
