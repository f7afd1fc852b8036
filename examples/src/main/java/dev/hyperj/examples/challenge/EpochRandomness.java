package dev.hyperj.examples.challenge;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.db.BlockHeader;
import dev.hyperj.subnet.epoch.EpochPosition;
import dev.hyperj.subnet.epoch.EpochTracker;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The chain's randomness for a subnet epoch: the hash of the epoch's first block ({@code slot +
 * epoch * epochLength}, the block the runtime starts the epoch at). No one knows it before that
 * block exists, so a challenge drawn from it cannot be answered ahead of the epoch; once it exists
 * every node reads the same header from the chain, so every node draws the same challenge.
 *
 * <p>What it does not stop: the chain's block author knows the hash a moment before the others.
 * On a chain with forks the first block of an epoch can still be replaced for a few seconds; the
 * dev chain has none, and by the time the epoch is scored its first block is long final.
 */
public final class EpochRandomness {
    private static final int CACHED = 8;

    private final ChainClient chain;
    private final EpochTracker tracker;
    private final Map<Long, byte[]> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> e) {
            return size() > CACHED;
        }
    };

    public EpochRandomness(ChainClient chain, EpochTracker tracker) {
        this.chain = chain;
        this.tracker = tracker;
    }

    /** The first block of {@code epoch} for a subnet whose epochs {@code at} describes. */
    public static long firstBlock(EpochPosition at, long epoch) {
        if (epoch < 0) throw new IllegalArgumentException("negative epoch");
        return at.slot() + epoch * at.epochLength();
    }

    /**
     * The randomness of {@code epoch}: the hash of its first block (32 bytes), or empty while that
     * block does not exist yet or the tracker has not seen the subnet.
     */
    public Optional<byte[]> of(long epoch) {
        synchronized (cache) {
            byte[] known = cache.get(epoch);
            if (known != null) return Optional.of(known.clone());
        }
        Optional<EpochPosition> at = tracker.position();
        if (at.isEmpty()) return Optional.empty();
        long block = firstBlock(at.get(), epoch);
        if (block > chain.blockNumber()) return Optional.empty();
        Optional<byte[]> hash = chain.header(block).map(BlockHeader::hash);
        hash.ifPresent(h -> {
            synchronized (cache) {
                cache.put(epoch, h.clone());
            }
        });
        return hash;
    }

    /** {@link #of(long)}, or {@link IllegalStateException} saying which block is missing. */
    public byte[] require(long epoch) {
        return of(epoch)
                .orElseThrow(() -> new IllegalStateException("the randomness of epoch " + epoch
                        + " is not on chain yet (its first block "
                        + tracker.position().map(p -> firstBlock(p, epoch)).orElse(-1L) + " is not readable)"));
    }
}
