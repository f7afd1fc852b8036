package dev.hyperj.p2p.gossipsub;

import dev.hyperj.p2p.peer.PeerId;
import java.util.List;

/** What the router tells the application and the transport binding. Called on the router's thread. */
public interface GossipListener {
    /** A validated message of a subscribed topic; {@code receivedFrom} is null for our own publications. */
    default void onMessage(String topic, MessageId id, Rpc.Message message, PeerId receivedFrom) {}

    /**
     * The peer broke the abuse rule; the router ignores it until {@code blacklistedUntilNanos}
     * (router clock). The binding must close its connections and refuse it until then.
     */
    default void onPeerBlacklisted(PeerId peer, BlacklistReason reason, long blacklistedUntilNanos) {}

    /** What became of a message received from a peer on a subscribed topic (counters; keep it cheap). */
    default void onOutcome(String topic, GossipOutcome outcome) {}

    /** A well-scored peer pruned us from {@code topic} and suggested these peers to connect to. */
    default void onPeerExchange(PeerId from, String topic, List<Rpc.PeerInfo> peers) {}
}
