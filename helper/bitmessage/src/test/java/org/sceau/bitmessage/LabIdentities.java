package org.sceau.bitmessage;

import com.fasterxml.jackson.databind.JsonNode;

/** Alice and Bob: the two live PyBitmessage identities of the vectors, from their keys.dat. */
final class LabIdentities {
  private LabIdentities() {}

  static Identity byAddress(String address) throws Exception {
    for (JsonNode v : Vectors.load("addresses").get("live_node_random_v4")) {
      if (v.get("address").asText().equals(address)) {
        return Identity.fromWif(
            v.get("address_version").asInt(),
            v.get("stream").asLong(),
            new Identity.WifKeys(
                v.get("priv_signing_key_wif").asText(), v.get("priv_encryption_key_wif").asText()));
      }
    }
    throw new IllegalArgumentException("no lab identity " + address);
  }

  static Identity alice() throws Exception {
    return byAddress("BM-2cXesDBLQAuHbHffcbKkqTZj9giNTt9npa");
  }

  static Identity bob() throws Exception {
    return byAddress("BM-2cVYXU4Knjg8bGpNeh17wZ1AjMLNZ1nQCx");
  }
}
