package dev.hyperj.p2p.gossipsub;

/**
 * Bounds on one decoded RPC, so a hostile peer cannot make us allocate or iterate without limit.
 *
 * @param maxRpcSize          largest encoded RPC (and stream frame) in bytes
 * @param maxSubscriptions    subscription changes per RPC
 * @param maxMessages         published messages per RPC
 * @param maxControlEntries   IHAVE + IWANT + GRAFT + PRUNE + IDONTWANT entries per RPC
 * @param maxIdsPerEntry      message ids in one IHAVE / IWANT / IDONTWANT entry
 * @param maxPeersPerPrune    peer-exchange records in one PRUNE
 * @param maxTopicLength      bytes in a topic name
 * @param maxMessageIdLength  bytes in one message id
 */
public record RpcLimits(
        int maxRpcSize,
        int maxSubscriptions,
        int maxMessages,
        int maxControlEntries,
        int maxIdsPerEntry,
        int maxPeersPerPrune,
        int maxTopicLength,
        int maxMessageIdLength) {
    public RpcLimits {
        if (maxRpcSize <= 0
                || maxSubscriptions < 0
                || maxMessages < 0
                || maxControlEntries < 0
                || maxIdsPerEntry < 0
                || maxPeersPerPrune < 0
                || maxTopicLength <= 0
                || maxMessageIdLength <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** 1 MiB RPCs, 1,000 subscriptions, 1,000 messages, 1,000 control entries, 5,000 ids each. */
    public static RpcLimits defaults() {
        return new RpcLimits(1 << 20, 1000, 1000, 1000, 5000, 100, 1024, 256);
    }
}
