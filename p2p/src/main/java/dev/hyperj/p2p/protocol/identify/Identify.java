package dev.hyperj.p2p.protocol.identify;

import dev.hyperj.p2p.crypto.KeyFormatException;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PublicKey;
import dev.hyperj.p2p.host.Connection;
import dev.hyperj.p2p.host.ConnectionListener;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.host.Negotiation;
import dev.hyperj.p2p.host.StreamInfo;
import dev.hyperj.p2p.multiformats.FormatException;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.protocol.VarintFrames;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libp2p identify for a {@link Host}: {@value #PROTOCOL_ID} (a peer asks, the other answers with
 * an Identify message and closes) and {@value #PUSH_PROTOCOL_ID} (a peer sends its Identify
 * message unasked when its addresses or protocols change).
 *
 * <p>Pushes are automatic: when the host's protocols or advertised addresses change (see
 * {@link Host#addLocalChangeListener}), our new message goes to every connected peer that speaks
 * identify push, once the changes have settled for the push delay (so a burst of changes makes one
 * push, and a change undone within the delay makes none). The observed address each inbound
 * connection's peer reports goes to {@link Host#observedAddresses()}; one that two peers confirm
 * is advertised, which in turn is pushed.
 *
 * <p>{@link #install(Host)} answers both protocols and identifies every new connection's peer;
 * results go into the host's {@link dev.hyperj.p2p.host.PeerStore} (addresses, protocols, public
 * key, agent version) and to listeners and futures ({@link #whenIdentified(PeerId)}). Messages are
 * varint length-prefixed protobuf of at most 8 KiB each (as js-libp2p and go-libp2p), at most 10
 * per stream; ours carry a signed peer record of our listen addresses.
 */
public final class Identify {
    public static final String PROTOCOL_ID = "/ipfs/id/1.0.0";
    public static final String PUSH_PROTOCOL_ID = "/ipfs/id/push/1.0.0";
    /** What js-libp2p and go-libp2p send as protocolVersion. */
    public static final String PROTOCOL_VERSION = "ipfs/0.1.0";

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** How long changes must settle before they are pushed. */
    public static final Duration DEFAULT_PUSH_DELAY = Duration.ofMillis(500);
    /** How long addresses learnt from identify stay in the peer store. */
    public static final Duration ADDRESS_TTL = Duration.ofHours(1);
    /** Largest Identify message read or written (as js-libp2p and go-libp2p). */
    static final int MAX_MESSAGE_SIZE = 8 * 1024;
    /** Messages read from one stream at most (an answer may be split into several). */
    static final int MAX_MESSAGES = 10;

    private static final Logger LOG = LoggerFactory.getLogger(Identify.class);

    private final Host host;
    private final Duration timeout;
    private final Duration pushDelay;
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean pushScheduled =
            new java.util.concurrent.atomic.AtomicBoolean();
    /** What peers last heard from us (by identify at connect, or a push): protocols and addresses. */
    private volatile String announced;

    private final Map<PeerId, IdentifyResult> latest = new ConcurrentHashMap<>();
    /** Per connected peer: its last identify outcome, or a future for the first one still to come. */
    private final Map<PeerId, CompletableFuture<IdentifyResult>> outcomes = new ConcurrentHashMap<>();

    private final List<Consumer<IdentifyResult>> listeners = new CopyOnWriteArrayList<>();
    private final Object recordLock = new Object();
    private List<Multiaddr> recordAddresses;
    private byte[] recordEnvelope;
    private long recordSeq;

    private Identify(Host host, Duration timeout, Duration pushDelay) {
        this.host = host;
        this.timeout = timeout;
        this.pushDelay = pushDelay;
    }

    /**
     * Registers identify and identify push on {@code host} and identifies the peer of every
     * connection the host makes or accepts from now on.
     */
    public static Identify install(Host host) {
        return install(host, DEFAULT_TIMEOUT);
    }

    /** As {@link #install(Host)}, with a timeout for each identify exchange. */
    public static Identify install(Host host, Duration timeout) {
        return install(host, timeout, DEFAULT_PUSH_DELAY);
    }

    /** As {@link #install(Host, Duration)}; {@code pushDelay}: how long changes must settle before they are pushed. */
    public static Identify install(Host host, Duration timeout, Duration pushDelay) {
        if (pushDelay.isNegative()) {
            throw new IllegalArgumentException("negative push delay");
        }
        Identify identify = new Identify(host, timeout, pushDelay);
        host.addProtocol(PROTOCOL_ID, identify::answer);
        host.addProtocol(PUSH_PROTOCOL_ID, identify::receivePush);
        identify.announced = identify.state();
        host.addLocalChangeListener(identify::changed);
        host.connections().addListener(new ConnectionListener() {
            @Override
            public void connected(Connection connection) {
                identify.identify(connection);
            }

            @Override
            public void disconnected(Connection connection) {
                identify.forgetIfGone(connection.remotePeer());
            }
        });
        return identify;
    }

    /** Called (on an event loop: keep it short) with every successful identify or push. */
    public void addListener(Consumer<IdentifyResult> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<IdentifyResult> listener) {
        listeners.remove(listener);
    }

    /** Keeps results only for connected peers, so memory follows the connection limits. */
    private void forgetIfGone(PeerId peer) {
        if (!host.connections().isConnected(peer)) {
            host.observedAddresses().forget(peer);
            latest.remove(peer);
            outcomes.computeIfPresent(peer, (p, f) -> f.isDone() ? null : f);
        }
    }

    /** The last identify result of {@code peer}, if any. */
    public Optional<IdentifyResult> result(PeerId peer) {
        return Optional.ofNullable(latest.get(peer));
    }

    /**
     * Completes with {@code peer}'s identify result: at once if it was identified already (or its
     * last identify failed: then exceptionally), else when the (automatic) identify of a connection
     * to it ends. Use {@link CompletableFuture#orTimeout} to bound the wait for a peer not
     * connected yet.
     */
    public CompletableFuture<IdentifyResult> whenIdentified(PeerId peer) {
        return outcomes.computeIfAbsent(peer, p -> new CompletableFuture<>()).copy();
    }

    /** Records an identify outcome: completes the pending future, or replaces the previous outcome. */
    private void settleOutcome(PeerId peer, IdentifyResult result, Throwable failure) {
        CompletableFuture<IdentifyResult> f =
                outcomes.compute(peer, (p, old) -> old != null && !old.isDone() ? old : new CompletableFuture<>());
        if (failure != null) {
            f.completeExceptionally(failure);
        } else {
            f.complete(result);
        }
    }

    /** Runs identify with {@code peer} now (connecting through the peer store if needed). */
    public CompletableFuture<IdentifyResult> identify(PeerId peer) {
        CompletableFuture<IdentifyMessage> message = new CompletableFuture<>();
        host.newStream(peer, (stream, info) -> read(stream, message), PROTOCOL_ID)
                .whenComplete((s, e) -> {
                    if (e != null) {
                        message.completeExceptionally(
                                new IdentifyException("no identify stream to " + peer + ": " + e.getMessage(), e));
                    }
                });
        return message.thenApply(m -> accept(peer, m, false, false)).whenComplete((r, e) -> settle(peer, e));
    }

    /** Runs identify on {@code connection}; the host calls this for every new connection. */
    public CompletableFuture<IdentifyResult> identify(Connection connection) {
        PeerId peer = connection.remotePeer();
        CompletableFuture<IdentifyMessage> message = new CompletableFuture<>();
        connection
                .newStream((stream, info) -> read(stream, message), PROTOCOL_ID)
                .whenComplete((s, e) -> {
                    if (e != null) {
                        message.completeExceptionally(
                                new IdentifyException("no identify stream to " + peer + ": " + e.getMessage(), e));
                    }
                });
        // only an inbound connection reached our listening socket: on an outbound one the peer
        // sees our ephemeral source port, which nobody can dial
        boolean observedIsDialable = !connection.isInitiator();
        return message.thenApply(m -> accept(peer, m, false, observedIsDialable))
                .whenComplete((r, e) -> settle(peer, e));
    }

    /** Our protocols or addresses may have changed: push once they have settled for the push delay. */
    private void changed() {
        changes.incrementAndGet();
        if (pushScheduled.compareAndSet(false, true)) {
            schedulePushCheck(changes.get());
        }
    }

    private void schedulePushCheck(long seen) {
        CompletableFuture.delayedExecutor(pushDelay.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)
                .execute(() -> pushIfChanged(seen));
    }

    private void pushIfChanged(long seen) {
        long now = changes.get();
        if (now != seen) {
            schedulePushCheck(now); // still changing: wait for it to settle
            return;
        }
        pushScheduled.set(false);
        if (changes.get() != now) { // a change raced the reset: make sure it is looked at
            changed();
            return;
        }
        String state = state();
        if (state.equals(announced)) {
            return;
        }
        announced = state;
        LOG.debug("our protocols or addresses changed: pushing identify to connected peers");
        push();
    }

    /** What a push would tell: our protocols and advertised addresses. */
    private String state() {
        return new TreeSet<>(host.protocols()) + " " + host.advertisedAddresses();
    }

    /**
     * Sends our current Identify message now to every connected peer not known to lack identify
     * push; changes are pushed automatically, so this is rarely needed.
     */
    public CompletableFuture<Void> push() {
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (Connection c : host.connections().connections()) {
            java.util.Set<String> known = host.peerStore().protocols(c.remotePeer());
            if (!known.isEmpty() && !known.contains(PUSH_PROTOCOL_ID)) {
                continue;
            }
            // lazy: the message travels with the protocol proposal
            all.add(c.newStream(
                            (stream, info) -> stream.pipeline().addLast(new IdentifyWriter(ourMessage(null))),
                            Negotiation.LAZY,
                            PUSH_PROTOCOL_ID)
                    .exceptionally(e -> {
                        LOG.debug("identify push to {} failed: {}", c.remotePeer(), e.toString());
                        return null;
                    }));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    private void read(Channel stream, CompletableFuture<IdentifyMessage> message) {
        stream.pipeline().addLast("identify-frames", VarintFrames.decoder(MAX_MESSAGE_SIZE));
        stream.pipeline().addLast("identify-reader", new IdentifyReader(timeout, message));
    }

    private void answer(Channel stream, StreamInfo info) {
        stream.pipeline().addLast("identify-writer", new IdentifyWriter(ourMessage(info.remoteAddress())));
    }

    private void receivePush(Channel stream, StreamInfo info) {
        CompletableFuture<IdentifyMessage> message = new CompletableFuture<>();
        read(stream, message);
        message.thenApply(m -> accept(info.remotePeer(), m, true, false)).whenComplete((r, e) -> {
            if (e != null) {
                LOG.info("identify push from {} rejected: {}", info.remotePeer(), rootMessage(e));
            }
        });
    }

    private void settle(PeerId peer, Throwable failure) {
        if (failure != null) {
            LOG.info("identify of {} failed: {}", peer, rootMessage(failure));
            settleOutcome(
                    peer,
                    null,
                    failure instanceof java.util.concurrent.CompletionException ce && ce.getCause() != null
                            ? ce.getCause()
                            : failure);
        }
    }

    /**
     * Checks a received message, records it in the peer store (and its observed address, if
     * {@code recordObserved}) and tells whoever waits.
     */
    private IdentifyResult accept(PeerId peer, IdentifyMessage m, boolean push, boolean recordObserved) {
        Optional<PublicKey> key = Optional.empty();
        if (m.publicKey() != null) {
            PublicKey k;
            try {
                k = Keys.unmarshalPublicKey(m.publicKey());
            } catch (KeyFormatException e) {
                throw new IdentifyException(
                        "identify from " + peer + " carries a malformed public key: " + e.getMessage(), e);
            }
            if (!PeerId.fromPublicKey(k).equals(peer)) {
                throw new IdentifyException("identify from " + peer + " carries the key of " + PeerId.fromPublicKey(k));
            }
            key = Optional.of(k);
        } else if (!push) {
            throw new IdentifyException("identify from " + peer + " lacks its public key");
        }
        Optional<PeerRecord> record = Optional.empty();
        if (m.signedPeerRecord() != null) {
            try {
                PeerRecord r = PeerRecord.open(m.signedPeerRecord());
                if (!r.peerId().equals(peer)) {
                    throw new IdentifyException("signed peer record of " + r.peerId());
                }
                record = Optional.of(r);
            } catch (IdentifyException e) {
                // as go-libp2p: a bad record is ignored (and its addresses not trusted), identify goes on
                LOG.info("ignoring the signed peer record {} sent in identify: {}", peer, e.getMessage());
            }
        }
        List<Multiaddr> addresses = record.map(PeerRecord::addresses).orElseGet(() -> parseAll(m.listenAddrs()));
        Optional<Multiaddr> observed = Optional.empty();
        if (m.observedAddr() != null) {
            observed = parse(m.observedAddr());
        }
        IdentifyResult result = new IdentifyResult(
                peer, m.protocolVersion(), m.agentVersion(), key, addresses, observed, m.protocols(), record, push);

        var store = host.peerStore();
        key.ifPresent(k -> store.putPublicKey(peer, k));
        if (!addresses.isEmpty()) {
            store.addAddresses(peer, ADDRESS_TTL, addresses);
        }
        if (!push || !m.protocols().isEmpty()) {
            store.setProtocols(peer, m.protocols());
        }
        if (m.agentVersion() != null) {
            store.setAgentVersion(peer, m.agentVersion());
        }
        if (recordObserved) {
            observed.ifPresent(a -> host.observedAddresses().record(peer, a));
        }
        latest.put(peer, result);
        settleOutcome(peer, result, null);
        for (Consumer<IdentifyResult> l : listeners) {
            try {
                l.accept(result);
            } catch (RuntimeException e) {
                LOG.warn("identify listener failed", e);
            }
        }
        LOG.debug(
                "identified {}: agent {}, {} protocols, {} addresses{}",
                peer,
                m.agentVersion(),
                m.protocols().size(),
                addresses.size(),
                record.isPresent() ? " (signed)" : "");
        return result;
    }

    private static List<Multiaddr> parseAll(List<byte[]> raw) {
        List<Multiaddr> out = new ArrayList<>();
        for (byte[] b : raw) {
            parse(b).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<Multiaddr> parse(byte[] raw) {
        try {
            return Optional.of(Multiaddr.fromBytes(raw));
        } catch (FormatException e) {
            return Optional.empty(); // an address we cannot read is one we cannot dial
        }
    }

    /** Our Identify message, split to fit the 8 KiB limit; {@code observed} is the peer's address as we see it. */
    List<IdentifyMessage> ourMessage(Multiaddr observed) {
        List<Multiaddr> addresses = host.advertisedAddresses().stream()
                .map(a -> a.peerId().isPresent() ? a.withoutPeerId() : a)
                .toList();
        List<byte[]> listen = addresses.stream().map(Multiaddr::bytes).toList();
        IdentifyMessage m = new IdentifyMessage(
                PROTOCOL_VERSION,
                host.agentVersion(),
                host.identity().publicKey().marshal(),
                listen,
                observed == null ? null : observed.bytes(),
                new ArrayList<>(new TreeSet<>(host.protocols())),
                signedRecord(addresses));
        return m.split(MAX_MESSAGE_SIZE);
    }

    /** Our signed peer record, re-signed with a higher sequence number whenever our addresses change. */
    private byte[] signedRecord(List<Multiaddr> addresses) {
        synchronized (recordLock) {
            if (recordEnvelope == null || !addresses.equals(recordAddresses)) {
                recordSeq = Math.max(recordSeq + 1, System.currentTimeMillis());
                recordAddresses = addresses;
                recordEnvelope = new PeerRecord(host.peerId(), recordSeq, addresses)
                        .seal(host.identity())
                        .marshal();
            }
            return recordEnvelope;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null
                && (t instanceof java.util.concurrent.CompletionException
                        || t instanceof java.util.concurrent.ExecutionException)) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
