package org.sceau.app.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sceau.app.client.HelperClient;
import org.sceau.app.rpc.Json;

/**
 * Mail through the add-on in a real Thunderbird under Xvfb, with the real helper and bridge, GnuPG
 * as the correspondent and GreenMail as the mail server, all on loopback:
 *
 * <ol>
 *   <li>a PGP/MIME message that gpg signed and encrypted for Alice, seeded in Local Folders before
 *       Thunderbird starts, is shown decrypted with a "verified" status bar (checked in the message
 *       pane's DOM, and a screenshot is kept under target/e2e/ as the CI artifact);
 *   <li>Alice replies; Autocrypt's recommendation for a reply to an encrypted message turns Encrypt
 *       on; on send the add-on hands the draft to the helper, GreenMail receives {@code
 *       multipart/encrypted} that gpg decrypts, the encrypted copy is filed in Sent and the
 *       composer closes;
 *   <li>with no SMTP account in the helper, the same reply goes out through Thunderbird's own
 *       sending as inline PGP, which gpg decrypts;
 *   <li>with the vault locked, opening the message brings up the unlock prompt; once the vault is
 *       open the message shows decrypted again.
 * </ol>
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class MailThunderbirdE2EIT {
  static final Path ARTIFACTS = Path.of("target/e2e").toAbsolutePath();
  private static final String PASSPHRASE = "correct horse battery staple";
  private static final String SECRET_LINE = "The meeting moved to Thursday, 10:00.";
  private static final String REPLY_LINE = "Thursday works for me.";
  private static final String INLINE_LINE = "Sent the inline way.";

  /** Over 1 MiB each way, so the add-on and the helper exchange them in chunks. */
  private static final byte[] SEEDED_ATTACHMENT = randomBytes(3 * 1024 * 1024, 1);

  private static final byte[] REPLY_ATTACHMENT = randomBytes(2 * 1024 * 1024, 2);

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new java.util.Random(seed).nextBytes(b);
    return b;
  }

  private static final String ABOUT3PANE =
      "const about3Pane = document.getElementById('tabmail').currentAbout3Pane;\n";

  /** The message document in the 3-pane tab's message pane (`doc`). */
  private static final String STATUS_PANE =
      ABOUT3PANE
          + "const doc = about3Pane.messageBrowser.contentDocument"
          + ".getElementById('messagepane').contentDocument;\n";

  /** The Sceau status bar in the message pane, as the user sees it. */
  private static final String STATUS_BAR =
      ABOUT3PANE
          + """
          const pane = about3Pane.messageBrowser.contentDocument.getElementById('messagepane');
          const doc = pane.contentDocument;
          if (!doc) return { remote: pane.isRemoteBrowser };
          const bar = doc.getElementById('sceau-status');
          if (!bar) return null;
          const host = doc.getElementById('sceau-body');
          const body = host && host.openOrClosedShadowRoot ? host.openOrClosedShadowRoot.textContent : null;
          const attachments = [...doc.querySelectorAll('.sceau-attachments li')].map(li => li.textContent);
          const save = doc.querySelector('.sceau-attachments a[download]');
          const open = doc.querySelectorAll('.sceau-attachments .sceau-open').length;
          return { signature: bar.dataset.signature || null, error: bar.dataset.error || null,
                   encrypted: bar.dataset.encrypted || null, text: bar.textContent, body, attachments,
                   save: save ? save.getAttribute('download') + ' ' + save.href.split(':')[0] : null,
                   open };
          """;

  @Test
  void encryptOnSendDecryptOnReadAndUnlockWhenLocked() throws Exception {
    assumeTrue(Thunderbird.available(), "thunderbird and Xvfb are not installed");
    Files.createDirectories(ARTIFACTS);
    try (Sandbox sandbox = new Sandbox();
        Gpg bob = new Gpg(sandbox.root.resolve("gnupg"))) {
      GreenMail mail = startGreenMail(sandbox.root);
      try {
        Thunderbird tb = new Thunderbird(sandbox);
        tb.install();
        Path trust = trustStoreFor(mail.getSmtps().getPort(), sandbox.root);
        sandbox.startHelper(
            List.of(
                "-Djavax.net.ssl.trustStore=" + trust,
                "-Djavax.net.ssl.trustStorePassword=changeit",
                "-Djavax.net.ssl.trustStoreType=PKCS12"));

        // Alice's vault and key in the helper; Bob's key in gpg, each knowing the other's.
        String aliceCert;
        String bobFp = bob.generate("Bob <bob@example.org>");
        try (HelperClient c = HelperClient.connect(sandbox.socket())) {
          c.call("vault.create", Json.object().put("passphrase", PASSPHRASE));
          aliceCert =
              c.call("keys.generate", Json.object().put("userId", "Alice <alice@example.org>"))
                  .get("certificate")
                  .asText();
          String bobCert =
              new String(
                  bob.run(new byte[0], "--armor", "--export", bobFp), StandardCharsets.US_ASCII);
          c.call("keys.import", Json.object().put("armored", bobCert));
          c.call("keys.verify", Json.object().put("fingerprint", bobFp));
          c.call(
              "mail.setSmtpAccount",
              Json.object()
                  .put("address", "alice@example.org")
                  .put("host", "127.0.0.1")
                  .put("port", mail.getSmtps().getPort())
                  .put("security", "tls")
                  .put("user", "alice")
                  .put("password", "alice's smtp password"));
        }
        bob.run(aliceCert.getBytes(StandardCharsets.US_ASCII), "--import");

        seedInbox(tb.profile, bob, bobFp);
        String prefs =
            resource("/e2e/user.js")
                + resource("/e2e/mail-accounts.js")
                + "user_pref(\"mail.smtpserver.smtp1.port\", "
                + mail.getSmtp().getPort()
                + ");\n";
        try (tb) {
          Marionette m = tb.start(prefs);
          try {
            readsDecryptedAndVerified(tb, m);
            sendsEncryptedReply(tb, m, mail, bob);
            keepsTheDraftWhenARecipientHasNoKey(tb, m, mail);
            sendsInlineWithoutSmtpAccount(tb, m, mail, bob, sandbox);
            asksToUnlockWhenLocked(tb, m, sandbox);
          } catch (AssertionError | Exception e) {
            screenshot(m, ARTIFACTS.resolve("thunderbird-failure.png"));
            tb.dumpLogs();
            throw e;
          }
        }
      } finally {
        mail.stop();
      }
    }
  }

  // ---------------------------------------------------------------- (2) read

  private void readsDecryptedAndVerified(Thunderbird tb, Marionette m) throws Exception {
    m.script(
        ABOUT3PANE
            + """
            const { MailServices } = ChromeUtils.importESModule('resource:///modules/MailServices.sys.mjs');
            const inbox = MailServices.accounts.localFoldersServer.rootFolder.getChildNamed('Inbox');
            about3Pane.displayFolder(inbox.URI);
            return inbox.URI;
            """);
    selectFirstMessage(tb);
    JsonNode shown =
        tb.waitFor(
            "the decrypted message with a verified status",
            STATUS_BAR,
            v ->
                v.has("remote")
                    || ("verified".equals(v.path("signature").asText())
                        && v.path("body").asText().contains(SECRET_LINE)),
            45_000);
    assertTrue(!shown.has("remote"), "the message pane is remote: " + shown);
    assertEquals("true", shown.get("encrypted").asText());
    assertTrue(shown.get("text").asText().contains("Bob <bob@example.org>"), shown.toString());
    assertTrue(shown.get("body").asText().contains(SECRET_LINE), shown.toString());
    // The 3 MiB attachment came back from the helper in chunks, listed with a Save link.
    assertEquals(2, shown.get("attachments").size(), shown.toString());
    assertTrue(shown.get("attachments").get(0).asText().contains("plans.bin"), shown.toString());
    assertTrue(shown.get("attachments").get(0).asText().contains("3.0 MB"), shown.toString());
    assertEquals("plans.bin blob", shown.get("save").asText());
    // Open shows an inert attachment (text here) in a Thunderbird tab; binary ones only save.
    assertEquals(1, shown.get("open").asInt(), shown.toString());
    m.script(STATUS_PANE + "doc.querySelector('.sceau-open').click(); return true;");
    tb.waitFor(
        "the attachment in a tab",
        """
        const tabmail = document.getElementById('tabmail');
        const tab = tabmail.tabInfo.find(t => t.browser && t.browser.currentURI
          && t.browser.currentURI.spec.startsWith('blob:moz-extension://'));
        if (!tab) return null;
        tabmail.closeTab(tab);
        tabmail.switchToTab(0);
        return true;
        """,
        v -> v.asBoolean(),
        15_000);
    screenshot(m, ARTIFACTS.resolve("thunderbird-decrypted-verified.png"));
  }

  private static void selectFirstMessage(Thunderbird tb) throws Exception {
    tb.waitFor(
        "the seeded message in the Inbox",
        ABOUT3PANE
            + """
            const view = about3Pane.gDBView;
            if (!view || view.rowCount < 1) return null;
            about3Pane.threadTree.selectedIndex = -1;
            about3Pane.threadTree.selectedIndex = 0;
            return view.rowCount;
            """,
        v -> v.asInt() >= 1,
        30_000);
  }

  private static void screenshot(Marionette m, Path file) throws Exception {
    JsonNode shot = m.command("WebDriver:TakeScreenshot", Json.object().put("full", false));
    Files.write(file, Base64.getDecoder().decode(shot.get("value").asText()));
    System.out.println("screenshot: " + file);
  }

  // ---------------------------------------------------------------- (1) send

  private void sendsEncryptedReply(Thunderbird tb, Marionette m, GreenMail mail, Gpg bob)
      throws Exception {
    String compose = replyWithEncryptOn(tb, m);
    // The button's popup (recipients' keys, Encrypt) opens on a click and loads, translated.
    String popup =
        compose
            + "const p = [...w.document.querySelectorAll('browser')].find(x => x.currentURI"
            + " && x.currentURI.spec.endsWith('/compose/popup.html'));";
    m.script(compose + "b.click(); return true;");
    tb.waitFor(
        "the compose popup",
        popup + "return p ? p.contentTitle : null;",
        v -> v.asText().equals("Sceau — this message"),
        15_000);
    m.script(popup + "p.closest('panel').hidePopup(); return true;");
    Path notes = Files.write(tb.profile.getParent().resolve("notes.bin"), REPLY_ATTACHMENT);
    m.script(
        compose
            + "const a = Cc['@mozilla.org/messengercompose/attachment;1']"
            + ".createInstance(Ci.nsIMsgAttachment);"
            + "a.url = '"
            + notes.toUri()
            + "'; a.name = 'notes.bin'; w.AddAttachments([a]); return true;");
    tb.waitFor(
        "the attachment in the composer",
        compose + "return w.gAttachmentBucket.itemCount;",
        v -> v.asInt() == 1,
        10_000);
    m.script(
        compose
            + "w.GetCurrentEditor().insertText('"
            + REPLY_LINE
            + "'); w.goDoCommand('cmd_sendNow'); return true;");
    long deadline = System.currentTimeMillis() + 30_000;
    while (mail.getReceivedMessages().length == 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    MimeMessage[] received = mail.getReceivedMessages();
    assertEquals(1, received.length, "GreenMail received no message");
    MimeMessage sent = received[0];
    assertTrue(
        sent.getContentType().startsWith("multipart/encrypted"),
        "sent as " + sent.getContentType());
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    sent.writeTo(raw);
    assertTrue(!raw.toString(StandardCharsets.UTF_8).contains(REPLY_LINE), "plaintext on the wire");
    String decrypted = new String(bob.run(raw.toByteArray(), "--decrypt"), StandardCharsets.UTF_8);
    assertTrue(decrypted.contains(REPLY_LINE), decrypted.substring(0, 2000));
    MimeMessage inner =
        new MimeMessage(
            jakarta.mail.Session.getInstance(new java.util.Properties()),
            new java.io.ByteArrayInputStream(decrypted.getBytes(StandardCharsets.ISO_8859_1)));
    assertArrayEquals(REPLY_ATTACHMENT, attachmentNamed(inner, "notes.bin"));

    // The composer closed by itself, and the encrypted copy is in Sent.
    tb.waitFor(
        "the composer to close and the copy to be filed",
        """
        const { MailServices } = ChromeUtils.importESModule('resource:///modules/MailServices.sys.mjs');
        const root = MailServices.accounts.localFoldersServer.rootFolder;
        const sent = root.getFolderWithFlags(Ci.nsMsgFolderFlags.SentMail) || root.getChildNamed('Sent');
        return { composers: Services.wm.getMostRecentWindow('msgcompose') ? 1 : 0,
                 filed: sent ? sent.getTotalMessages(false) : -1 };
        """,
        v -> v.get("composers").asInt() == 0 && v.get("filed").asInt() >= 1,
        20_000);
  }

  private static final String COMPOSER =
      """
      const w = Services.wm.getMostRecentWindow('msgcompose');
      if (!w || !w.gMsgCompose) return null;
      const b = w.document.querySelector('[id*="sceau_sceau_org"]');
      """;

  /** Replies to the selected message; returns the script prelude that finds the composer. */
  private static String replyWithEncryptOn(Thunderbird tb, Marionette m) throws Exception {
    m.script(ABOUT3PANE + "about3Pane.commandController.doCommand('cmd_reply'); return true;");
    // Autocrypt: a reply to an encrypted message is encrypted; the button shows it by itself.
    tb.waitFor(
        "the Sceau button in the composer to show Encrypt on",
        COMPOSER + "return b ? b.getAttribute('badge') || b.getAttribute('title') : null;",
        v -> v.asText().contains("🔒"),
        30_000);
    return COMPOSER;
  }

  /**
   * A recipient without a key: the helper refuses, nothing is sent, the composer stays open with
   * the draft, and its Sceau button says which address lacks a key.
   */
  private void keepsTheDraftWhenARecipientHasNoKey(Thunderbird tb, Marionette m, GreenMail mail)
      throws Exception {
    String compose = replyWithEncryptOn(tb, m);
    m.script(
        compose
            + "w.addressRowAddRecipientsArray(w.document.getElementById('addressRowTo'),"
            + " ['Carol <carol@example.org>']);"
            + "w.GetCurrentEditor().insertText('For Bob and Carol.');"
            + "w.goDoCommand('cmd_sendNow'); return true;");
    JsonNode shown =
        tb.waitFor(
            "the error on the composer's Sceau button",
            compose
                + "return b && b.getAttribute('badge') === '!' ? { title: b.getAttribute('tooltiptext'),"
                + " body: w.GetCurrentEditor().outputToString('text/plain', 0) } : null;",
            v -> v.has("title"),
            30_000);
    assertTrue(shown.get("title").asText().contains("carol@example.org"), shown.toString());
    assertTrue(shown.get("body").asText().contains("For Bob and Carol."), shown.toString());
    assertEquals(1, mail.getReceivedMessages().length, "a message went out");
    m.script(compose + "w.SetContentAndBodyAsUnmodified(); w.close(); return true;");
    tb.waitFor(
        "the composer to close",
        "return Services.wm.getMostRecentWindow('msgcompose') ? 1 : 0;",
        v -> v.asInt() == 0,
        10_000);
  }

  /**
   * Without an SMTP account in the helper, the helper's inline-PGP form goes out through
   * Thunderbird's own sending (GreenMail's plain SMTP port here), and gpg decrypts it.
   */
  private void sendsInlineWithoutSmtpAccount(
      Thunderbird tb, Marionette m, GreenMail mail, Gpg bob, Sandbox sandbox) throws Exception {
    try (HelperClient c = HelperClient.connect(sandbox.socket())) {
      c.call("mail.deleteSmtpAccount", Json.object().put("address", "alice@example.org"));
    }
    String compose = replyWithEncryptOn(tb, m);
    m.script(
        compose
            + "w.GetCurrentEditor().insertText('"
            + INLINE_LINE
            + "'); w.goDoCommand('cmd_sendNow'); return true;");
    long deadline = System.currentTimeMillis() + 30_000;
    while (mail.getReceivedMessages().length < 2 && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    MimeMessage[] received = mail.getReceivedMessages();
    assertEquals(2, received.length, "Thunderbird sent nothing to GreenMail");
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    received[1].writeTo(raw);
    String wire = raw.toString(StandardCharsets.ISO_8859_1);
    assertTrue(wire.contains("-----BEGIN PGP MESSAGE-----"), wire);
    assertTrue(!wire.contains(INLINE_LINE), "plaintext on the wire");
    String decrypted = new String(bob.run(raw.toByteArray(), "--decrypt"), StandardCharsets.UTF_8);
    assertTrue(decrypted.contains(INLINE_LINE), decrypted);
    tb.waitFor(
        "the composer to close after Thunderbird sent",
        "return Services.wm.getMostRecentWindow('msgcompose') ? 1 : 0;",
        v -> v.asInt() == 0,
        20_000);
  }

  /** The content of the first part called `name`, anywhere in the MIME tree. */
  private static byte[] attachmentNamed(jakarta.mail.Part part, String name) throws Exception {
    if (name.equals(part.getFileName())) {
      return part.getInputStream().readAllBytes();
    }
    if (part.getContent() instanceof jakarta.mail.Multipart mp) {
      for (int i = 0; i < mp.getCount(); i++) {
        byte[] found = attachmentNamed(mp.getBodyPart(i), name);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- (3) unlock

  private void asksToUnlockWhenLocked(Thunderbird tb, Marionette m, Sandbox sandbox)
      throws Exception {
    try (HelperClient c = HelperClient.connect(sandbox.socket())) {
      c.call("vault.lock", Json.object());
    }
    selectFirstMessage(tb);
    JsonNode locked =
        tb.waitFor(
            "the locked notice in the message pane",
            STATUS_BAR,
            v -> "VAULT_LOCKED".equals(v.path("error").asText()),
            30_000);
    assertTrue(locked.get("text").asText().contains("locked"), locked.toString());
    JsonNode prompt =
        tb.waitFor(
            "the unlock prompt",
            """
            for (const w of Services.wm.getEnumerator(null)) {
              for (const b of w.document.querySelectorAll('browser')) {
                const url = b.currentURI ? b.currentURI.spec : '';
                if (url.includes('/unlock/unlock.html')) {
                  const d = b.contentDocument;
                  return { url, title: w.document.title, remote: b.isRemoteBrowser,
                           field: d ? !!d.getElementById('passphrase') : null };
                }
              }
            }
            return null;
            """,
            v -> v.has("url"),
            20_000);
    screenshot(m, ARTIFACTS.resolve("thunderbird-unlock-prompt.png"));
    assertTrue(prompt.get("url").asText().startsWith("moz-extension://"), prompt.toString());

    // The user types the passphrase into the prompt (real key events into its focused field) and
    // presses Enter: the vault opens, the prompt closes and the waiting message shows decrypted.
    String main = m.command("WebDriver:GetWindowHandle", Json.object()).get("value").asText();
    String unlockWindow = null;
    for (JsonNode h : m.command("WebDriver:GetWindowHandles", Json.object())) {
      m.command("WebDriver:SwitchToWindow", Json.object().put("handle", h.asText()));
      if (m.command("WebDriver:GetTitle", Json.object())
          .get("value")
          .asText()
          .startsWith("Unlock Sceau")) {
        unlockWindow = h.asText();
        break;
      }
    }
    assertTrue(unlockWindow != null, "no window titled Unlock Sceau");
    screenshot(m, ARTIFACTS.resolve("thunderbird-unlock-window.png"));
    ArrayNode keys = Json.MAPPER.createArrayNode();
    for (char ch : (PASSPHRASE + "\uE007").toCharArray()) {
      keys.addObject().put("type", "keyDown").put("value", String.valueOf(ch));
      keys.addObject().put("type", "keyUp").put("value", String.valueOf(ch));
    }
    ObjectNode typing = Json.object();
    typing.putArray("actions").addObject().put("type", "key").put("id", "kb").set("actions", keys);
    m.command("WebDriver:PerformActions", typing);
    m.command("WebDriver:SwitchToWindow", Json.object().put("handle", main));
    tb.waitFor(
        "the message decrypted after unlocking",
        STATUS_BAR,
        v -> "verified".equals(v.path("signature").asText()),
        30_000);
    tb.waitFor(
        "the unlock prompt to close",
        "return [...Services.wm.getEnumerator(null)].filter(w =>"
            + " w.document.title.startsWith('Unlock Sceau')).length;",
        v -> v.asInt() == 0,
        10_000);

    // The settings page, for the record: identities, keys, the SMTP account (CI artifact).
    m.script(
        """
        const url = WebExtensionPolicy.getByID('sceau@sceau.org').getURL('options/options.html');
        document.getElementById('tabmail').openTab('contentTab', { url });
        return url;
        """);
    tb.waitFor(
        "the settings page",
        "return document.getElementById('tabmail').currentTabInfo.browser.contentTitle;",
        v -> v.asText().equals("Sceau settings"),
        15_000);
    Thread.sleep(1000); // its lists fill in from helper calls after the title is set
    screenshot(m, ARTIFACTS.resolve("thunderbird-options.png"));
  }

  // ---------------------------------------------------------------- fixtures

  private static String resource(String name) throws Exception {
    try (InputStream in = MailThunderbirdE2EIT.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Bob's signed and encrypted PGP/MIME message to Alice, made by gpg, as a Local Folders mbox. */
  private static void seedInbox(Path profile, Gpg bob, String bobFp) throws Exception {
    String inner =
        "Content-Type: multipart/mixed; boundary=\"inner\"\r\n\r\n--inner\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\n\r\nHello Alice,\r\n\r\n"
            + SECRET_LINE
            + "\r\n\r\nBob\r\n--inner\r\n"
            + "Content-Type: application/octet-stream\r\n"
            + "Content-Disposition: attachment; filename=\"plans.bin\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n"
            + Base64.getMimeEncoder().encodeToString(SEEDED_ATTACHMENT)
            + "\r\n--inner\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\n"
            + "Content-Disposition: attachment; filename=\"note.txt\"\r\n\r\n"
            + "Bring the slides.\r\n--inner--\r\n";
    String armored =
        new String(
            bob.run(
                inner.getBytes(StandardCharsets.UTF_8),
                "--armor",
                "--trust-model",
                "always",
                "--local-user",
                bobFp,
                "--recipient",
                "alice@example.org",
                "--sign",
                "--encrypt"),
            StandardCharsets.US_ASCII);
    String keydata =
        Base64.getMimeEncoder(76, "\n ".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(bob.run(new byte[0], "--export", bobFp));
    String boundary = "----sceau-e2e-boundary";
    String mbox =
        "From - Tue Jan 07 10:00:00 2025\n"
            + "X-Mozilla-Status: 0000\nX-Mozilla-Status2: 00000000\n"
            + "Message-ID: <e2e-pgpmime@example.org>\n"
            + "Date: Tue, 07 Jan 2025 10:00:00 +0000\n"
            + "From: Bob <bob@example.org>\nTo: Alice <alice@example.org>\n"
            + "Subject: Meeting\nMIME-Version: 1.0\n"
            + "Autocrypt: addr=bob@example.org; prefer-encrypt=mutual; keydata=\n "
            + keydata
            + "\n"
            + "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";"
            + " boundary=\""
            + boundary
            + "\"\n\n"
            + "This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)\n--"
            + boundary
            + "\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n--"
            + boundary
            + "\nContent-Type: application/octet-stream; name=\"encrypted.asc\"\n"
            + "Content-Disposition: inline; filename=\"encrypted.asc\"\n\n"
            + armored
            + "\n--"
            + boundary
            + "--\n\n";
    Path inbox = Files.createDirectories(profile.resolve("Mail/Local Folders")).resolve("Inbox");
    Files.writeString(inbox, mbox, StandardCharsets.US_ASCII);
  }

  /** GreenMail's SMTPS (for the helper) and SMTP (for Thunderbird's own sending) on loopback. */
  private static GreenMail startGreenMail(Path dir) throws Exception {
    Path ks = dir.resolve("greenmail.p12");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "greenmail",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "san=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().transferTo(OutputStream.nullOutputStream());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    // GreenMail reads these when it makes its first TLS server socket in this JVM; if another test
    // did so before, it keeps that certificate, which is why the helper trusts what it presents.
    System.setProperty("greenmail.tls.keystore.file", ks.toString());
    System.setProperty("greenmail.tls.keystore.password", "changeit");
    System.setProperty("greenmail.tls.key.password", "changeit");
    GreenMail mail =
        new GreenMail(
            new ServerSetup[] {
              new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort(),
              new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort()
            });
    mail.start();
    mail.setUser("alice@example.org", "alice", "alice's smtp password");
    return mail;
  }

  /** A trust store holding exactly the certificate the SMTPS server presents. */
  private static Path trustStoreFor(int port, Path dir) throws Exception {
    X509TrustManager recordOnly =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {recordOnly}, new SecureRandom());
    Certificate cert;
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.startHandshake();
      cert = s.getSession().getPeerCertificates()[0];
    }
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("greenmail", cert);
    Path file = dir.resolve("trust.p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      trust.store(out, "changeit".toCharArray());
    }
    return file;
  }
}
