/**
 * Outgoing connections for every capability of the helper: {@link org.sceau.net.Outbound}, direct
 * or through a SOCKS5 proxy (Tor) with names resolved by the proxy.
 */
package org.sceau.net;
