package dev.hyperj.cli.devnet;

import static dev.hyperj.cli.devnet.DevnetEndToEnd.consecutiveConsensus;
import static dev.hyperj.cli.devnet.DevnetEndToEnd.events;
import static dev.hyperj.cli.devnet.DevnetEndToEnd.inData;
import static dev.hyperj.cli.devnet.DevnetEndToEnd.report;
import static dev.hyperj.cli.devnet.DevnetEndToEnd.settlementBlock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.runtime.Event;
import dev.hyperj.chain.runtime.Model.ConsensusSubmission;
import dev.hyperj.subnet.consensus.ConsensusLoop;
import dev.hyperj.subnet.epoch.EpochEvent;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's faults on one live devnet of 4 nodes: a node killed mid-run is left out of the scores
 * and loses reputation on chain; then the chain itself is stopped and restarted from its base path
 * on the same port, and the network carries on (the nodes' remote chain clients reconnect, block
 * numbers continue, consensus resumes). In order, on the same network.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DevnetFaultsTest {
    @TempDir
    static Path dir;

    private Devnet devnet;
    private DevnetEndToEnd.Submissions submissions;
    /** Each running node's consensus actions by epoch. */
    private final Map<Integer, Map<Long, Set<ConsensusLoop.Action>>> actions = new ConcurrentHashMap<>();

    @BeforeAll
    @Timeout(300)
    void start() throws Exception {
        devnet = Devnet.start(DevnetConfig.defaults(4).withBasePath(dir.resolve("devnet")));
        submissions = new DevnetEndToEnd.Submissions(devnet);
        for (DevnetNode n : devnet.nodes()) {
            n.subnetNode()
                    .orElseThrow()
                    .consensus()
                    .onOutcome(o -> actions.computeIfAbsent(n.index(), i -> new ConcurrentHashMap<>())
                            .computeIfAbsent(o.epoch(), e -> ConcurrentHashMap.newKeySet())
                            .add(o.action()));
        }
    }

    @AfterAll
    @Timeout(120)
    void stop() {
        if (devnet != null) devnet.close();
    }

    @Test
    @Order(1)
    @Timeout(400)
    void aNodeKilledMidRunIsLeftOutOfTheScoresAndLosesReputation() throws Exception {
        EpochReport steady =
                consecutiveConsensus(devnet, devnet.firstReportEpoch(), 1, 10).get(0);
        DevnetNode victim = devnet.node(3);
        int id = victim.subnetNodeId();
        assertThat(inData(submissions.of(steady.subnetEpoch()).orElseThrow(), id))
                .as("node %d scored while alive", id)
                .isTrue();
        assertThat(steady.node(id).orElseThrow().reputationRatio()).isEqualTo(1.0);

        long killedIn = devnet.currentSubnetEpoch();
        devnet.killNode(3);
        assertThat(victim.running()).isFalse();
        // its heartbeat of the kill epoch may have gone out (scored in the next proposal); from killedIn + 2 on nobody
        // heard it
        BigInteger reputation = report(devnet, killedIn).node(id).orElseThrow().reputation();
        int scoredWithout = 0, lostReputation = 0;
        long next = killedIn + 2;
        for (int tried = 0; scoredWithout < 2 || lostReputation < 2; tried++) {
            assertThat(tried)
                    .as(
                            "two settled proposals without node %d and two reputation losses within 10 epochs; reports %s",
                            id, devnet.reports())
                    .isLessThan(10);
            EpochReport r = report(devnet, next);
            next = r.subnetEpoch() + 1;
            Optional<ConsensusSubmission> sub = submissions.of(r.subnetEpoch());
            sub.ifPresent(s -> assertThat(inData(s, id))
                    .as("node %d in epoch %d's scores after its kill", id, r.subnetEpoch())
                    .isFalse());
            if (r.consensus()) {
                scoredWithout++;
                // the other nodes are still scored: the network goes on without the dead one
                for (DevnetNode alive : devnet.nodes()) {
                    if (alive.running())
                        assertThat(inData(sub.orElseThrow(), alive.subnetNodeId()))
                                .isTrue();
                }
            }
            BigInteger now = r.node(id)
                    .orElseThrow(() -> new AssertionError("node " + id + " removed already"))
                    .reputation();
            assertThat(now).as("reputation of the killed node never rises").isLessThanOrEqualTo(reputation);
            if (now.compareTo(reputation) < 0) {
                lostReputation++;
                // the chain said why, in the settlement block of that epoch
                long block = settlementBlock(devnet, r.subnetEpoch());
                assertThat(events(devnet, block, Event.NodeReputationUpdate.class)
                                .filter(e -> e.subnetId() == devnet.subnetId() && e.subnetNodeId() == id))
                        .anyMatch(
                                e -> e.reputation().equals(now) && e.previous().compareTo(now) > 0);
            }
            reputation = now;
        }
        assertThat(reputation).isLessThan(steady.node(id).orElseThrow().reputation());
    }

    @Test
    @Order(2)
    @Timeout(400)
    void theChainRestartedFromItsBasePathCarriesOn() throws Exception {
        List<DevnetNode> running =
                devnet.nodes().stream().filter(DevnetNode::running).toList();
        assertThat(running).hasSizeGreaterThanOrEqualTo(3);
        long before = devnet.chain().blockNumber();
        long epochBefore = devnet.currentSubnetEpoch();
        int reportsBefore = devnet.reports().size();

        devnet.restartChain();

        // the same chain, from the same database, on the same RPC port
        long resumedAt = devnet.chain().blockNumber();
        assertThat(resumedAt).isGreaterThanOrEqualTo(before);
        assertThat(devnet.chain().header(before)).isPresent();
        // every node follows the restarted chain through its own (reconnected) remote client
        List<CompletableFuture<EpochEvent>> following = new ArrayList<>();
        for (DevnetNode n : running)
            following.add(n.subnetNode().orElseThrow().context().epochs().awaitEpoch(epochBefore + 2));
        for (int i = 0; i < running.size(); i++) {
            EpochEvent ev = following.get(i).get(DevnetEndToEnd.REPORT_TIMEOUT_S * 2, TimeUnit.SECONDS);
            assertThat(ev.position().block())
                    .as("n%d's tracker after the restart", running.get(i).index())
                    .isGreaterThan(resumedAt);
            assertThat(running.get(i).chainClient().orElseThrow().blockNumber()).isGreaterThan(resumedAt);
        }
        // consensus resumes: proposals and attestations signed and submitted by the nodes over their reconnected
        // clients
        List<EpochReport> after = consecutiveConsensus(devnet, epochBefore + 1, 2, 10);
        for (EpochReport r : after) {
            assertThat(r.block()).isGreaterThan(resumedAt);
            assertThat(r.attestationRatio()).isGreaterThanOrEqualTo(0.66);
        }
        long last = after.get(after.size() - 1).subnetEpoch();
        for (DevnetNode n : running) {
            Set<ConsensusLoop.Action> did =
                    actions.getOrDefault(n.index(), Map.of()).getOrDefault(last, Set.of());
            assertThat(did)
                    .as("n%d's consensus actions in epoch %d after the restart", n.index(), last)
                    .containsAnyOf(ConsensusLoop.Action.PROPOSED, ConsensusLoop.Action.ATTESTED);
        }
        // the reports carry on from where they were: no epoch reported twice, block numbers only grow
        List<EpochReport> all = devnet.reports();
        assertThat(all.size()).isGreaterThan(reportsBefore);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).subnetEpoch()).isEqualTo(all.get(i - 1).subnetEpoch() + 1);
            assertThat(all.get(i).block()).isGreaterThanOrEqualTo(all.get(i - 1).block());
        }
    }
}
