package org.sceau.openpgp.mail;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** One mailbox: an optional display name and an address ({@code local@domain}). */
public record MailAddress(Optional<String> name, String address) {

  public MailAddress {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    if (address.isBlank() || address.indexOf('@') < 1 || address.chars().anyMatch(c -> c < 0x21)) {
      throw new IllegalArgumentException("not a mail address");
    }
  }

  public static MailAddress of(String address) {
    return new MailAddress(Optional.empty(), address);
  }

  public static MailAddress of(String name, String address) {
    return new MailAddress(Optional.ofNullable(name).filter(n -> !n.isBlank()), address);
  }

  /** The address in lower case, as Autocrypt compares them. */
  public String canonical() {
    return address.toLowerCase(Locale.ROOT);
  }

  /** RFC 5322 form, the display name RFC 2047-encoded when it is not ASCII. */
  public String toHeader() {
    try {
      return new InternetAddress(address, name.orElse(null), StandardCharsets.UTF_8.name())
          .toString();
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses an address-list header value (To, Cc, From); unparseable input gives MALFORMED_MAIL. */
  public static List<MailAddress> parseList(String headerValue) throws MailException {
    List<MailAddress> out = new ArrayList<>();
    if (headerValue == null || headerValue.isBlank()) {
      return out;
    }
    try {
      for (InternetAddress a : InternetAddress.parseHeader(headerValue, false)) {
        if (a.isGroup()) {
          for (InternetAddress m : a.getGroup(false)) {
            out.add(MailAddress.of(m.getPersonal(), m.getAddress()));
          }
        } else {
          out.add(MailAddress.of(a.getPersonal(), a.getAddress()));
        }
      }
    } catch (AddressException | IllegalArgumentException e) {
      throw new MailException(MailError.MALFORMED_MAIL, "an address header cannot be read", e);
    }
    return out;
  }

  @Override
  public String toString() {
    return toHeader();
  }
}
