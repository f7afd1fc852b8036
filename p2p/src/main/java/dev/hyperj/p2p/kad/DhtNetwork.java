package dev.hyperj.p2p.kad;

import dev.hyperj.p2p.multiformats.Multiaddr;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the DHT needs from a transport: one request per stream to a peer, and inbound requests
 * delivered to a handler. Implementations: {@code SimulatedDhtNetwork} (in memory, virtual time; in the test fixtures)
 * and the libp2p host binding. Futures may complete on any thread; the DHT moves back to its
 * own scheduler and applies its own timeouts.
 */
public interface DhtNetwork {
    /**
     * Opens a stream to {@code peer} (dialling one of its addresses, or a known connection), writes
     * {@code request}, and completes with the response; fails on any transport or protocol error.
     */
    CompletableFuture<KadMessage> request(PeerInfo peer, KadMessage request);

    /** Like {@link #request} for messages that get no response (ADD_PROVIDER): completes once sent. */
    CompletableFuture<Void> send(PeerInfo peer, KadMessage message);

    /**
     * Server mode: accept inbound DHT streams and hand each request to {@code handler}. Passing
     * null is client mode: inbound DHT streams are refused (the protocol is not advertised).
     */
    void serve(InboundHandler handler);

    /** Addresses others can reach us on (advertised in ADD_PROVIDER). */
    List<Multiaddr> listenAddresses();

    /**
     * Addresses the transport knows for {@code peer} (e.g. from identify), used when the DHT tells
     * others about a peer it holds without addresses. Empty by default.
     */
    default List<Multiaddr> knownAddresses(dev.hyperj.p2p.peer.PeerId peer) {
        return List.of();
    }

    /** Answers inbound requests. */
    @FunctionalInterface
    interface InboundHandler {
        /**
         * The response to {@code request} from the authenticated peer {@code from} (with the address
         * it came from, if known); empty for messages without a response. Completing exceptionally
         * resets the stream.
         */
        CompletableFuture<Optional<KadMessage>> handle(PeerInfo from, KadMessage request);
    }
}
