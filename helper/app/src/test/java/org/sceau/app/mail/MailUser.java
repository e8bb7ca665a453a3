package org.sceau.app.mail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import org.sceau.app.rpc.Caller;
import org.sceau.app.rpc.Json;
import org.sceau.app.rpc.MethodRegistry;
import org.sceau.app.rpc.RpcException;
import org.sceau.vault.Vault;

/**
 * One user's helper for the mail tests: a real vault (fast KDF) and the real capability's methods,
 * called as the CLI would. The test closes {@link #vault}.
 */
class MailUser {
  final Vault vault;
  final MailCapability mail;
  final MethodRegistry registry = new MethodRegistry();

  MailUser(Path vaultDir) throws Exception {
    vault = Vault.at(vaultDir, MailCapabilityTest.FAST);
    vault.create("a passphrase".toCharArray(), null);
    mail = new MailCapability(vault, SmtpSubmission.withPlatformTrust(), Clock.systemUTC());
    mail.register(registry, (m, p) -> {});
  }

  JsonNode call(String method, JsonNode params) throws RpcException {
    return registry.find(method).orElseThrow().method().call(Caller.CLI, params);
  }

  String generate(String userId) throws RpcException {
    return call("keys.generate", Json.object().put("userId", userId)).get("fingerprint").asText();
  }

  String exportCert(String fp) throws RpcException {
    return call("keys.export", Json.object().put("fingerprint", fp)).get("armored").asText();
  }

  /** Imports {@code from}'s public certificate {@code fp}. */
  void importCert(MailUser from, String fp) throws RpcException {
    call("keys.import", Json.object().put("armored", from.exportCert(fp)));
  }

  String status(String email) throws RpcException {
    return call("keys.status", Json.object().put("email", email)).get("status").asText();
  }
}
