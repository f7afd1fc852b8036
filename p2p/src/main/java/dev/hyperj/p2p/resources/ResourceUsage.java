package dev.hyperj.p2p.resources;

import java.util.Map;

/**
 * What a {@link ResourceManager} holds at one moment, and how often it said no since it started.
 *
 * @param transientConnections inbound connections not yet authenticated
 * @param connections          authenticated connections plus our dials in flight
 * @param peers                peers with at least one connection or stream
 * @param streams              open streams
 * @param memory               bytes reserved by open streams
 * @param refusals             refusals (and evictions) by reason, every reason present
 */
public record ResourceUsage(
        int transientConnections, int connections, int peers, int streams, long memory, Map<Refusal, Long> refusals) {

    public ResourceUsage {
        refusals = Map.copyOf(refusals);
    }

    public long refusals(Refusal r) {
        return refusals.getOrDefault(r, 0L);
    }
}
