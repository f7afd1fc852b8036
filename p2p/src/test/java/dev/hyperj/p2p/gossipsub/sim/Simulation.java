package dev.hyperj.p2p.gossipsub.sim;

import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.gossipsub.BlacklistReason;
import dev.hyperj.p2p.gossipsub.GossipConfig;
import dev.hyperj.p2p.gossipsub.GossipListener;
import dev.hyperj.p2p.gossipsub.GossipRouter;
import dev.hyperj.p2p.gossipsub.MessageId;
import dev.hyperj.p2p.gossipsub.PeerScoreParams;
import dev.hyperj.p2p.gossipsub.PeerScoreThresholds;
import dev.hyperj.p2p.gossipsub.PubsubProtocol;
import dev.hyperj.p2p.gossipsub.RouterEnvironment;
import dev.hyperj.p2p.gossipsub.Rpc;
import dev.hyperj.p2p.gossipsub.RpcCodec;
import dev.hyperj.p2p.peer.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Deterministic discrete-event simulation of a gossipsub network: real {@link GossipRouter}s over an
 * in-memory transport with per-link latency and bandwidth, in virtual time (nanoseconds), with
 * every random choice drawn from one seed. The same seed and the same calls give the same run.
 *
 * <p>A link serialises RPCs: the sender polls its router's queue for the next RPC only when the
 * previous one has left, so a slow link backs RPCs up in the router's bounded per-peer queue.
 */
public final class Simulation {
    /** Per-link characteristics: one-way latency drawn uniformly in [min, max], bandwidth in bytes/s. */
    public record LinkProfile(Duration minLatency, Duration maxLatency, long bytesPerSecond) {
        public LinkProfile {
            if (minLatency.compareTo(maxLatency) > 0 || bytesPerSecond <= 0) {
                throw new IllegalArgumentException("bad link profile");
            }
        }

        /** 10-100 ms one way, 100 Mbit/s: an internet-like spread. */
        public static LinkProfile internet() {
            return new LinkProfile(Duration.ofMillis(10), Duration.ofMillis(100), 12_500_000);
        }
    }

    private record Event(long time, long seq, Runnable task) {}

    private final PriorityQueue<Event> events =
            new PriorityQueue<>((a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
    private final Random random;
    private final LinkProfile links;
    private final boolean wireCodec;
    private final RpcCodec codec;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<PeerId, Node> byId = new HashMap<>();
    private final Map<MessageId, Published> published = new LinkedHashMap<>();
    private long now;
    private long seq;
    private long bytesSent;
    private long rpcsSent;
    private long eventsRun;

    /**
     * @param wireCodec encode and decode every RPC with {@link RpcCodec} (slower, exercises the codec)
     */
    public Simulation(long seed, LinkProfile links, boolean wireCodec) {
        this.random = new Random(seed);
        this.links = links;
        this.wireCodec = wireCodec;
        this.codec = new RpcCodec(dev.hyperj.p2p.gossipsub.RpcLimits.defaults());
    }

    // ------------------------------------------------------------ clock

    public long nanoTime() {
        return now;
    }

    void at(long time, Runnable task) {
        events.add(new Event(Math.max(time, now), seq++, task));
    }

    /** Runs events until virtual time {@code end} (inclusive) or none are left. */
    public void runUntil(long end) {
        while (!events.isEmpty() && events.peek().time() <= end) {
            Event e = events.poll();
            now = e.time();
            eventsRun++;
            e.task().run();
        }
        now = Math.max(now, end);
    }

    public void runFor(Duration d) {
        runUntil(now + d.toNanos());
    }

    public long eventsRun() {
        return eventsRun;
    }

    public Random random() {
        return random;
    }

    // ------------------------------------------------------------ nodes and links

    /** A simulated peer: a router, its links, and what it received. */
    public final class Node implements RouterEnvironment, GossipListener {
        private final PeerId id;
        private final PubsubProtocol protocol;
        private final String ip;
        private final GossipRouter router;
        private final Map<PeerId, Link> out = new HashMap<>();
        private final List<String> blacklistReasons = new ArrayList<>();
        private boolean up = true;
        private long received;
        private java.util.function.BiConsumer<String, Rpc.Message> deliveries = (topic, m) -> {};

        private Node(
                PrivateKey key,
                PubsubProtocol protocol,
                String ip,
                GossipConfig config,
                PeerScoreParams params,
                PeerScoreThresholds thresholds) {
            this.id = dev.hyperj.p2p.peer.PeerId.fromPublicKey(key.publicKey());
            this.protocol = protocol;
            this.ip = ip;
            this.router = GossipRouter.builder(key)
                    .config(config)
                    .scoreParams(params)
                    .thresholds(thresholds)
                    .environment(this)
                    .outbound(this::ready)
                    .listener(this)
                    .random(new Random(random.nextLong()))
                    .build();
        }

        public PeerId id() {
            return id;
        }

        public GossipRouter router() {
            return router;
        }

        public PubsubProtocol protocol() {
            return protocol;
        }

        public boolean isUp() {
            return up;
        }

        public Collection<PeerId> connections() {
            return List.copyOf(out.keySet());
        }

        public long received() {
            return received;
        }

        public List<String> blacklistReasons() {
            return List.copyOf(blacklistReasons);
        }

        /** Hands every message the router delivers (its own publications included) to {@code handler}, e.g. a topic's rules. */
        public void onDelivery(java.util.function.BiConsumer<String, Rpc.Message> handler) {
            deliveries = handler;
        }

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void schedule(long delayNanos, Runnable task) {
            at(now + delayNanos, () -> {
                if (up) task.run();
            });
        }

        @Override
        public void execute(Runnable task) {
            schedule(0, task);
        }

        private void ready(PeerId peer) {
            Link l = out.get(peer);
            if (l != null && !l.sending) {
                l.sending = true;
                pump(l);
            }
        }

        @Override
        public void onMessage(String topic, MessageId mid, Rpc.Message message, PeerId from) {
            received++;
            deliveries.accept(topic, message);
            Published p = published.get(mid);
            if (p != null && from != null) p.latencies.add(now - p.time);
        }

        @Override
        public void onPeerBlacklisted(PeerId peer, BlacklistReason reason, long until) {
            blacklistReasons.add(peer + ": " + reason);
            Node other = byId.get(peer);
            if (other != null) at(now, () -> disconnect(this, other));
        }

        /** Publishes on the router and records the time for latency figures. */
        public MessageId publish(String topic, byte[] data) {
            MessageId mid = router.publish(topic, data);
            published.computeIfAbsent(mid, k -> new Published(now, id));
            return mid;
        }

        /** Publishes a prepared message (e.g. a forged one in tests). */
        public MessageId publish(Rpc.Message message) {
            MessageId mid = router.publish(message);
            published.computeIfAbsent(mid, k -> new Published(now, id));
            return mid;
        }
    }

    private final class Link {
        final Node from;
        final Node to;
        final long latency;
        boolean sending;
        boolean open = true;
        long busyUntil;

        Link(Node from, Node to, long latency) {
            this.from = from;
            this.to = to;
            this.latency = latency;
        }
    }

    private static final class Published {
        final long time;
        final PeerId publisher;
        final List<Long> latencies = new ArrayList<>();

        Published(long time, PeerId publisher) {
            this.time = time;
            this.publisher = publisher;
        }
    }

    /** Adds a node (not yet started: call {@link #start(Node)} or {@link #startAll()}). */
    public Node addNode(
            PubsubProtocol protocol, GossipConfig config, PeerScoreParams params, PeerScoreThresholds thresholds) {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        // Distinct fake addresses so IP colocation sees one peer per address.
        int n = nodes.size() + 1;
        String ip = "10." + ((n >> 16) & 255) + "." + ((n >> 8) & 255) + "." + (n & 255);
        Node node = new Node(Keys.ed25519FromSeed(seed), protocol, ip, config, params, thresholds);
        nodes.add(node);
        byId.put(node.id, node);
        return node;
    }

    public Node addNode(GossipConfig config) {
        return addNode(PubsubProtocol.MESHSUB_V12, config, PeerScoreParams.defaults(), PeerScoreThresholds.defaults());
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    public Node node(PeerId id) {
        return byId.get(id);
    }

    /** Starts the node's heartbeat at a random offset within one heartbeat, as real nodes are not in phase. */
    public void start(Node n) {
        long offset = (long)
                (random.nextDouble() * n.router.config().heartbeatInterval().toNanos());
        at(now + offset, () -> {
            if (n.up) n.router.start();
        });
    }

    public void startAll() {
        for (Node n : nodes) start(n);
    }

    /** Connects two nodes; {@code a} dialled {@code b}. No-op if already connected or either is down. */
    public boolean connect(Node a, Node b) {
        if (a == b || !a.up || !b.up || a.out.containsKey(b.id)) return false;
        PubsubProtocol p = negotiate(a.protocol, b.protocol);
        if (!a.router.addPeer(b.id, p, true, b.ip)) return false;
        if (!b.router.addPeer(a.id, p, false, a.ip)) {
            a.router.removePeer(b.id);
            return false;
        }
        long latency = links.minLatency().toNanos()
                + (long) (random.nextDouble()
                        * (links.maxLatency().toNanos() - links.minLatency().toNanos()));
        Link ab = new Link(a, b, latency);
        Link ba = new Link(b, a, latency);
        a.out.put(b.id, ab);
        b.out.put(a.id, ba);
        // The routers may have queued hello RPCs before the links existed.
        a.ready(b.id);
        b.ready(a.id);
        return true;
    }

    public void disconnect(Node a, Node b) {
        Link ab = a.out.remove(b.id);
        Link ba = b.out.remove(a.id);
        if (ab != null) ab.open = false;
        if (ba != null) ba.open = false;
        a.router.removePeer(b.id);
        b.router.removePeer(a.id);
    }

    /** Takes a node down: all its links close, its router stops. */
    public void kill(Node n) {
        for (PeerId p : List.copyOf(n.out.keySet())) disconnect(n, byId.get(p));
        n.router.stop();
        n.up = false;
    }

    /** Connects every node to {@code dials} distinct random others (so degrees average 2 x dials). */
    public void connectRandomly(List<Node> among, int dials) {
        for (Node a : among) {
            int made = 0;
            for (int attempt = 0; made < dials && attempt < dials * 10; attempt++) {
                Node b = among.get(random.nextInt(among.size()));
                if (connect(a, b)) made++;
            }
        }
    }

    private static PubsubProtocol negotiate(PubsubProtocol a, PubsubProtocol b) {
        if (a == PubsubProtocol.FLOODSUB || b == PubsubProtocol.FLOODSUB) return PubsubProtocol.FLOODSUB;
        // Enum order is newest first: the common protocol is the older of the two.
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    private void pump(Link l) {
        if (!l.open || !l.from.up) {
            l.sending = false;
            return;
        }
        Rpc rpc = l.from.router.pollOutbound(l.to.id);
        if (rpc == null) {
            l.sending = false;
            return;
        }
        Rpc onWire = rpc;
        int size;
        if (wireCodec) {
            byte[] framed = codec.encodeFramed(rpc);
            size = framed.length;
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(framed);
            onWire = codec.decode(codec.readFrame(buf));
        } else {
            int body = RpcCodec.encodedSize(rpc);
            size = body + varintLength(body);
        }
        bytesSent += size;
        rpcsSent++;
        long start = Math.max(now, l.busyUntil);
        long done = start + size * 1_000_000_000L / links.bytesPerSecond();
        l.busyUntil = done;
        Rpc delivered = onWire;
        at(done + l.latency, () -> {
            if (l.open && l.to.up) l.to.router.handleRpc(l.from.id, delivered);
        });
        at(done, () -> pump(l));
    }

    private static int varintLength(int v) {
        int n = 1;
        while ((v & ~0x7F) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    // ------------------------------------------------------------ figures

    public long bytesSent() {
        return bytesSent;
    }

    public long rpcsSent() {
        return rpcsSent;
    }

    /** Delivery figures over the messages published through {@link Node#publish}. */
    public Report report(int expectedReceiversPerMessage) {
        long samples = 0;
        List<Long> all = new ArrayList<>();
        for (Published p : published.values()) {
            samples += p.latencies.size();
            all.addAll(p.latencies);
        }
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        long duplicates = 0, delivered = 0;
        int up = 0;
        for (Node n : nodes) {
            GossipRouter.RouterStats s = n.router.stats();
            duplicates += s.duplicates();
            delivered += s.delivered();
            if (n.up) up++;
        }
        int messages = published.size();
        double expected = (double) messages * expectedReceiversPerMessage;
        return new Report(
                up,
                messages,
                expected == 0 ? 0 : samples / expected,
                percentile(sorted, 0.50),
                percentile(sorted, 0.99),
                percentile(sorted, 1.0),
                delivered == 0 ? 0 : (double) duplicates / delivered,
                messages == 0 || up == 0 ? 0 : (double) bytesSent / up / messages,
                eventsRun);
    }

    private static Duration percentile(long[] sorted, double q) {
        if (sorted.length == 0) return Duration.ZERO;
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return Duration.ofNanos(sorted[Math.max(0, i)]);
    }

    /**
     * Network figures.
     *
     * @param deliveryRatio          deliveries to other nodes / (messages x expected receivers)
     * @param duplicatesPerDelivery  duplicate copies received per delivered message
     * @param bytesPerNodePerMessage all bytes on all links (control and gossip included) / nodes / messages
     */
    public record Report(
            int nodes,
            int messages,
            double deliveryRatio,
            Duration p50,
            Duration p99,
            Duration max,
            double duplicatesPerDelivery,
            double bytesPerNodePerMessage,
            long events) {
        @Override
        public String toString() {
            return String.format(
                    "nodes=%d messages=%d delivery=%.4f p50=%.1fms p99=%.1fms max=%.1fms dup/delivery=%.2f "
                            + "bytes/node/msg=%.0f events=%d",
                    nodes,
                    messages,
                    deliveryRatio,
                    p50.toNanos() / 1e6,
                    p99.toNanos() / 1e6,
                    max.toNanos() / 1e6,
                    duplicatesPerDelivery,
                    bytesPerNodePerMessage,
                    events);
        }
    }

    @Override
    public String toString() {
        return "Simulation[nodes=" + nodes.size() + ", t=" + now + "ns]";
    }
}
