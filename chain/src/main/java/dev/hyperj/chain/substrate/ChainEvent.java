package dev.hyperj.chain.substrate;

import java.util.Map;
import java.util.Optional;

/**
 * One event of {@code System.Events}, decoded by the metadata: the pallet and event names, its
 * fields by name (or "0", "1", ... for unnamed ones), and the extrinsic it belongs to (empty for
 * events of block initialisation or finalisation).
 */
public record ChainEvent(String pallet, String name, Map<String, Object> fields, Optional<Integer> extrinsicIndex) {
    public boolean is(String pallet, String name) {
        return this.pallet.equals(pallet) && this.name.equals(name);
    }

    @Override
    public String toString() {
        return pallet + "." + name + fields;
    }
}
