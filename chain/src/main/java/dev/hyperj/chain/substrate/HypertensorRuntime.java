package dev.hyperj.chain.substrate;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Hypertensor runtime versions HyperJ can map its operations onto: the seam where a newer
 * runtime becomes a new entry (with its own {@code rpc_info} layouts and call names), not a
 * rewrite. A node is matched by its spec name and version, then checked against the metadata
 * for what the mapping relies on, so a runtime that claims a known version but differs is
 * refused too.
 */
public enum HypertensorRuntime {
    /**
     * The published Hoskinson testnet (pallet at 419111496a, 2026-02): nodes owned by coldkeys,
     * no validator layer, elected-validator consensus, overwatch nodes.
     */
    HOSKINSON(
            "hypertensor-node", 1, List.of("register_subnet", "register_subnet_node", "propose_attestation", "attest"));

    private final String specName;
    private final int specVersion;
    private final List<String> requiredCalls;

    HypertensorRuntime(String specName, int specVersion, List<String> requiredCalls) {
        this.specName = specName;
        this.specVersion = specVersion;
        this.requiredCalls = requiredCalls;
    }

    public String specName() {
        return specName;
    }

    public int specVersion() {
        return specVersion;
    }

    /** The known runtime a node runs, or a {@link MetadataException} that says what it runs and what HyperJ knows. */
    public static HypertensorRuntime of(RuntimeVersion v, Metadata md) {
        Optional<HypertensorRuntime> known = Arrays.stream(values())
                .filter(r -> r.specName.equals(v.specName()) && r.specVersion == v.specVersion())
                .findFirst();
        if (known.isEmpty()) {
            String knownList = String.join(
                    ", ",
                    Arrays.stream(values())
                            .map(r -> r.specName + " " + r.specVersion)
                            .toList());
            if (!md.pallets().containsKey("Network"))
                throw new MetadataException(
                        "the node runs " + v + ", which has no Network pallet: not a Hypertensor chain");
            throw new MetadataException("the node runs " + v + ", a runtime version HyperJ does not know (it knows "
                    + knownList + "); nothing was sent");
        }
        HypertensorRuntime r = known.get();
        for (String call : r.requiredCalls)
            if (!md.hasCall("Network", call))
                throw new MetadataException("the node claims " + v + " but its metadata has no Network." + call
                        + ": not the runtime HyperJ knows under that version");
        return r;
    }

    /**
     * HyperJ's call as this runtime's extrinsic (its pallet, call and arguments by name), or a
     * {@code ChainClientException} that says why it cannot be sent; {@code keys} answers the reads a
     * mapping needs. A new runtime adds its own mapping here.
     */
    HoskinsonCalls.Mapped extrinsic(dev.hyperj.chain.runtime.Call call, HoskinsonCalls.Keys keys) {
        return switch (this) {
            case HOSKINSON -> HoskinsonCalls.map(call, keys);
        };
    }

    /** This runtime's events ({@code System.Events}, decoded) as HyperJ's, where HyperJ has an equivalent. */
    List<dev.hyperj.chain.runtime.Event> events(List<ChainEvent> events, HoskinsonEvents.NodeIds ids) {
        return switch (this) {
            case HOSKINSON -> HoskinsonEvents.translate(events, ids);
        };
    }

    /** A module error under HyperJ's name where HyperJ's runtime has the same error, else the runtime's own. */
    String errorName(ModuleError e) {
        return switch (this) {
            case HOSKINSON -> HoskinsonEvents.errorName(e);
        };
    }

    /** A sentence for operations this runtime lacks, e.g. validators: "... has no validator layer: ...". */
    public String lacks(String what) {
        return "the chain runs Hypertensor's " + name().toLowerCase() + " runtime (" + specName + " " + specVersion
                + "), which has no " + what;
    }
}
