package org.sceau.app.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class DispatcherTest {
  private final MethodRegistry registry = new MethodRegistry();
  private final Dispatcher dispatcher = new Dispatcher(registry);

  DispatcherTest() {
    registry.register("test.echo", (caller, params) -> params);
    registry.register("test.cliOnly", Access.CLI_ONLY, (caller, params) -> Json.object());
    registry.register(
        "test.typed",
        (caller, params) -> {
          throw new RpcException(RpcError.VAULT_LOCKED, "Unlock the vault first.");
        });
    registry.register(
        "test.crash",
        (caller, params) -> {
          throw new IllegalStateException("secret passphrase hunter2");
        });
  }

  private JsonNode call(String json, Caller caller) throws Dispatcher.Rejected {
    JsonNode node = Dispatcher.parse(json.getBytes(StandardCharsets.UTF_8));
    return dispatcher.dispatch(Dispatcher.validate(node), caller).orElse(null);
  }

  private static JsonNode rejected(String json) {
    Dispatcher.Rejected r =
        assertThrows(
            Dispatcher.Rejected.class,
            () -> Dispatcher.validate(Dispatcher.parse(json.getBytes(StandardCharsets.UTF_8))));
    return r.response();
  }

  @Test
  void answersARequestWithItsId() throws Exception {
    JsonNode r =
        call(
            "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"test.echo\",\"params\":{\"x\":1}}",
            Caller.CLI);
    assertEquals("a", r.get("id").asText());
    assertEquals(1, r.get("result").get("x").asInt());
  }

  @Test
  void garbageIsAParseErrorWithNullId() {
    JsonNode r = rejected("{not json");
    assertEquals(-32700, r.get("error").get("code").asInt());
    assertEquals("PARSE_ERROR", r.get("error").get("data").get("type").asText());
    assertTrue(r.get("id").isNull());
  }

  @Test
  void invalidShapesAreInvalidRequests() {
    for (String bad :
        new String[] {
          "[]",
          "42",
          "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"test.echo\"}",
          "{\"jsonrpc\":\"2.0\",\"id\":1}",
          "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"test.echo\"}",
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test.echo\",\"params\":3}"
        }) {
      assertEquals(-32600, rejected(bad).get("error").get("code").asInt(), bad);
    }
  }

  @Test
  void unknownMethodIsMethodNotFound() throws Exception {
    JsonNode r = call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nope.nothing\"}", Caller.CLI);
    assertEquals(-32601, r.get("error").get("code").asInt());
  }

  @Test
  void theAddonCannotCallCliOnlyMethods() throws Exception {
    JsonNode r = call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test.cliOnly\"}", Caller.ADDON);
    assertEquals("FORBIDDEN", r.get("error").get("data").get("type").asText());
    JsonNode ok = call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test.cliOnly\"}", Caller.CLI);
    assertTrue(ok.has("result"));
  }

  @Test
  void typedErrorsKeepTheirTypeAndMessage() throws Exception {
    JsonNode r = call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test.typed\"}", Caller.CLI);
    assertEquals(-32010, r.get("error").get("code").asInt());
    assertEquals("VAULT_LOCKED", r.get("error").get("data").get("type").asText());
    assertEquals("Unlock the vault first.", r.get("error").get("message").asText());
  }

  @Test
  void unexpectedExceptionsNeverLeakTheirMessage() throws Exception {
    JsonNode r = call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test.crash\"}", Caller.CLI);
    assertEquals("INTERNAL_ERROR", r.get("error").get("data").get("type").asText());
    assertFalse(r.toString().contains("hunter2"));
  }

  @Test
  void notificationsGetNoResponse() throws Exception {
    assertEquals(null, call("{\"jsonrpc\":\"2.0\",\"method\":\"test.echo\"}", Caller.CLI));
  }

  @Test
  void refusesDeepNesting() {
    String deep = "[".repeat(500) + "]".repeat(500);
    assertEquals(-32700, rejected(deep).get("error").get("code").asInt());
  }

  @Property(tries = 500)
  void anyStringIsAResponseOrATypedRejection(@ForAll String input) {
    try {
      JsonNode node = Dispatcher.parse(input.getBytes(StandardCharsets.UTF_8));
      dispatcher.dispatch(Dispatcher.validate(node), Caller.ADDON);
    } catch (Dispatcher.Rejected r) {
      assertTrue(r.response().get("error").get("data").has("type"));
    }
  }
}
