package dev.hyperj.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.db.BlockOutcome;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Event;
import dev.hyperj.chain.runtime.Model.ConsensusSubmission;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.chain.runtime.NetworkReads.ValidatorsAndAttestors;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Reads the end-to-end tests share: epoch reports, the chain's submissions and the events of settlement blocks. */
final class DevnetEndToEnd {
    /** How long one epoch report may take (an epoch is 10 s by default; the machine is shared and slow). */
    static final long REPORT_TIMEOUT_S = 120;

    private DevnetEndToEnd() {}

    static EpochReport report(Devnet d, long epoch) throws Exception {
        return d.reportFor(epoch).get(REPORT_TIMEOUT_S, TimeUnit.SECONDS);
    }

    /** The next {@code n} consecutive epochs, from {@code from}, that reached consensus; fails past {@code maxEpochs} tries. */
    static List<EpochReport> consecutiveConsensus(Devnet d, long from, int n, int maxEpochs) throws Exception {
        List<EpochReport> run = new ArrayList<>();
        long next = from;
        for (int tried = 0; run.size() < n; tried++) {
            assertThat(tried)
                    .as("%d consecutive epochs of consensus within %d epochs; reports %s", n, maxEpochs, d.reports())
                    .isLessThan(maxEpochs);
            EpochReport r = report(d, next);
            next = r.subnetEpoch() + 1;
            if (r.consensus() && (run.isEmpty() || run.get(run.size() - 1).subnetEpoch() == r.subnetEpoch() - 1))
                run.add(r);
            else run.clear();
        }
        return run;
    }

    /**
     * Keeps every epoch's proposal as its report arrives: the chain forgets a proposal three epochs
     * after it, sooner than a test looking back over a run of epochs.
     */
    static final class Submissions implements AutoCloseable {
        private final Map<Long, Optional<ConsensusSubmission>> byEpoch = new ConcurrentHashMap<>();
        private final AutoCloseable hook;

        Submissions(Devnet d) {
            hook = d.onReport(r -> byEpoch.put(r.subnetEpoch(), submission(d, r.subnetEpoch())));
        }

        /** The proposal of a reported epoch (empty: none was submitted). */
        Optional<ConsensusSubmission> of(long epoch) {
            Optional<ConsensusSubmission> s = byEpoch.get(epoch);
            assertThat(s)
                    .as("the proposal of epoch %d was recorded with its report", epoch)
                    .isNotNull();
            return s;
        }

        @Override
        public void close() throws Exception {
            hook.close();
        }
    }

    /** The proposal of {@code epoch} with every attestation (kept on chain for three epochs after it). */
    static Optional<ConsensusSubmission> submission(Devnet d, long epoch) {
        return d.chain().validatorsAndAttestors(d.subnetId(), epoch).map(ValidatorsAndAttestors::submission);
    }

    static boolean inData(ConsensusSubmission s, int subnetNodeId) {
        return s.data().stream().mapToInt(NodeScore::subnetNodeId).anyMatch(id -> id == subnetNodeId);
    }

    /** The block that settles subnet epoch {@code epoch}: the subnet's slot block opening epoch + 1. */
    static long settlementBlock(Devnet d, long epoch) {
        int slot = d.chain().subnet(d.subnetId()).orElseThrow().subnet().slot();
        return slot + (epoch + 1) * d.config().epochLength();
    }

    /** The events of {@code block}, read from the chain node's own store. */
    static List<Event> events(Devnet d, long block) {
        return d.chainNode()
                .store()
                .outcome(block)
                .map(BlockOutcome::events)
                .orElseThrow(() -> new AssertionError("no block #" + block));
    }

    static <T extends Event> Stream<T> events(Devnet d, long block, Class<T> type) {
        return events(d, block).stream().filter(type::isInstance).map(type::cast);
    }

    /**
     * What the chain paid node {@code subnetNodeId} when it settled {@code epoch}: its NodeReward
     * events in the settlement block, plus the proposer's base reward times its timing factor (the
     * runtime adds that to the stake without an event of its own).
     */
    static BigInteger paidTo(Devnet d, Submissions submissions, long epoch, int subnetNodeId) {
        BigInteger paid = events(d, settlementBlock(d, epoch), Event.NodeReward.class)
                .filter(e -> e.subnetId() == d.subnetId() && e.subnetNodeId() == subnetNodeId)
                .map(Event.NodeReward::reward)
                .reduce(BigInteger.ZERO, BigInteger::add);
        Optional<ConsensusSubmission> s = submissions.of(epoch);
        if (s.isPresent() && s.get().validatorNodeId() == subnetNodeId) {
            BigInteger base = d.chainNode().config().genesis().params().baseValidatorReward();
            paid = paid.add(U128.percentMul(base, s.get().rewardFactor()));
        }
        return paid;
    }
}
