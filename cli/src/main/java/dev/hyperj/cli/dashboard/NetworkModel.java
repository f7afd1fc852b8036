package dev.hyperj.cli.dashboard;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.EpochInfo;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Model.ConsensusSubmission;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.NetworkReads.OverwatchNodeInfo;
import dev.hyperj.chain.runtime.NetworkReads.SubnetInfo;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.chain.runtime.NetworkReads.ValidatorInfo;
import dev.hyperj.chain.runtime.NetworkReads.ValidatorsAndAttestors;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the dashboard shows, read from a {@link ChainClient}: the network's overview (subnets,
 * validators and their delegations, overwatch nodes) and per subnet its nodes and a history of its
 * finished epochs (elected validator, attestation ratio, consensus, scores, and each node's stake
 * and reputation as seen at that epoch, which give rewards and score history). {@link #update} is
 * called as blocks arrive; history is bounded ({@link #MAX_EPOCHS} per subnet).
 */
public final class NetworkModel {
    /** Finished epochs kept per subnet. */
    public static final int MAX_EPOCHS = 240;
    /** How far back a subnet's history is read when the dashboard first sees it. */
    static final int BACKFILL = 60;
    /** The chain's consensus threshold: 66% of the validator set attested. */
    static final BigInteger MIN_ATTESTATION = U128.percent(66);

    /** One finished epoch of a subnet. */
    public record EpochRow(
            long epoch,
            Integer electedNodeId,
            boolean submitted,
            int attestations,
            int validatorSetSize,
            double attestationRatio,
            boolean consensus,
            Map<Integer, Double> scores,
            Map<Integer, NodePoint> nodes) {}

    /** A node as seen at an epoch (stake in TENSOR, reputation in [0, 1]); null fields: not read then. */
    public record NodePoint(String nodeClass, double reputation, double stake) {}

    private final ChainClient chain;
    private final Map<Integer, Deque<EpochRow>> history = new HashMap<>();
    private final Map<Integer, Long> lastRead = new HashMap<>();
    private volatile Map<String, Object> overview = Map.of();

    public NetworkModel(ChainClient chain) {
        this.chain = chain;
    }

    /** Reads the chain now: the overview, and the epochs each subnet finished since the last update. */
    public synchronized void update() {
        EpochInfo ei = chain.epochInfo();
        List<SubnetInfo> subnets = chain.subnets();
        Map<Integer, List<SubnetNodeInfo>> nodes = chain.allSubnetNodes();
        for (SubnetInfo s : subnets) {
            int id = s.subnet().id();
            long current = chain.subnetEpoch(id);
            long from = Math.max(0, Math.max(current - BACKFILL, lastRead.getOrDefault(id, -1L) + 1));
            Deque<EpochRow> rows = history.computeIfAbsent(id, k -> new ArrayDeque<>());
            boolean backfill = !lastRead.containsKey(id);
            for (long e = from; e < current; e++) {
                // stakes and classes are read now: exact for the epoch just finished, absent for back-filled ones
                boolean now = !backfill || e == current - 1;
                rows.addLast(readEpoch(id, e, now ? nodes.getOrDefault(id, List.of()) : List.of()));
                while (rows.size() > MAX_EPOCHS) rows.removeFirst();
            }
            if (current > 0) lastRead.put(id, current - 1);
        }
        history.keySet()
                .removeIf(id -> subnets.stream().noneMatch(s -> s.subnet().id() == id));
        overview = buildOverview(ei, subnets, nodes);
    }

    private EpochRow readEpoch(int subnetId, long epoch, List<SubnetNodeInfo> nodes) {
        Optional<Integer> elected =
                chain.electedValidator(subnetId, epoch).map(v -> v.node().node().id());
        Optional<ConsensusSubmission> sub =
                chain.validatorsAndAttestors(subnetId, epoch).map(ValidatorsAndAttestors::submission);
        if (elected.isEmpty()) elected = sub.map(ConsensusSubmission::validatorNodeId);
        int attests = sub.map(s -> s.attests().size()).orElse(0);
        int set = sub.map(s -> s.validatorSet().size()).orElse(0);
        boolean consensus = sub.isPresent()
                && set > 0
                && U128.percentDiv(BigInteger.valueOf(attests), BigInteger.valueOf(set))
                                .compareTo(MIN_ATTESTATION)
                        >= 0;
        Map<Integer, Double> scores = new TreeMap<>();
        sub.ifPresent(s -> s.data().forEach(ns -> scores.put(ns.subnetNodeId(), U128.toRatio(ns.score()))));
        Map<Integer, NodePoint> points = new TreeMap<>();
        for (SubnetNodeInfo n : nodes)
            points.put(
                    n.node().id(),
                    new NodePoint(
                            n.node().nodeClass().name(), U128.toRatio(n.node().reputation()), tensor(n.stake())));
        return new EpochRow(
                epoch,
                elected.orElse(null),
                sub.isPresent(),
                attests,
                set,
                set == 0 ? 0 : (double) attests / set,
                consensus,
                scores,
                points);
    }

    private Map<String, Object> buildOverview(
            EpochInfo ei, List<SubnetInfo> subnets, Map<Integer, List<SubnetNodeInfo>> nodes) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("block", ei.blockNumber());
        o.put("epoch", ei.epoch());
        o.put("epochLength", ei.epochLength());
        o.put("chainId", chain.chainId());
        List<Map<String, Object>> ss = new ArrayList<>();
        TreeSet<Integer> validatorIds = new TreeSet<>();
        for (SubnetInfo s : subnets) {
            Map<String, Object> m = new LinkedHashMap<>();
            int id = s.subnet().id();
            m.put("id", id);
            m.put("name", s.subnet().name());
            m.put("repo", s.subnet().repo());
            m.put("state", s.subnet().state().name());
            m.put("subnetEpoch", chain.subnetEpoch(id));
            m.put("reputation", U128.toRatio(s.reputation()));
            m.put("nodeStake", tensor(s.totalNodeStake()));
            m.put("delegateStake", tensor(s.delegatePool().balance()));
            m.put("emissionWeight", U128.toRatio(s.emissionWeight()));
            m.put("totalNodes", s.totalNodes());
            m.put("activeNodes", s.activeNodes());
            Map<String, Integer> byClass = new LinkedHashMap<>();
            for (NodeClass c : NodeClass.values()) byClass.put(c.name(), 0);
            for (SubnetNodeInfo n : nodes.getOrDefault(id, List.of())) {
                byClass.merge(n.node().nodeClass().name(), 1, Integer::sum);
                validatorIds.add(n.node().validatorId());
            }
            m.put("nodesByClass", byClass);
            Deque<EpochRow> h = history.get(id);
            EpochRow last = h == null || h.isEmpty() ? null : h.peekLast();
            m.put("lastEpoch", last);
            long consensus =
                    h == null ? 0 : h.stream().filter(EpochRow::consensus).count();
            m.put("consensusEpochs", consensus);
            m.put("epochsSeen", h == null ? 0 : h.size());
            ss.add(m);
        }
        o.put("subnets", ss);
        List<OverwatchNodeInfo> ow = chain.overwatchNodes();
        List<Map<String, Object>> owOut = new ArrayList<>();
        for (OverwatchNodeInfo w : ow) {
            validatorIds.add(w.node().validatorId());
            owOut.add(Map.of(
                    "id", w.node().id(),
                    "validatorId", w.node().validatorId(),
                    "hotkey", w.node().hotkey().toString(),
                    "stake", tensor(w.node().stake()),
                    "subnets", new TreeMap<>(w.peerIds())));
        }
        o.put("overwatch", owOut);
        List<Map<String, Object>> vs = new ArrayList<>();
        for (int vid : validatorIds) {
            Optional<ValidatorInfo> v = chain.validator(vid);
            if (v.isEmpty()) continue;
            ValidatorInfo vi = v.get();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", vid);
            m.put("name", vi.validator().identity().name());
            m.put("coldkey", vi.validator().coldkey().toString());
            m.put("hotkey", vi.validator().hotkey().toString());
            m.put("reputation", U128.toRatio(vi.reputation().score()));
            m.put("delegatePool", tensor(vi.delegatePool().balance()));
            m.put("delegateRewardRate", U128.toRatio(vi.validator().delegateRewardRate()));
            m.put("averageAttestation", U128.toRatio(vi.reputation().averageAttestation()));
            var stakes = chain.validatorStakes(vid);
            m.put("nodes", stakes.size());
            m.put("nodeStake", tensor(stakes.stream().map(x -> x.amount()).reduce(BigInteger.ZERO, BigInteger::add)));
            vs.add(m);
        }
        o.put("validators", vs);
        return o;
    }

    /** The network's overview as of the last update. */
    public Map<String, Object> overview() {
        return overview;
    }

    /** A subnet's page: its info, nodes (with rewards and score history) and epochs, oldest first. */
    public synchronized Optional<Map<String, Object>> subnet(int id) {
        Optional<SubnetInfo> info = chain.subnet(id);
        if (info.isEmpty()) return Optional.empty();
        SubnetInfo s = info.get();
        List<EpochRow> rows = new ArrayList<>(history.getOrDefault(id, new ArrayDeque<>()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", s.subnet().name());
        m.put("repo", s.subnet().repo());
        m.put("description", s.subnet().description());
        m.put("state", s.subnet().state().name());
        m.put("subnetEpoch", chain.subnetEpoch(id));
        m.put("slot", s.subnet().slot());
        m.put("reputation", U128.toRatio(s.reputation()));
        m.put("nodeStake", tensor(s.totalNodeStake()));
        m.put("delegateStake", tensor(s.delegatePool().balance()));
        m.put("emissionWeight", U128.toRatio(s.emissionWeight()));
        m.put("minStake", tensor(s.params().minStake()));
        List<Map<String, Object>> ns = new ArrayList<>();
        for (SubnetNodeInfo n : chain.subnetNodes(id)) {
            int nid = n.node().id();
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("id", nid);
            x.put("peerId", n.node().peerInfo().peerId());
            x.put("validatorId", n.node().validatorId());
            x.put("class", n.node().nodeClass().name());
            x.put("classSince", n.node().classStartEpoch());
            x.put("reputation", U128.toRatio(n.node().reputation()));
            x.put("stake", tensor(n.stake()));
            // rewards compound into stake: its growth over the epochs we saw
            Double first = rows.stream()
                    .map(r -> r.nodes().get(nid))
                    .filter(p -> p != null)
                    .map(NodePoint::stake)
                    .findFirst()
                    .orElse(null);
            x.put("rewards", first == null ? 0 : tensor(n.stake()) - first);
            List<Object[]> scoreHistory = new ArrayList<>();
            for (EpochRow r : rows) {
                Double sc = r.scores().get(nid);
                if (r.submitted()) scoreHistory.add(new Object[] {r.epoch(), sc == null ? 0 : sc});
            }
            x.put("scores", scoreHistory);
            ns.add(x);
        }
        m.put("nodes", ns);
        m.put("epochs", rows);
        return Optional.of(m);
    }

    static double tensor(BigInteger v) {
        return new BigDecimal(v).movePointLeft(18).doubleValue();
    }
}
