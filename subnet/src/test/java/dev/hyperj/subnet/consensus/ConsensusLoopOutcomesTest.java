package dev.hyperj.subnet.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.chain.tx.Signer;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.DevChain;
import dev.hyperj.subnet.consensus.ConsensusLoop.Action;
import dev.hyperj.subnet.consensus.ConsensusLoop.Outcome;
import dev.hyperj.subnet.epoch.EpochEvent;
import dev.hyperj.subnet.epoch.EpochPosition;
import dev.hyperj.subnet.epoch.EpochTracker;
import dev.hyperj.subnet.epoch.SubnetSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The loop carrying out {@link EpochDuty}'s steps against a real dev chain in this JVM (a block
 * every 100 ms, embedded client: no sockets), with three nodes that never agree: each scores itself
 * higher than the others, so whoever proposes, the others report MISMATCH; and node 0 signs with a
 * key the chain does not know, so in an epoch it is elected for its proposal fails and the others,
 * waiting block by block, report NO_SUBMISSION_IN_WINDOW. Every outcome of the duty itself is
 * covered without a chain by {@link EpochDutyTest}.
 */
@Timeout(120)
class ConsensusLoopOutcomesTest {
    private static final int EPOCH = 20;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private DevChain chain;

    @AfterEach
    void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) toClose.get(i).close();
        if (chain != null) chain.close();
    }

    @Test
    void nodesThatDisagreeAndAnElectedNodeThatCannotProposeReachTheirOutcomes() throws Exception {
        chain = DevChain.timed(EPOCH, 100);
        List<Integer> validators = chain.registerValidators(3);
        int sid = chain.registerSubnet(DevChain.oneNodeEach(validators), Map.of());
        List<String> peers = new ArrayList<>();
        List<Integer> nodeIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            peers.add(PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey())
                    .toBase58());
            nodeIds.add(chain.registerNode(DevChain.COLDKEYS.get(i), validators.get(i), sid, peers.get(i)));
        }
        EpochTracker tracker = closing(EpochTracker.start(chain.client, sid));
        BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
        List<ConsensusLoop> loops = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Signer signer = i == 0 ? DevChain.hotkey(99) : DevChain.hotkey(i + 1);
            int me = nodeIds.get(i);
            ConsensusLoop l = closing(ConsensusLoop.start(
                    chain.client,
                    tracker,
                    signer,
                    peers.get(i),
                    (e, s) -> nodeIds.stream()
                            .map(n -> new NodeScore(n, n == me ? U128.ONE_E18 : U128.ONE_E18.shiftRight(1)))
                            .toList()));
            l.onOutcome(outcomes::add);
            loops.add(l);
        }

        // before activation: nothing to do
        loops.get(1).runEpoch(eventNow(sid));
        Outcome o = next(outcomes, nodeIds.get(1));
        assertThat(o.action()).isEqualTo(Action.NOT_ELIGIBLE);
        assertThat(o.detail()).contains("subnet not active");

        chain.activate(sid);
        outcomes.clear();
        boolean mismatch = false, noSubmission = false, proposeFailed = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!(mismatch && noSubmission && proposeFailed)) {
            assertThat(System.nanoTime())
                    .as(
                            "MISMATCH, NO_SUBMISSION_IN_WINDOW and PROPOSE_FAILED within 90 s; saw mismatch=%s,"
                                    + " no submission=%s, propose failed=%s",
                            mismatch, noSubmission, proposeFailed)
                    .isLessThan(deadline);
            Outcome seen = outcomes.poll(1, TimeUnit.SECONDS);
            if (seen == null) continue;
            switch (seen.action()) {
                case MISMATCH -> mismatch = true;
                case NO_SUBMISSION_IN_WINDOW -> noSubmission = true;
                case PROPOSE_FAILED -> {
                    assertThat(seen.subnetNodeId())
                            .as("only node 0 cannot sign")
                            .isEqualTo(nodeIds.get(0));
                    proposeFailed = true;
                }
                case ATTESTED -> throw new AssertionError("nodes that never agree attested: " + seen);
                default -> {}
            }
        }
    }

    private static Outcome next(BlockingQueue<Outcome> outcomes, int nodeId) throws InterruptedException {
        while (true) {
            Outcome o = outcomes.poll(10, TimeUnit.SECONDS);
            assertThat(o).as("an outcome of node %s", nodeId).isNotNull();
            if (o.subnetNodeId() == nodeId) return o;
        }
    }

    private EpochEvent eventNow(int sid) {
        long block = chain.client.blockNumber();
        int slot = chain.client.subnet(sid).orElseThrow().subnet().slot();
        return new EpochEvent(EpochPosition.at(block, slot, EPOCH), SubnetSnapshot.read(chain.client, sid, block), 0);
    }

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }
}
