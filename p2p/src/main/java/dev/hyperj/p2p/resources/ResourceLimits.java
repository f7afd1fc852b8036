package dev.hyperj.p2p.resources;

import java.util.Map;
import java.util.Objects;

/**
 * The limits of a {@link ResourceManager}, by scope. Inbound connections start in the small
 * transient scope (not yet authenticated) and move to the system and peer scopes once the secure
 * handshake names the peer; our own dials count in the system scope from the start.
 *
 * @param systemConnections     authenticated connections plus our dials in flight
 * @param transientConnections  inbound connections still upgrading; when full, the oldest is closed
 *                              to admit the new one, so unauthenticated connections cannot keep
 *                              an honest peer out for longer than one handshake
 * @param transientPerIp        inbound connections still upgrading from one IP address; over it the
 *                              new one is refused, so one address cannot churn the transient scope
 * @param connectionsPerPeer    authenticated connections to one peer (simultaneous dials make 2)
 * @param systemStreams         streams open on all connections
 * @param streamsPerPeer        streams open with one peer
 * @param streamsPerProtocol    inbound streams of one protocol, unless {@code protocolStreams} says
 * @param protocolStreams       inbound stream limits of particular protocols
 * @param systemMemory          bytes reserved by all streams (each reserves its receive window)
 * @param memoryPerPeer         bytes reserved by one peer's streams
 */
public record ResourceLimits(
        int systemConnections,
        int transientConnections,
        int transientPerIp,
        int connectionsPerPeer,
        int systemStreams,
        int streamsPerPeer,
        int streamsPerProtocol,
        Map<String, Integer> protocolStreams,
        long systemMemory,
        long memoryPerPeer) {

    public ResourceLimits {
        protocolStreams = Map.copyOf(Objects.requireNonNull(protocolStreams, "protocolStreams"));
        if (systemConnections < 1
                || transientConnections < 1
                || transientPerIp < 1
                || connectionsPerPeer < 1
                || systemStreams < 1
                || streamsPerPeer < 1
                || streamsPerProtocol < 1
                || systemMemory < 1
                || memoryPerPeer < 1
                || protocolStreams.values().stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("resource limits must be at least 1: " + this);
        }
    }

    /**
     * 1024 connections, 128 transient of which 32 per IP, 4 per peer; 8192 streams, 1024 per peer
     * and per protocol; 2 GiB of stream memory, 256 MiB per peer.
     */
    public static ResourceLimits defaults() {
        return new ResourceLimits(1024, 128, 32, 4, 8192, 1024, 1024, Map.of(), 2L << 30, 256L << 20);
    }

    public ResourceLimits withSystemConnections(int n) {
        return new ResourceLimits(
                n,
                transientConnections,
                transientPerIp,
                connectionsPerPeer,
                systemStreams,
                streamsPerPeer,
                streamsPerProtocol,
                protocolStreams,
                systemMemory,
                memoryPerPeer);
    }

    public ResourceLimits withTransient(int connections, int perIp) {
        return new ResourceLimits(
                systemConnections,
                connections,
                perIp,
                connectionsPerPeer,
                systemStreams,
                streamsPerPeer,
                streamsPerProtocol,
                protocolStreams,
                systemMemory,
                memoryPerPeer);
    }

    public ResourceLimits withConnectionsPerPeer(int n) {
        return new ResourceLimits(
                systemConnections,
                transientConnections,
                transientPerIp,
                n,
                systemStreams,
                streamsPerPeer,
                streamsPerProtocol,
                protocolStreams,
                systemMemory,
                memoryPerPeer);
    }

    public ResourceLimits withStreams(int system, int perPeer, int perProtocol) {
        return new ResourceLimits(
                systemConnections,
                transientConnections,
                transientPerIp,
                connectionsPerPeer,
                system,
                perPeer,
                perProtocol,
                protocolStreams,
                systemMemory,
                memoryPerPeer);
    }

    public ResourceLimits withProtocolStreams(String protocol, int n) {
        java.util.HashMap<String, Integer> m = new java.util.HashMap<>(protocolStreams);
        m.put(Objects.requireNonNull(protocol), n);
        return new ResourceLimits(
                systemConnections,
                transientConnections,
                transientPerIp,
                connectionsPerPeer,
                systemStreams,
                streamsPerPeer,
                streamsPerProtocol,
                m,
                systemMemory,
                memoryPerPeer);
    }

    public ResourceLimits withMemory(long system, long perPeer) {
        return new ResourceLimits(
                systemConnections,
                transientConnections,
                transientPerIp,
                connectionsPerPeer,
                systemStreams,
                streamsPerPeer,
                streamsPerProtocol,
                protocolStreams,
                system,
                perPeer);
    }

    int streamsFor(String protocol) {
        return protocolStreams.getOrDefault(protocol, streamsPerProtocol);
    }
}
