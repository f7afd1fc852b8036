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
 */
public record NodeConfig(String chainId, GenesisConfig genesis, Optional<Path> basePath, long blockTimeMs, boolean instantSeal,
        AccountId author, int maxPool, int maxFutureNonces, int maxBlockTxs) {
    public static final String DEV_CHAIN_ID = "hyperj-dev";

    public NodeConfig {
        if (chainId.isEmpty() || chainId.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 64) throw new IllegalArgumentException("chain id: 1..64 bytes");
        if (blockTimeMs < 1) throw new IllegalArgumentException("block time must be positive");
        if (maxPool < 1 || maxFutureNonces < 1 || maxBlockTxs < 1) throw new IllegalArgumentException("pool and block bounds must be positive");
    }

    /** A dev chain: dev genesis with this epoch length, Alith authors, 6 s blocks, temp directory. */
    public static NodeConfig dev(int epochLength) {
        return new NodeConfig(DEV_CHAIN_ID, GenesisConfig.dev(epochLength), Optional.empty(), 6000, false, DevAccounts.ALITH.account(), 8192, 64, 2048);
    }

    public NodeConfig withBasePath(Path p) {
        return new NodeConfig(chainId, genesis, Optional.ofNullable(p), blockTimeMs, instantSeal, author, maxPool, maxFutureNonces, maxBlockTxs);
    }

    public NodeConfig withBlockTimeMs(long ms) {
        return new NodeConfig(chainId, genesis, basePath, ms, instantSeal, author, maxPool, maxFutureNonces, maxBlockTxs);
    }

    public NodeConfig withInstantSeal(boolean on) {
        return new NodeConfig(chainId, genesis, basePath, blockTimeMs, on, author, maxPool, maxFutureNonces, maxBlockTxs);
    }

    public NodeConfig withGenesis(GenesisConfig g) {
        return new NodeConfig(chainId, g, basePath, blockTimeMs, instantSeal, author, maxPool, maxFutureNonces, maxBlockTxs);
    }

    public NodeConfig withChainId(String id) {
        return new NodeConfig(id, genesis, basePath, blockTimeMs, instantSeal, author, maxPool, maxFutureNonces, maxBlockTxs);
    }

    public NodeConfig withPoolBounds(int pool, int futureNonces) {
        return new NodeConfig(chainId, genesis, basePath, blockTimeMs, instantSeal, author, pool, futureNonces, maxBlockTxs);
    }
}
