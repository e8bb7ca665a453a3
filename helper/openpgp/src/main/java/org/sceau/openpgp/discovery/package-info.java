/**
 * Key discovery by mail address: Web Key Directory (advanced, then direct method), Verifying Key
 * Servers and HKP key servers, every connection through {@link org.sceau.net.Outbound} and TLS with
 * validation. {@link org.sceau.openpgp.discovery.KeyDiscovery} is the entry point; what it finds is
 * unverified.
 */
package org.sceau.openpgp.discovery;
