package dev.hyperj.p2p.gossipsub.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.gossipsub.BlacklistReason;
import dev.hyperj.p2p.gossipsub.GossipConfig;
import dev.hyperj.p2p.gossipsub.MessageSigning;
import dev.hyperj.p2p.gossipsub.PeerScoreParams;
import dev.hyperj.p2p.gossipsub.PeerScoreThresholds;
import dev.hyperj.p2p.gossipsub.PubsubProtocol;
import dev.hyperj.p2p.gossipsub.Rpc;
import dev.hyperj.p2p.peer.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** 50-node gossipsub networks in the deterministic simulator (the "must show" network tests). */
class SimulationTest {
    private static final String T = "subnet-1";
    private static final Simulation.LinkProfile LAN =
            new Simulation.LinkProfile(Duration.ofMillis(1), Duration.ofMillis(20), 12_500_000);

    private static Simulation network(long seed, int n, boolean codec) {
        Simulation sim = new Simulation(seed, LAN, codec);
        for (int i = 0; i < n; i++) sim.addNode(GossipConfig.defaults());
        sim.connectRandomly(sim.nodes(), 8);
        for (Simulation.Node node : sim.nodes()) node.router().subscribe(T);
        sim.startAll();
        sim.runFor(Duration.ofSeconds(10));
        return sim;
    }

    private static void publishRandomly(Simulation sim, List<Simulation.Node> publishers, int messages, Random r) {
        byte[] payload = new byte[200];
        for (int i = 0; i < messages; i++) {
            r.nextBytes(payload);
            publishers.get(r.nextInt(publishers.size())).publish(T, payload);
            sim.runFor(Duration.ofMillis(20));
        }
        sim.runFor(Duration.ofSeconds(5));
    }

    @Test
    @Timeout(120)
    void thousandMessagesFromRandomPublishersReachEverySubscriber() {
        Simulation sim = network(1, 50, false);
        publishRandomly(sim, sim.nodes(), 1000, new Random(2));
        for (Simulation.Node node : sim.nodes()) {
            assertThat(node.received())
                    .as("messages delivered at %s", node.id())
                    .isEqualTo(1000);
        }
        Simulation.Report report = sim.report(49);
        assertThat(report.deliveryRatio()).isEqualTo(1.0);
        assertThat(report.messages()).isEqualTo(1000);
        for (Simulation.Node node : sim.nodes()) {
            assertThat(node.router().meshPeers(T).size()).isBetween(5, 10);
            assertThat(node.router().stats().invalid()).isZero();
        }
    }

    @Test
    @Timeout(120)
    void meshDegreesStayWithinBoundsAfterChurn() {
        Simulation sim = network(3, 50, false);
        Random r = new Random(4);
        List<Simulation.Node> nodes = new ArrayList<>(sim.nodes());
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < 5; k++) sim.kill(nodes.remove(r.nextInt(nodes.size())));
            for (int k = 0; k < 5; k++) {
                Simulation.Node fresh = sim.addNode(GossipConfig.defaults());
                fresh.router().subscribe(T);
                for (int d = 0; d < 8; d++) sim.connect(fresh, nodes.get(r.nextInt(nodes.size())));
                sim.start(fresh);
                nodes.add(fresh);
            }
            sim.runFor(Duration.ofSeconds(20));
        }
        assertThat(nodes).hasSize(50);
        for (Simulation.Node node : nodes) {
            assertThat(node.router().meshPeers(T).size())
                    .as("mesh of %s", node.id())
                    .isBetween(5, 10);
            for (PeerId p : node.router().meshPeers(T))
                assertThat(sim.node(p).isUp()).isTrue();
        }
        publishRandomly(sim, nodes, 100, r);
        for (Simulation.Node node : nodes) assertThat(node.received()).isGreaterThanOrEqualTo(100);
    }

    @Test
    @Timeout(120)
    void peerPublishingInvalidSignaturesIsScoredDownPrunedAndBlacklisted() {
        Simulation sim = network(5, 50, true);
        Simulation.Node attacker = sim.nodes().get(0);
        List<Simulation.Node> honest = sim.nodes().subList(1, 50);
        List<Simulation.Node> neighbours = new ArrayList<>();
        for (Simulation.Node n : honest) if (n.connections().contains(attacker.id())) neighbours.add(n);
        assertThat(neighbours).isNotEmpty();
        int seq = 0;
        for (int i = 0; i < 3; i++) attacker.publish(forged(attacker, ++seq));
        sim.runFor(Duration.ofSeconds(3));
        for (Simulation.Node n : neighbours) {
            assertThat(n.router().peerScore(attacker.id())).isNegative();
            assertThat(n.router().meshPeers(T)).doesNotContain(attacker.id());
            // at least 3: the attacker also advertises its forgeries in IHAVE and serves them again on IWANT
            assertThat(n.router().stats().invalid()).isGreaterThanOrEqualTo(3);
        }
        for (Simulation.Node n : honest) assertThat(n.received()).isZero();
        for (int i = 0; i < 20; i++) attacker.publish(forged(attacker, ++seq));
        sim.runFor(Duration.ofSeconds(3));
        for (Simulation.Node n : neighbours) {
            assertThat(n.router().isBlacklisted(attacker.id())).isTrue();
            assertThat(n.connections()).doesNotContain(attacker.id());
            // the invalid-message count or the P4-driven score, whichever rule fires first
            assertThat(n.blacklistReasons())
                    .singleElement()
                    .asString()
                    .containsAnyOf(": " + BlacklistReason.INVALID_MESSAGES, ": " + BlacklistReason.SCORE);
        }
        assertThat(attacker.connections()).isEmpty();
        publishRandomly(sim, honest, 50, new Random(6));
        for (Simulation.Node n : honest) assertThat(n.received()).isEqualTo(50);
    }

    @Test
    @Timeout(120)
    void floodsubAndOlderMeshsubPeersInterwork() {
        Simulation sim = new Simulation(9, LAN, true);
        PubsubProtocol[] kinds = {
            PubsubProtocol.MESHSUB_V20,
            PubsubProtocol.MESHSUB_V12,
            PubsubProtocol.MESHSUB_V11,
            PubsubProtocol.MESHSUB_V10,
            PubsubProtocol.FLOODSUB
        };
        for (int i = 0; i < 30; i++) {
            sim.addNode(
                    kinds[i % kinds.length],
                    GossipConfig.defaults(),
                    PeerScoreParams.defaults(),
                    PeerScoreThresholds.defaults());
        }
        sim.connectRandomly(sim.nodes(), 8);
        for (Simulation.Node node : sim.nodes()) node.router().subscribe(T);
        sim.startAll();
        sim.runFor(Duration.ofSeconds(10));
        publishRandomly(sim, sim.nodes(), 100, new Random(10));
        for (Simulation.Node node : sim.nodes())
            assertThat(node.received()).as("%s", node.protocol()).isEqualTo(100);
    }

    @Test
    @Timeout(120)
    void sameSeedSameRun() {
        String[] reports = new String[2];
        for (int run = 0; run < 2; run++) {
            Simulation sim = network(11, 20, false);
            publishRandomly(sim, sim.nodes(), 30, new Random(12));
            reports[run] = sim.report(19) + " bytes=" + sim.bytesSent();
        }
        assertThat(reports[1]).isEqualTo(reports[0]);
    }

    private static Rpc.Message forged(Simulation.Node author, int seq) {
        // A validly shaped message whose signature does not verify.
        Rpc.Message m = MessageSigning.sign(
                dev.hyperj.p2p.crypto.Keys.ed25519FromSeed(new byte[32]), T, new byte[] {(byte) seq}, seq);
        byte[] sig = m.signature();
        sig[0] ^= 1;
        return new Rpc.Message(author.id().bytes(), m.data(), m.seqno(), T, sig, null);
    }
}
