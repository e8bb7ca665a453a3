package org.sceau.openpgp.mail;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The header fields found in the protected payload's root part (names in lower case, values
 * unfolded and RFC 2047-decoded). For signed-only mail they are only reported when the signature is
 * good.
 */
public record ProtectedHeaders(HeaderProtection scheme, Map<String, List<String>> fields) {
  public ProtectedHeaders {
    fields = Map.copyOf(fields);
  }

  /** The first value of {@code name}, if present. */
  public Optional<String> first(String name) {
    List<String> v = fields.get(name.toLowerCase(Locale.ROOT));
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  public Optional<String> subject() {
    return first("subject");
  }
}
