package dev.hyperj.p2p.kad;

import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The DHT over a libp2p {@link Host}: protocol {@code <prefix>/kad/1.0.0} (default prefix
 * "/ipfs", as go-, js- and rust-libp2p use), one request per stream, varint-framed by
 * {@link KadStreams}. Addresses learned from DHT responses go to the host's peer store so it can
 * dial; inbound requesters are described by what the peer store knows of them (identify's listen
 * addresses), never by the ephemeral address a connection came from.
 *
 * <pre>{@code
 * Host host = Host.builder().identity(key).listen(Multiaddr.parse("/ip4/0.0.0.0/tcp/4001")).build();
 * host.start().join();
 * KadDht dht = KadDht.builder(host.peerId(), new HostDhtNetwork(host)).build();
 * dht.start().join();
 * }</pre>
 */
public final class HostDhtNetwork implements DhtNetwork {
    public static final String DEFAULT_PREFIX = "/ipfs";
    /** How long addresses learned from DHT answers stay in the peer store. */
    public static final Duration LEARNED_ADDRESS_TTL = Duration.ofMinutes(30);

    private final Host host;
    private final String protocolId;
    private final KadCodec codec;
    private final Duration streamTimeout;

    public HostDhtNetwork(Host host) {
        this(host, DEFAULT_PREFIX, new KadCodec(), Duration.ofSeconds(10));
    }

    /**
     * @param protocolPrefix e.g. "/ipfs" (the public DHT) or an application's own prefix
     * @param streamTimeout  how long a request waits for its answer, and an inbound stream for its next request
     */
    public HostDhtNetwork(Host host, String protocolPrefix, KadCodec codec, Duration streamTimeout) {
        this.host = Objects.requireNonNull(host, "host");
        this.protocolId = protocolId(protocolPrefix);
        this.codec = Objects.requireNonNull(codec, "codec");
        this.streamTimeout = Objects.requireNonNull(streamTimeout, "streamTimeout");
    }

    /** {@code prefix + "/kad/1.0.0"}. */
    public static String protocolId(String prefix) {
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
            throw new IllegalArgumentException("protocol prefix must look like /name: " + prefix);
        }
        return prefix + "/kad/1.0.0";
    }

    public String protocolId() {
        return protocolId;
    }

    @Override
    public CompletableFuture<KadMessage> request(PeerInfo peer, KadMessage request) {
        learn(peer);
        return exchange(peer, stream -> KadStreams.request(stream, request, codec, true, streamTimeout));
    }

    @Override
    public CompletableFuture<Void> send(PeerInfo peer, KadMessage message) {
        learn(peer);
        return exchange(peer, stream -> KadStreams.request(stream, message, codec, false, streamTimeout))
                .thenApply(m -> null);
    }

    /** Opens a stream to {@code peer} and runs {@code exchange} on it, installed before any byte arrives. */
    private CompletableFuture<KadMessage> exchange(
            PeerInfo peer, java.util.function.Function<Channel, CompletableFuture<KadMessage>> exchange) {
        CompletableFuture<CompletableFuture<KadMessage>> started = new CompletableFuture<>();
        // the handler runs before the stream's future completes, so started is done by then
        return host.newStream(peer.id(), (stream, info) -> started.complete(exchange.apply(stream)), protocolId)
                .thenCompose(stream -> started.join());
    }

    private void learn(PeerInfo peer) {
        if (!peer.addrs().isEmpty()) {
            host.peerStore().addAddresses(peer.id(), LEARNED_ADDRESS_TTL, peer.addrs());
        }
    }

    @Override
    public void serve(InboundHandler handler) {
        if (handler == null) {
            host.removeProtocol(protocolId);
            return;
        }
        host.addProtocol(
                protocolId,
                (stream, info) -> KadStreams.serve(
                        stream,
                        new PeerInfo(info.remotePeer(), knownAddresses(info.remotePeer())),
                        handler,
                        codec,
                        streamTimeout));
    }

    @Override
    public List<Multiaddr> knownAddresses(PeerId peer) {
        List<Multiaddr> known = new ArrayList<>();
        for (Multiaddr a : host.peerStore().addresses(peer)) {
            known.add(a.withoutPeerId());
        }
        return known;
    }

    @Override
    public List<Multiaddr> listenAddresses() {
        List<Multiaddr> out = new ArrayList<>();
        for (Multiaddr a : host.listenAddresses()) {
            out.add(a.withoutPeerId()); // Peer.addrs on the wire carry no /p2p suffix
        }
        return out;
    }
}
