package dev.hyperj.bench.soak;

import dev.hyperj.p2p.gossipsub.GossipConfig;
import dev.hyperj.p2p.gossipsub.GossipRouter;
import dev.hyperj.p2p.gossipsub.sim.Simulation;
import dev.hyperj.subnet.DevChain;
import dev.hyperj.subnet.consensus.Heartbeat;
import dev.hyperj.subnet.consensus.HeartbeatLog;
import dev.hyperj.subnet.consensus.Heartbeats;
import dev.hyperj.subnet.epoch.EpochEvent;
import dev.hyperj.subnet.epoch.EpochPosition;
import dev.hyperj.subnet.epoch.EpochView;
import dev.hyperj.subnet.epoch.SubnetSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A long run of subnet heartbeats: simulated gossipsub routers (the deterministic simulator,
 * internet-like links, the node's default gossip config: every message signed and verified) carry
 * each node's heartbeat every epoch through the node's own rules ({@link Heartbeats}: the heartbeat
 * codec, the sender-is-the-on-chain-node check, the epoch window, the {@link HeartbeatLog}). The
 * nodes are registered on a real dev chain first and their epoch events carry that chain's
 * snapshot of the subnet; then the chain is closed and the epochs are the simulator's (each node
 * enters a new epoch at its own moment in the first second, as nodes see a head at different
 * times). After each epoch every node's log must hold every node's heartbeat: none lost; a
 * heartbeat delivered twice, or one rejected or ignored by the rules, is counted and fails the run.
 *
 * <pre>
 * java -Xmx1g --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.hyperj.bench.soak.HeartbeatSoak \
 *      [--nodes 20] [--heartbeats 2000000] [--epoch-seconds 12] [--seed 1]
 * </pre>
 * {@code --heartbeats} counts heartbeats received by a node from another, validated and recorded
 * (each node's own is delivered to itself too and is not counted).
 */
public final class HeartbeatSoak {
    private HeartbeatSoak() {}

    /** The epochs as one simulated node sees them: it enters each at its own moment. */
    private static final class SimulatedEpochs implements EpochView {
        private final SubnetSnapshot snapshot;
        private final int slot;
        private final int epochLength;
        private EpochEvent current;

        SimulatedEpochs(SubnetSnapshot snapshot, int slot, int epochLength) {
            this.snapshot = snapshot;
            this.slot = slot;
            this.epochLength = epochLength;
        }

        EpochEvent enter(long epoch) {
            current = new EpochEvent(EpochPosition.at(slot + epoch * epochLength, slot, epochLength), snapshot, 0);
            return current;
        }

        @Override
        public int subnetId() {
            return snapshot.subnetId();
        }

        @Override
        public Optional<EpochPosition> position() {
            return Optional.ofNullable(current).map(EpochEvent::position);
        }

        @Override
        public Optional<EpochEvent> current() {
            return Optional.ofNullable(current);
        }
    }

    public static void main(String[] args) throws Exception {
        int nodes = 20, epochSeconds = 12;
        long target = 2_000_000, seed = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--heartbeats" -> target = Long.parseLong(args[++i]);
                case "--epoch-seconds" -> epochSeconds = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Simulation sim = new Simulation(seed, Simulation.LinkProfile.internet(), false);
        for (int i = 0; i < nodes; i++) sim.addNode(GossipConfig.defaults());
        List<Simulation.Node> all = sim.nodes();

        // The subnet and its nodes, registered on a real dev chain; its snapshot is what every epoch event carries.
        SubnetSnapshot snapshot;
        int epochLength;
        try (DevChain chain = DevChain.start(20)) {
            epochLength = chain.epochLength;
            List<Integer> validators = chain.registerValidators(3);
            Map<Integer, Integer> whitelist = new LinkedHashMap<>();
            for (int v : validators) whitelist.put(v, (nodes + validators.size() - 1) / validators.size());
            int subnetId = chain.registerSubnet(whitelist, Map.of());
            for (int i = 0; i < nodes; i++) {
                int v = i % validators.size();
                chain.registerNode(
                        DevChain.COLDKEYS.get(v),
                        validators.get(v),
                        subnetId,
                        all.get(i).id().toBase58());
            }
            snapshot = SubnetSnapshot.read(chain.client, subnetId, chain.client.blockNumber());
        }
        if (snapshot.nodes().size() != nodes)
            throw new IllegalStateException("registered " + snapshot.nodes().size() + " of " + nodes + " nodes");
        int slot = snapshot.subnet().orElseThrow().subnet().slot();

        List<SimulatedEpochs> views = new ArrayList<>();
        List<Heartbeats> rules = new ArrayList<>();
        long[] deliveries = {0}, recorded = {0};
        for (Simulation.Node n : all) {
            SimulatedEpochs view = new SimulatedEpochs(snapshot, slot, epochLength);
            Heartbeats r = new Heartbeats(view, n.id(), new HeartbeatLog());
            views.add(view);
            rules.add(r);
            n.router().setValidator(Heartbeat.TOPIC, (from, m) -> CompletableFuture.completedFuture(r.check(m)));
            n.router().subscribe(Heartbeat.TOPIC);
            n.onDelivery((topic, m) -> {
                if (!topic.equals(Heartbeat.TOPIC)) return;
                deliveries[0]++;
                if (r.deliver(m)) recorded[0]++;
            });
        }
        sim.connectRandomly(all, 6);
        sim.startAll();
        // The subnet was running before: every node is in epoch 0 (a node with no epoch yet ignores
        // heartbeats, as a node just started does), and the meshes form; heartbeats start at epoch 1.
        for (SimulatedEpochs v : views) v.enter(0);
        sim.runFor(Duration.ofSeconds(10));

        long perEpoch = (long) nodes * (nodes - 1), epochs = (target + perEpoch - 1) / perEpoch;
        long every = Math.max(1, epochs / 20), sent = 0, lost = 0;
        MemorySamples memory = new MemorySamples();
        System.out.printf(
                "heartbeat soak: %d nodes registered on a dev chain (subnet %d), %,d epochs of %d s (virtual) for %,d heartbeats received, seed %d%n",
                nodes, snapshot.subnetId(), epochs, epochSeconds, epochs * perEpoch, seed);
        long wall = System.nanoTime();
        for (long e = 0; e < epochs; e++) {
            long epoch = e + 1;
            long[] published = {0};
            for (int i = 0; i < nodes; i++) {
                Simulation.Node n = all.get(i);
                SimulatedEpochs view = views.get(i);
                Heartbeats r = rules.get(i);
                n.schedule(
                        (long) (sim.random().nextDouble() * 1e9),
                        () -> r.toSend(view.enter(epoch)).ifPresent(hb -> {
                            n.router().publish(Heartbeat.TOPIC, hb.encode());
                            published[0]++;
                        }));
            }
            sim.runFor(Duration.ofSeconds(epochSeconds));
            sent += published[0];
            for (Heartbeats r : rules) lost += nodes - r.log().nodes(epoch).size();
            if ((e + 1) % every == 0 || e + 1 == epochs) {
                MemorySamples.Sample m = memory.take();
                double s = (System.nanoTime() - wall) / 1e9;
                System.out.printf(
                        "  epoch %,d: %,d sent, %,d received (%.0f/s), lost %d, delivered twice %d; wall %.0f s;"
                                + " heap after GC %d MiB, RSS %d MiB%n",
                        e + 1,
                        sent,
                        recorded[0] - sent,
                        (recorded[0] - sent) / s,
                        lost,
                        deliveries[0] - recorded[0],
                        s,
                        m.heapMiB(),
                        m.rssMiB());
            }
        }
        long rejected = 0, ignored = 0;
        for (Simulation.Node n : all) {
            GossipRouter.RouterStats st = n.router().stats();
            rejected += st.invalid();
            ignored += st.ignored();
        }
        long twice = deliveries[0] - recorded[0];
        boolean ok = lost == 0 && twice == 0 && rejected == 0 && ignored == 0 && sent == epochs * nodes;
        System.out.printf(
                "%s: %,d heartbeats sent, %,d received and recorded, lost %d, delivered twice %d, rejected %d, ignored %d"
                        + " in %.0f s; %s%n",
                ok ? "done" : "FAILED",
                sent,
                recorded[0] - sent,
                lost,
                twice,
                rejected,
                ignored,
                (System.nanoTime() - wall) / 1e9,
                memory.summary());
        if (!ok) System.exit(1);
    }
}
