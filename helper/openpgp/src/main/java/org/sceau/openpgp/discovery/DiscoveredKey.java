package org.sceau.openpgp.discovery;

import org.sceau.openpgp.Certificate;

/**
 * A certificate found for an address. It is only as trustworthy as the server that gave it: store
 * it as unverified until the user confirms its fingerprint.
 */
public record DiscoveredKey(Certificate certificate, DiscoverySource source, String url) {}
