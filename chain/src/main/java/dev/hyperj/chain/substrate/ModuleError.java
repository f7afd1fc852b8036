package dev.hyperj.chain.substrate;

import java.util.List;

/** A failed call's error, by name, with the runtime's own documentation of it. */
public record ModuleError(String pallet, String name, List<String> docs) {
    /** "Network.SubnetNameExist: the subnet name already exists" (or without docs, the name). */
    public String describe() {
        String doc = String.join(" ", docs).strip();
        return pallet + "." + name + (doc.isEmpty() ? "" : ": " + doc);
    }

    @Override
    public String toString() {
        return describe();
    }
}
