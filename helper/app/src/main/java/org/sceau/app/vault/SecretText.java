package org.sceau.app.vault;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ValueNode;
import java.io.IOException;
import java.util.Arrays;

/**
 * A JSON string node backed by a char array the caller wipes: the CLI puts a passphrase in a
 * request without ever making a String of it. It serialises as an ordinary JSON string; its own
 * asText() and toString() do not reveal it (a containing node's toString() serialises it, so
 * requests are never logged).
 */
final class SecretText extends ValueNode {
  private static final long serialVersionUID = 1L;
  private final transient char[] chars;

  SecretText(char[] chars) {
    this.chars = chars;
  }

  void wipe() {
    Arrays.fill(chars, '\0');
  }

  @Override
  public JsonToken asToken() {
    return JsonToken.VALUE_STRING;
  }

  @Override
  public JsonNodeType getNodeType() {
    return JsonNodeType.STRING;
  }

  @Override
  public String asText() {
    return "(secret)";
  }

  @Override
  public String toString() {
    return "\"(secret)\"";
  }

  @Override
  public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
    g.writeString(chars, 0, chars.length);
  }

  @Override
  public boolean equals(Object o) {
    return o == this;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
