package dev.hyperj.p2p.kad;

/**
 * Counters of one DHT node since it started.
 *
 * @param routingTableSize   peers in the routing table now
 * @param requestsSent       outbound requests
 * @param requestFailures    outbound requests that failed or timed out
 * @param inboundRequests    inbound requests received
 * @param inboundRejected    inbound requests refused (rate, queue, invalid records, bad messages)
 * @param lookups            lookups run (including maintenance)
 * @param randomWalks        random-walk lookups
 * @param bucketRefreshes    lookups aimed at stale buckets
 * @param storedRecords      records held for the network now
 * @param providerKeys       keys with provider records now
 */
public record DhtStats(
        int routingTableSize,
        long requestsSent,
        long requestFailures,
        long inboundRequests,
        long inboundRejected,
        long lookups,
        long randomWalks,
        long bucketRefreshes,
        int storedRecords,
        int providerKeys) {}
