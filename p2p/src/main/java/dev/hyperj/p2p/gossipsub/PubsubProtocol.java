package dev.hyperj.p2p.gossipsub;

import java.util.List;
import java.util.Optional;

/** The pubsub protocol ids a peer may speak, newest first, and what each supports. */
public enum PubsubProtocol {
    MESHSUB_V20("/meshsub/2.0.0"),
    MESHSUB_V12("/meshsub/1.2.0"),
    MESHSUB_V11("/meshsub/1.1.0"),
    MESHSUB_V10("/meshsub/1.0.0"),
    FLOODSUB("/floodsub/1.0.0");

    private final String id;

    PubsubProtocol(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The ids to offer in multistream-select, preferred first. */
    public static List<String> ids() {
        return List.of(MESHSUB_V20.id, MESHSUB_V12.id, MESHSUB_V11.id, MESHSUB_V10.id, FLOODSUB.id);
    }

    public static Optional<PubsubProtocol> fromId(String id) {
        for (PubsubProtocol p : values()) {
            if (p.id.equals(id)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** Meshes, GRAFT/PRUNE and gossip (everything but floodsub). */
    public boolean isGossipsub() {
        return this != FLOODSUB;
    }

    /** v1.1: PRUNE backoff and peer exchange. */
    public boolean supportsPeerExchange() {
        return this == MESHSUB_V11 || this == MESHSUB_V12 || this == MESHSUB_V20;
    }

    /** v1.2: IDONTWANT. /meshsub/2.0.0 (the Python template's id) keeps v1.2's control set. */
    public boolean supportsIDontWant() {
        return this == MESHSUB_V12 || this == MESHSUB_V20;
    }
}
