package dev.hyperj.chain.substrate;

import com.fasterxml.jackson.databind.JsonNode;

/** What {@code state_getRuntimeVersion} says the node runs. */
public record RuntimeVersion(String specName, String implName, int specVersion, int transactionVersion) {
    static RuntimeVersion of(JsonNode n) {
        if (n == null || !n.has("specName") || !n.has("specVersion"))
            throw new MetadataException("the node did not answer state_getRuntimeVersion with a runtime version");
        return new RuntimeVersion(
                n.get("specName").asText(),
                n.path("implName").asText(),
                n.get("specVersion").asInt(),
                n.path("transactionVersion").asInt());
    }

    @Override
    public String toString() {
        return specName + " spec_version " + specVersion + " (transaction_version " + transactionVersion + ")";
    }
}
