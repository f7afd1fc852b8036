package dev.hyperj.p2p.gossipsub;

import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.peer.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/** One router under test, on a manual clock, with remote peers played by the test. */
final class RouterHarness implements RouterEnvironment, GossipListener {
    private record Task(long at, long seq, Runnable run) {}

    private final PriorityQueue<Task> tasks =
            new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long now = 1_000_000_000L;
    private long seq;
    final GossipRouter router;
    final List<MessageId> delivered = new ArrayList<>();
    final List<PeerId> blacklisted = new ArrayList<>();
    final List<BlacklistReason> blacklistReasons = new ArrayList<>();
    final List<List<Rpc.PeerInfo>> exchanged = new ArrayList<>();

    RouterHarness(GossipConfig config, PeerScoreParams params, PeerScoreThresholds thresholds) {
        router = GossipRouter.builder(key(0))
                .config(config)
                .scoreParams(params)
                .thresholds(thresholds)
                .environment(this)
                .outbound(p -> {})
                .listener(this)
                .random(new Random(1))
                .build();
        router.start();
    }

    RouterHarness() {
        this(GossipConfig.defaults(), PeerScoreParams.defaults(), PeerScoreThresholds.defaults());
    }

    static PrivateKey key(int i) {
        byte[] seed = new byte[32];
        seed[0] = (byte) i;
        seed[1] = (byte) (i >> 8);
        seed[31] = 42;
        return Keys.ed25519FromSeed(seed);
    }

    static PeerId peer(int i) {
        return PeerId.fromPublicKey(key(i).publicKey());
    }

    /** Adds remote peer i, subscribed to the topics, and discards our hello. */
    PeerId connect(int i, PubsubProtocol protocol, boolean outbound, String... topics) {
        PeerId p = peer(i);
        router.addPeer(p, protocol, outbound, "10.0.0." + i);
        List<Rpc.SubOpts> subs = new ArrayList<>();
        for (String t : topics) subs.add(new Rpc.SubOpts(true, t));
        if (!subs.isEmpty()) router.handleRpc(p, new Rpc(subs, List.of(), Rpc.Control.EMPTY));
        drain(p);
        return p;
    }

    List<Rpc> drain(PeerId p) {
        List<Rpc> out = new ArrayList<>();
        for (Rpc r; (r = router.pollOutbound(p)) != null; ) out.add(r);
        return out;
    }

    static List<Rpc.Message> messages(List<Rpc> rpcs) {
        List<Rpc.Message> out = new ArrayList<>();
        for (Rpc r : rpcs) out.addAll(r.publish());
        return out;
    }

    static Rpc.Control control(List<Rpc> rpcs) {
        List<Rpc.IHave> ih = new ArrayList<>();
        List<Rpc.IWant> iw = new ArrayList<>();
        List<Rpc.Graft> g = new ArrayList<>();
        List<Rpc.Prune> p = new ArrayList<>();
        List<Rpc.IDontWant> d = new ArrayList<>();
        for (Rpc r : rpcs) {
            ih.addAll(r.control().ihave());
            iw.addAll(r.control().iwant());
            g.addAll(r.control().graft());
            p.addAll(r.control().prune());
            d.addAll(r.control().idontwant());
        }
        return new Rpc.Control(ih, iw, g, p, d);
    }

    void advance(Duration d) {
        long end = now + d.toNanos();
        while (!tasks.isEmpty() && tasks.peek().at <= end) {
            Task t = tasks.poll();
            now = t.at;
            t.run.run();
        }
        now = end;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void schedule(long delayNanos, Runnable task) {
        tasks.add(new Task(now + delayNanos, seq++, task));
    }

    @Override
    public void execute(Runnable task) {
        schedule(0, task);
    }

    @Override
    public void onMessage(String topic, MessageId id, Rpc.Message message, PeerId from) {
        delivered.add(id);
    }

    @Override
    public void onPeerBlacklisted(PeerId peer, BlacklistReason reason, long until) {
        blacklisted.add(peer);
        blacklistReasons.add(reason);
    }

    @Override
    public void onPeerExchange(PeerId from, String topic, List<Rpc.PeerInfo> peers) {
        exchanged.add(peers);
    }
}
