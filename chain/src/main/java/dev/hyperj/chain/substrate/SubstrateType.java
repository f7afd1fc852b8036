package dev.hyperj.chain.substrate;

import java.util.List;

/** An entry of the registry: its id, Rust path (e.g. {@code pallet_network::SubnetState}) and definition. */
public record SubstrateType(int id, List<String> path, List<Param> params, TypeDef def, List<String> docs) {
    public record Param(String name, java.util.Optional<Integer> type) {}

    public String pathName() {
        return String.join("::", path);
    }

    /** The last segment of the path ("Option", "AccountId20"), or "" for anonymous types. */
    public String simpleName() {
        return path.isEmpty() ? "" : path.get(path.size() - 1);
    }
}
