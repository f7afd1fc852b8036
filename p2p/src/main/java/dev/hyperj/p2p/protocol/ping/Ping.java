package dev.hyperj.p2p.protocol.ping;

import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.host.Negotiation;
import dev.hyperj.p2p.peer.PeerId;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * libp2p ping ({@code /ipfs/ping/1.0.0}): the initiator sends 32 random bytes, the responder echoes
 * them, the initiator measures the round trip; repeatable on one stream.
 */
public final class Ping {
    public static final String PROTOCOL_ID = "/ipfs/ping/1.0.0";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** A responder closes a ping stream that carried no ping for this long. */
    public static final Duration RESPONDER_IDLE_TIMEOUT = Duration.ofSeconds(60);

    static final int PING_SIZE = 32;

    private Ping() {}

    /** Answers pings on {@code host}. */
    public static void install(Host host) {
        host.addProtocol(PROTOCOL_ID, (stream, info) -> respond(stream));
    }

    /** One ping to {@code peer} (connecting through the host's peer store if needed): the round-trip time. */
    public static CompletableFuture<Duration> ping(Host host, PeerId peer) {
        return ping(host, peer, 1, DEFAULT_TIMEOUT).thenApply(List::getFirst);
    }

    /**
     * {@code count} pings one after the other on one stream, each answered within {@code timeout}:
     * their round-trip times. Fails with {@link PingException}.
     */
    public static CompletableFuture<List<Duration>> ping(Host host, PeerId peer, int count, Duration timeout) {
        if (count < 1) {
            throw new IllegalArgumentException("count " + count);
        }
        CompletableFuture<List<Duration>> result = new CompletableFuture<>();
        // lazy: the first ping travels with the protocol proposal, one round trip saved
        host.newStream(
                        peer,
                        (stream, info) -> stream.pipeline().addLast("ping", new PingInitiator(count, timeout, result)),
                        Negotiation.LAZY,
                        PROTOCOL_ID)
                .whenComplete((s, e) -> {
                    if (e != null) {
                        result.completeExceptionally(
                                new PingException("no ping stream to " + peer + ": " + e.getMessage(), e));
                    }
                });
        return result;
    }

    /** Installs the responder on a negotiated inbound ping stream. */
    static void respond(Channel stream) {
        stream.pipeline().addLast("ping-responder", new PingResponder(RESPONDER_IDLE_TIMEOUT));
    }

    /** Runs {@code count} pings on a negotiated outbound ping stream, each bounded by {@code timeout}. */
    static CompletableFuture<List<Duration>> run(Channel stream, int count, Duration timeout) {
        if (count < 1) {
            throw new IllegalArgumentException("count " + count);
        }
        CompletableFuture<List<Duration>> result = new CompletableFuture<>();
        stream.eventLoop().execute(() -> stream.pipeline().addLast("ping", new PingInitiator(count, timeout, result)));
        return result;
    }
}
