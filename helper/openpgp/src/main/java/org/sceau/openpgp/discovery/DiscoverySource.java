package org.sceau.openpgp.discovery;

/** Where a key was looked for. */
public enum DiscoverySource {
  /** Web Key Directory, advanced method ({@code openpgpkey.<domain>}). */
  WKD_ADVANCED,
  /** Web Key Directory, direct method ({@code <domain>/.well-known/openpgpkey}). */
  WKD_DIRECT,
  /** A Verifying Key Server ({@code /vks/v1/by-email/}), e.g. keys.openpgp.org. */
  VKS,
  /** An HKP key server ({@code /pks/lookup?op=get}). */
  HKP
}
