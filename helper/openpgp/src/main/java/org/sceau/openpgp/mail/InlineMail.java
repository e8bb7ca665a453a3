package org.sceau.openpgp.mail;

import java.util.List;

/**
 * A message as inline PGP, for sending through a client that cannot send {@code
 * multipart/encrypted}: {@code text} is the body as one ASCII-armored signed and encrypted OpenPGP
 * message, and every attachment is its own binary OpenPGP file ({@code <name>.pgp}, {@code
 * application/octet-stream}). Headers (Subject included) are not protected in this form.
 */
public record InlineMail(String text, List<EncryptedFile> attachments) {

  public InlineMail {
    attachments = List.copyOf(attachments);
  }

  /** One encrypted attachment; {@code data} is OpenPGP ciphertext. */
  public record EncryptedFile(String fileName, String mediaType, byte[] data) {
    public EncryptedFile {
      data = data.clone();
    }

    @Override
    public byte[] data() {
      return data.clone();
    }
  }
}
