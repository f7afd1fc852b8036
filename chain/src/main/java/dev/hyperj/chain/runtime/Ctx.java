package dev.hyperj.chain.runtime;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.storage.Overlay;
import java.util.ArrayList;
import java.util.List;

/** What a call or hook runs against: the state overlay, the block, the parameters and the event sink. */
final class Ctx {
    Overlay s;
    final long block;
    final byte[] parentHash;
    /** Not final: the collective may change a parameter (MaxSubnets) in a call. */
    NetworkParams p;

    final List<Event> events = new ArrayList<>();

    Ctx(Overlay s, long block, byte[] parentHash, NetworkParams p) {
        this.s = s;
        this.block = block;
        this.parentHash = parentHash;
        this.p = p;
    }

    long epoch() {
        return block / p.epochLength();
    }

    /** The epoch of a subnet at slot {@code slot}: its epochs start at its slot block. */
    long subnetEpoch(int slot) {
        return block < slot ? 0 : (block - slot) / p.epochLength();
    }

    void emit(Event e) {
        events.add(e);
    }

    static void ensure(boolean condition, NetworkError error) {
        if (!condition) throw new DispatchError(error);
    }

    static DispatchError fail(NetworkError error) {
        return new DispatchError(error);
    }

    static final AccountId TREASURY = AccountId.forModule("hyperj/treasury");
}
