package dev.hyperj.chain.node;

import dev.hyperj.chain.runtime.CallResult;

/** Where a transaction landed: its block, its index there, and the call's result (error or events). */
public record Included(long blockNumber, byte[] blockHash, byte[] txHash, CallResult result) {
    public Included {
        blockHash = blockHash.clone();
        txHash = txHash.clone();
    }

    @Override
    public byte[] blockHash() {
        return blockHash.clone();
    }

    @Override
    public byte[] txHash() {
        return txHash.clone();
    }
}
