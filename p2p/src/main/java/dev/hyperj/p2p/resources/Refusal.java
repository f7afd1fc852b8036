package dev.hyperj.p2p.resources;

/** Why the {@link ResourceManager} said no (or closed something to make room), one counter each. */
public enum Refusal {
    /** Authenticated connections (and our own dials in flight) at the system limit. */
    SYSTEM_CONNECTIONS,
    /** Inbound connections still upgrading from one IP at their limit: the new one is closed on accept. */
    IP_TRANSIENT_CONNECTIONS,
    /** The transient scope was full: its oldest unauthenticated connection was closed to admit a new one. */
    TRANSIENT_EVICTED,
    /** Authenticated connections to one peer at their limit. */
    PEER_CONNECTIONS,
    /** Streams on all connections at the system limit. */
    SYSTEM_STREAMS,
    /** Streams with one peer at their limit. */
    PEER_STREAMS,
    /** Inbound streams of one protocol at their limit. */
    PROTOCOL_STREAMS,
    /** Memory reserved by all streams at the system limit. */
    SYSTEM_MEMORY,
    /** Memory reserved by one peer's streams at its limit. */
    PEER_MEMORY
}
