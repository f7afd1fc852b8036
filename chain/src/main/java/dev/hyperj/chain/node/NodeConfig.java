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
        return new NodeConfig(
                chainId,
                genesis,
                Optional.ofNullable(p),
                blockTimeMs,
                instantSeal,
                author,
                maxPool,
                maxFutureNonces,
                maxBlockTxs,
                futureTtlBlocks,
                futureTtlMs);
    }

    public NodeConfig withBlockTimeMs(long ms) {
        return new NodeConfig(
                chainId,
                genesis,
                basePath,
                ms,
                instantSeal,
                author,
                maxPool,
                maxFutureNonces,
                maxBlockTxs,
                futureTtlBlocks,
                futureTtlMs);
    }

    public NodeConfig withInstantSeal(boolean on) {
        return new NodeConfig(
                chainId,
                genesis,
                basePath,
                blockTimeMs,
                on,
                author,
                maxPool,
                maxFutureNonces,
                maxBlockTxs,
                futureTtlBlocks,
                futureTtlMs);
    }

    public NodeConfig withGenesis(GenesisConfig g) {
        return new NodeConfig(
                chainId,
                g,
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

    public NodeConfig withChainId(String id) {
        return new NodeConfig(
                id,
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

    public NodeConfig withPoolBounds(int pool, int futureNonces) {
        return new NodeConfig(
                chainId,
                genesis,
                basePath,
                blockTimeMs,
                instantSeal,
                author,
                pool,
                futureNonces,
                maxBlockTxs,
                futureTtlBlocks,
                futureTtlMs);
    }

    /** Drops pending transactions still not ready after {@code blocks} blocks or {@code ms} milliseconds. */
    public NodeConfig withFutureTtl(long blocks, long ms) {
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
                blocks,
                ms);
    }
}
