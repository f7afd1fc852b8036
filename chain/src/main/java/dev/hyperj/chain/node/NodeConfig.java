package dev.hyperj.chain.node;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.runtime.GenesisConfig;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a node runs.
 *
 * @param chainId        signed into every transaction (with the genesis hash)
 * @param basePath       the database directory; empty = a temporary directory deleted on close
 * @param blockTimeMs    block production period; ignored with {@code instantSeal}
 * @param instantSeal    produce a block as soon as transactions are ready (tests, dev)
 * @param author         the block author (receives the author reward)
 * @param maxPool        most transactions held in the pool
 * @param maxFutureNonces most nonces ahead of an account's next one the pool holds
 * @param maxBlockTxs    most transactions in one block
 * @param futureTtlBlocks a pending transaction still not ready this many blocks after it arrived is dropped
 * @param futureTtlMs     ... or this many milliseconds after it arrived, whichever comes first
 */
public record NodeConfig(
        String chainId,
        GenesisConfig genesis,
        Optional<Path> basePath,
        long blockTimeMs,
        boolean instantSeal,
        AccountId author,
        int maxPool,
        int maxFutureNonces,
        int maxBlockTxs,
        long futureTtlBlocks,
        long futureTtlMs) {
    public static final String DEV_CHAIN_ID = "hyperj-dev";
    /** Default expiry of transactions that cannot become ready: 64 blocks or 3 minutes. */
    public static final long DEFAULT_FUTURE_TTL_BLOCKS = 64, DEFAULT_FUTURE_TTL_MS = 180_000;

    public NodeConfig {
        if (chainId.isEmpty() || chainId.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 64)
            throw new IllegalArgumentException("chain id: 1..64 bytes");
        if (blockTimeMs < 1) throw new IllegalArgumentException("block time must be positive");
        if (maxPool < 1 || maxFutureNonces < 1 || maxBlockTxs < 1)
            throw new IllegalArgumentException("pool and block bounds must be positive");
        if (futureTtlBlocks < 1 || futureTtlMs < 1)
            throw new IllegalArgumentException("transaction expiry must be positive");
    }

    /** The configuration without expiry settings (the defaults apply). */
    public NodeConfig(
            String chainId,
            GenesisConfig genesis,
            Optional<Path> basePath,
            long blockTimeMs,
            boolean instantSeal,
            AccountId author,
            int maxPool,
            int maxFutureNonces,
            int maxBlockTxs) {
        this(
                chainId,
                genesis,
                basePath,
                blockTimeMs,
                instantSeal,
                author,
                maxPool,
                maxFutureNonces,
                maxBlockTxs,
                DEFAULT_FUTURE_TTL_BLOCKS,
                DEFAULT_FUTURE_TTL_MS);
    }

    /** A dev chain: dev genesis with this epoch length, Alith authors, 6 s blocks, temp directory. */
    public static NodeConfig dev(int epochLength) {
        return new NodeConfig(
                DEV_CHAIN_ID,
                GenesisConfig.dev(epochLength),
                Optional.empty(),
                6000,
                false,
                DevAccounts.ALITH.account(),
                8192,
                64,
                2048);
    }

    public NodeConfig withBasePath(Path p) {
        return toBuilder().basePath(p).build();
    }

    public NodeConfig withBlockTimeMs(long ms) {
        return toBuilder().blockTimeMs(ms).build();
    }

    public NodeConfig withInstantSeal(boolean on) {
        return toBuilder().instantSeal(on).build();
    }

    public NodeConfig withGenesis(GenesisConfig g) {
        return toBuilder().genesis(g).build();
    }

    public NodeConfig withChainId(String id) {
        return toBuilder().chainId(id).build();
    }

    public NodeConfig withPoolBounds(int pool, int futureNonces) {
        return toBuilder().poolBounds(pool, futureNonces).build();
    }

    /** Drops pending transactions still not ready after {@code blocks} blocks or {@code ms} milliseconds. */
    public NodeConfig withFutureTtl(long blocks, long ms) {
        return toBuilder().futureTtl(blocks, ms).build();
    }

    /** A builder holding this configuration; {@link Builder#build()} validates like the constructor. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some settings of a configuration; the record's constructor validates the result. */
    public static final class Builder {
        private String chainId;
        private GenesisConfig genesis;
        private Optional<Path> basePath;
        private long blockTimeMs;
        private boolean instantSeal;
        private AccountId author;
        private int maxPool;
        private int maxFutureNonces;
        private int maxBlockTxs;
        private long futureTtlBlocks;
        private long futureTtlMs;

        private Builder(NodeConfig c) {
            chainId = c.chainId;
            genesis = c.genesis;
            basePath = c.basePath;
            blockTimeMs = c.blockTimeMs;
            instantSeal = c.instantSeal;
            author = c.author;
            maxPool = c.maxPool;
            maxFutureNonces = c.maxFutureNonces;
            maxBlockTxs = c.maxBlockTxs;
            futureTtlBlocks = c.futureTtlBlocks;
            futureTtlMs = c.futureTtlMs;
        }

        public Builder chainId(String id) {
            chainId = id;
            return this;
        }

        public Builder genesis(GenesisConfig g) {
            genesis = g;
            return this;
        }

        /** The database directory; null = a temporary directory deleted on close. */
        public Builder basePath(Path p) {
            basePath = Optional.ofNullable(p);
            return this;
        }

        public Builder blockTimeMs(long ms) {
            blockTimeMs = ms;
            return this;
        }

        public Builder instantSeal(boolean on) {
            instantSeal = on;
            return this;
        }

        public Builder author(AccountId a) {
            author = a;
            return this;
        }

        public Builder poolBounds(int pool, int futureNonces) {
            maxPool = pool;
            maxFutureNonces = futureNonces;
            return this;
        }

        public Builder maxBlockTxs(int txs) {
            maxBlockTxs = txs;
            return this;
        }

        public Builder futureTtl(long blocks, long ms) {
            futureTtlBlocks = blocks;
            futureTtlMs = ms;
            return this;
        }

        public NodeConfig build() {
            return new NodeConfig(
                    chainId,
                    genesis,
                    basePath,
                    blockTimeMs,
                    instantSeal,
                    author,
                    maxPool,
                    maxFutureNonces,
                    maxBlockTxs,
                    futureTtlBlocks,
                    futureTtlMs);
        }
    }
}
