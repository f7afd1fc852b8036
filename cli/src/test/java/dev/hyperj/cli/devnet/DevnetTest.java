package dev.hyperj.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.runtime.Model.NodeClass;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A 4-node devnet over the real RPC: consensus in 3 consecutive epochs, stakes growing by the rewards. */
@Timeout(300)
class DevnetTest {
    @TempDir
    Path dir;

    @Test
    void fourNodesReachConsensusInThreeConsecutiveEpochsAndTheirStakesGrow() throws Exception {
        List<DevnetProgress> progress = new CopyOnWriteArrayList<>();
        DevnetConfig cfg =
                DevnetConfig.defaults(4).withBasePath(dir.resolve("devnet")).withProgress(progress::add);
        try (Devnet devnet = Devnet.start(cfg);
                DevnetEndToEnd.Submissions submissions = new DevnetEndToEnd.Submissions(devnet)) {
            assertThat(devnet.nodes()).hasSize(4).allMatch(DevnetNode::running);
            assertThat(devnet.chain()
                            .subnet(devnet.subnetId())
                            .orElseThrow()
                            .subnet()
                            .state()
                            .name())
                    .isEqualTo("Active");
            // node 0 is the subnet's bootnode, as the chain lists it
            assertThat(devnet.chain().bootnodes(devnet.subnetId()))
                    .containsOnlyKeys(devnet.node(0).peerId().toBase58());
            assertThat(progress)
                    .extracting(DevnetProgress::stage)
                    .contains(
                            DevnetProgress.Stage.VALIDATORS,
                            DevnetProgress.Stage.NODES_STARTING,
                            DevnetProgress.Stage.ACTIVATION);
            // each node talks to the chain over its own RPC connection, not the devnet's embedded client
            assertThat(devnet.nodes())
                    .extracting(n -> n.chainClient().orElseThrow())
                    .doesNotHaveDuplicates()
                    .noneMatch(c -> c == devnet.chain());

            List<EpochReport> run = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(200);
            long next = devnet.firstReportEpoch();
            while (run.size() < 3) {
                assertThat(System.nanoTime())
                        .as("3 consecutive epochs of consensus; reports so far %s", devnet.reports())
                        .isLessThan(deadline);
                EpochReport r = devnet.reportFor(next).get(120, TimeUnit.SECONDS);
                next = r.subnetEpoch() + 1;
                if (r.consensus() && (run.isEmpty() || run.get(run.size() - 1).subnetEpoch() == r.subnetEpoch() - 1))
                    run.add(r);
                else run.clear();
            }
            for (EpochReport r : run) {
                assertThat(r.attestationRatio()).isGreaterThanOrEqualTo(0.66);
                assertThat(r.electedNodeId()).isPresent();
                assertThat(r.nodes())
                        .hasSize(4)
                        .allMatch(n -> n.index() >= 0 && n.running() && n.nodeClass() == NodeClass.Validator);
                // the DAG: every node holds the epoch's commits and reveals, and the same heads
                assertThat(r.dagAgreed())
                        .as("same DAG heads in epoch %d: %s", r.subnetEpoch(), r.nodes())
                        .isTrue();
                assertThat(r.nodes()).allMatch(n -> n.dag().orElseThrow().nodes() > 0);
            }
            // every node's stake grew over the three settled epochs (rewards compound into stake)
            EpochReport first = run.get(0), last = run.get(2);
            BigInteger before =
                    first.nodes().stream().map(EpochReport.NodeReport::stake).reduce(BigInteger.ZERO, BigInteger::add);
            BigInteger after =
                    last.nodes().stream().map(EpochReport.NodeReport::stake).reduce(BigInteger.ZERO, BigInteger::add);
            assertThat(after).isGreaterThan(before);
            for (EpochReport.NodeReport n : last.nodes()) {
                EpochReport.NodeReport then = first.node(n.subnetNodeId()).orElseThrow();
                assertThat(n.stake()).as("stake of %s", n).isGreaterThanOrEqualTo(then.stake());
                // the rewards column moved by what the chain's events say it paid in the epochs settled since
                BigInteger paid = BigInteger.ZERO;
                for (long e = first.subnetEpoch() + 1; e <= last.subnetEpoch(); e++)
                    paid = paid.add(DevnetEndToEnd.paidTo(devnet, submissions, e, n.subnetNodeId()));
                assertThat(n.rewards().subtract(then.rewards()))
                        .as("rewards column of node %d against the chain's events", n.subnetNodeId())
                        .isEqualTo(paid)
                        .isPositive();
            }
            // the four nodes share one view of the chain: at least the reads they all make at each
            // epoch boundary (subnet, nodes, bootnodes, overwatch peers) reach the chain once, not four times
            Devnet.ChainReads reads = devnet.chainReads();
            assertThat(reads.heads()).isPositive();
            assertThat(reads.byMethod().get("subnetNodes").requested())
                    .isGreaterThanOrEqualTo(
                            2 * reads.byMethod().get("subnetNodes").upstream());
            assertThat(reads.upstream()).isLessThan(reads.requested());
        }
    }

    @Test
    void theDefaultsScaleWithTheNodes() {
        assertThat(DevnetConfig.defaults(4).blockTimeMs()).isEqualTo(500);
        assertThat(DevnetConfig.defaultBlockTimeMs(64)).isEqualTo(500);
        assertThat(DevnetConfig.defaultBlockTimeMs(128)).isEqualTo(1000);
        assertThat(DevnetConfig.defaultBlockTimeMs(256)).isEqualTo(2000);
        assertThat(DevnetConfig.defaults(4).shared()).isTrue();
        // the registration phase outlasts the nodes' start: 256 nodes took longer than 10 epochs
        assertThat(Devnet.registrationEpochs(4)).isEqualTo(10);
        assertThat(Devnet.registrationEpochs(256)).isEqualTo(256);
        // a small devnet's nodes sync their DAG as a node alone does; wide ones announce bounded head lists
        assertThat(Devnet.dagOptions(4)).isEqualTo(dev.hyperj.subnet.node.DagOptions.defaults());
        assertThat(Devnet.dagOptions(64).sync().maxAnnouncedHeads()).isEqualTo(64);
        assertThat(Devnet.dagOptions(64).sync().announceEvery())
                .isEqualTo(dev.hyperj.subnet.node.DagOptions.defaults().sync().announceEvery());
        assertThat(Devnet.dagOptions(256).sync().announceEvery())
                .isEqualTo(dev.hyperj.subnet.node.DagOptions.defaults()
                        .sync()
                        .announceEvery()
                        .multipliedBy(16));
    }
}
