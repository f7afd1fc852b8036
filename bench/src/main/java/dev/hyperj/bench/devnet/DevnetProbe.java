package dev.hyperj.bench.devnet;

import dev.hyperj.cli.devnet.Devnet;
import dev.hyperj.cli.devnet.DevnetNode;
import dev.hyperj.subnet.consensus.ConsensusLoop;
import dev.hyperj.subnet.epoch.EpochPosition;
import dev.hyperj.subnet.node.SubnetNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where the time goes at a subnet epoch boundary, per node: when each node's epoch tracker delivered
 * the epoch (after its chain reads of the subnet, nodes, bootnodes, overwatch peers) relative to the
 * chain producing the epoch's first block, and at which block of the epoch each node's consensus
 * outcome (proposed, attested, missed the window...) came, against the attest window (the first 25%).
 * Timestamps are taken in this JVM (the chain runs here too) on the chain's own embedded head
 * subscription and the nodes' listeners.
 */
final class DevnetProbe implements AutoCloseable {
    /** One node's consensus outcome: the epoch, what it did, and how far into the epoch (in blocks) it happened. */
    record Outcome(long epoch, int nodeIndex, ConsensusLoop.Action action, long blocksIn) {}

    private final Devnet devnet;
    private final int slot;
    private final int epochLength;
    /** Wall time (nanos) the chain produced the first block of each subnet epoch. */
    private final Map<Long, Long> epochStart = new ConcurrentHashMap<>();
    /** Per subnet epoch: each node's delay from the epoch's first block to its tracker's epoch event (ms). */
    private final Map<Long, List<Double>> eventLagMs = new ConcurrentHashMap<>();

    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> handles = new ArrayList<>();

    DevnetProbe(Devnet devnet) {
        this.devnet = devnet;
        this.slot =
                devnet.chain().subnet(devnet.subnetId()).orElseThrow().subnet().slot();
        this.epochLength = devnet.config().epochLength();
        handles.add(devnet.chain().subscribeNewHeads(h -> {
            EpochPosition p = EpochPosition.at(h.number(), slot, epochLength);
            epochStart.putIfAbsent(p.epoch(), System.nanoTime());
        }));
        for (DevnetNode n : devnet.nodes()) {
            SubnetNode sn = n.subnetNode().orElse(null);
            if (sn == null) continue;
            int index = n.index();
            handles.add(sn.context().epochs().onEpoch(ev -> {
                long now = System.nanoTime();
                Long start = epochStart.get(ev.epoch());
                if (start != null)
                    eventLagMs
                            .computeIfAbsent(ev.epoch(), e -> new CopyOnWriteArrayList<>())
                            .add((now - start) / 1e6);
            }));
            handles.add(sn.consensus().onOutcome(o -> {
                EpochPosition p = EpochPosition.at(devnet.chain().blockNumber(), slot, epochLength);
                long in = p.epoch() == o.epoch() ? p.blocksIntoEpoch() : (p.epoch() - o.epoch()) * epochLength;
                outcomes.add(new Outcome(o.epoch(), index, o.action(), in));
            }));
        }
    }

    /** The attest window in blocks (as the consensus loop computes it: the first 25% of the epoch). */
    long attestWindowBlocks() {
        return (long) Math.ceil(0.25 * epochLength);
    }

    /** One line on subnet epoch {@code e}: tracker lags (median, p90, max ms), proposal and attestation blocks. */
    String describe(long e) {
        List<Double> lags = new ArrayList<>(eventLagMs.getOrDefault(e, List.of()));
        Collections.sort(lags);
        List<Outcome> os = outcomes.stream().filter(o -> o.epoch() == e).toList();
        List<Long> attests = os.stream()
                .filter(o -> o.action() == ConsensusLoop.Action.ATTESTED)
                .map(Outcome::blocksIn)
                .sorted()
                .toList();
        String proposed = os.stream()
                .filter(o -> o.action() == ConsensusLoop.Action.PROPOSED
                        || o.action() == ConsensusLoop.Action.PROPOSE_FAILED)
                .map(o -> o.action() + " at block " + o.blocksIn())
                .findFirst()
                .orElse("no proposal seen");
        long missed = os.stream()
                .filter(o -> o.action() == ConsensusLoop.Action.NO_SUBMISSION_IN_WINDOW)
                .count();
        long lateAttests =
                attests.stream().filter(b -> b > attestWindowBlocks()).count();
        Map<ConsensusLoop.Action, Long> byAction = new java.util.TreeMap<>();
        for (Outcome o : os) byAction.merge(o.action(), 1L, Long::sum);
        return String.format(
                Locale.ROOT,
                "epoch %d: tracker event lag ms median %.0f p90 %.0f max %.0f (%d nodes; attest window %d blocks = %d ms); "
                        + "%s; attested at block median %s max %s (%d past the window); %d missed the window; %s",
                e,
                pct(lags, 0.5),
                pct(lags, 0.9),
                pct(lags, 1.0),
                lags.size(),
                attestWindowBlocks(),
                attestWindowBlocks() * devnet.config().blockTimeMs(),
                proposed,
                attests.isEmpty() ? "-" : attests.get(attests.size() / 2),
                attests.isEmpty() ? "-" : attests.get(attests.size() - 1),
                lateAttests,
                missed,
                byAction);
    }

    /** The nodes' tracker lags (ms) at epoch {@code e}, sorted. */
    List<Double> lags(long e) {
        List<Double> lags = new ArrayList<>(eventLagMs.getOrDefault(e, List.of()));
        Collections.sort(lags);
        return lags;
    }

    static double pct(List<Double> sorted, double q) {
        if (sorted.isEmpty()) return Double.NaN;
        int i = (int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(q * sorted.size()) - 1));
        return sorted.get(i);
    }

    @Override
    public void close() {
        for (AutoCloseable h : handles) {
            try {
                h.close();
            } catch (Exception e) {
                // the devnet is closing anyway
            }
        }
    }
}
