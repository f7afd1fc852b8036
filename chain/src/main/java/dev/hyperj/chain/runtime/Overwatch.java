package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.math.U128.tensor;
import static dev.hyperj.chain.runtime.Ctx.ensure;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.Hashing;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.OverwatchCommit;
import dev.hyperj.chain.runtime.Model.OverwatchNode;
import dev.hyperj.chain.runtime.Model.OverwatchReveal;
import dev.hyperj.chain.runtime.Model.SubnetState;
import dev.hyperj.chain.runtime.Model.Validator;
import dev.hyperj.chain.runtime.Model.ValidatorReputation;
import dev.hyperj.chain.scale.ScaleWriter;
import dev.hyperj.p2p.bytes.Bytes;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Overwatch nodes: qualification, commit-reveal of subnet weights, scoring and payouts. */
final class Overwatch {
    private Overwatch() {}

    static final BigInteger YEARLY_REWARD = tensor(10_000);

    /** The commitment to a weight: blake2b-256(SCALE(weight u128, salt bytes)). */
    static Bytes commitment(BigInteger weight, Bytes salt) {
        return Bytes.of(Hashing.blake2b256(
                new ScaleWriter().u128(weight).bytes(salt.value()).toByteArray()));
    }

    static long owEpochLength(Ctx c) {
        return (long) c.p.epochLength() * c.p.overwatchEpochLengthMultiplier();
    }

    static long owEpoch(Ctx c) {
        return c.block / owEpochLength(c);
    }

    static boolean commitPeriod(Ctx c) {
        long len = owEpochLength(c);
        long cutoff = U128.percentMul(BigInteger.valueOf(len), c.p.overwatchCommitCutoffPercent())
                .longValue();
        return c.block % len < cutoff;
    }

    static OverwatchNode owned(Ctx c, AccountId origin, int id, boolean hotkeyAllowed) {
        OverwatchNode n =
                Store.OVERWATCH_NODES.find(c.s, id).orElseThrow(() -> Ctx.fail(NetworkError.InvalidOverwatchNodeId));
        Validator v = Validators.get(c, n.validatorId());
        ensure(v.coldkey().equals(origin) || (hotkeyAllowed && n.hotkey().equals(origin)), NetworkError.NotKeyOwner);
        return n;
    }

    /** Share of Active subnets where the validator has a Validator-class node. */
    static BigInteger diversification(Ctx c, int validatorId) {
        int[] active = {0}, with = {0};
        Store.SUBNETS.forEach(c.s, (id, s) -> {
            if (s.state() != SubnetState.Active) return;
            active[0]++;
            boolean[] has = {false};
            Store.NODES.forEachIn(c.s, id, (k, n) -> {
                if (n.validatorId() == validatorId && n.nodeClass() == NodeClass.Validator) has[0] = true;
            });
            if (has[0]) with[0]++;
        });
        return active[0] == 0
                ? BigInteger.ZERO
                : U128.percentDiv(BigInteger.valueOf(with[0]), BigInteger.valueOf(active[0]));
    }

    static void register(Ctx c, AccountId origin, Call.RegisterOverwatchNode r) {
        Validator v = Validators.owned(c, origin, r.validatorId());
        ensure(Store.OVERWATCH_WHITELIST.get(c.s, origin), NetworkError.ColdkeyNotOverwatchQualified);
        boolean already = Store.OVERWATCH_NODES.keys(c.s).stream()
                .anyMatch(id -> Store.OVERWATCH_NODES.get(c.s, id).validatorId() == v.id());
        ensure(!already, NetworkError.ColdkeyOverwatchQualified);
        ensure(Store.OVERWATCH_NODES.keys(c.s).size() < c.p.maxOverwatchNodes(), NetworkError.MaxOverwatchNodes);
        ValidatorReputation rep = Validators.reputation(c, v.id());
        // Pallet bug not copied: OverwatchMinAge is a real number of epochs, not derived from EpochLength.
        ensure(c.epoch() >= rep.startEpoch() + c.p.overwatchMinAgeEpochs(), NetworkError.OverwatchMinAgeNotMet);
        GenesisConfig.OverwatchQualification q = Store.OVERWATCH_QUALIFICATION.get(c.s);
        ensure(rep.score().compareTo(q.minScore()) >= 0, NetworkError.OverwatchMinRepScoreNotMet);
        ensure(
                diversification(c, v.id()).compareTo(q.minDiversification()) >= 0,
                NetworkError.OverwatchMinDiversificationNotMet);
        ensure(
                rep.averageAttestation().compareTo(q.minAvgAttestation()) >= 0,
                NetworkError.OverwatchMinAvgAttestationNotMet);
        ensure(r.stakeToBeAdded().compareTo(c.p.overwatchMinStake()) >= 0, NetworkError.MinStakeNotReached);
        ensure(!r.hotkey().equals(origin), NetworkError.ColdkeyMatchesHotkey);
        ensure(!Validators.keyInUse(c, r.hotkey()), NetworkError.HotkeyHasOwner);
        Accounts.debitKeepAlive(c, origin, r.stakeToBeAdded(), NetworkError.NotEnoughBalanceToStake);
        int id = Store.TOTAL_OVERWATCH_UIDS.get(c.s) + 1;
        Store.TOTAL_OVERWATCH_UIDS.put(c.s, id);
        Store.OVERWATCH_NODES.put(c.s, id, new OverwatchNode(id, v.id(), r.hotkey(), r.stakeToBeAdded()));
        Store.HOTKEY_OWNER.put(c.s, r.hotkey(), v.id());
        c.emit(new Event.OverwatchNodeRegistered(id, v.id()));
    }

    static void remove(Ctx c, AccountId origin, int id) {
        OverwatchNode n = owned(c, origin, id, false);
        removeNode(c, n, origin);
    }

    static void removeNode(Ctx c, OverwatchNode n, AccountId stakeOwner) {
        Store.OVERWATCH_NODES.remove(c.s, n.id());
        Store.HOTKEY_OWNER.remove(c.s, n.hotkey());
        List<int[]> peers = new ArrayList<>();
        Store.OVERWATCH_PEER_IDS.forEach(c.s, (subnet, owId, peer) -> {
            if (owId == n.id()) peers.add(new int[] {subnet});
        });
        for (int[] p : peers) {
            String peer = Store.OVERWATCH_PEER_IDS.get(c.s, p[0], n.id());
            Store.PEER_ID_OWNER.remove(c.s, p[0], peer);
            Store.OVERWATCH_PEER_IDS.remove(c.s, p[0], n.id());
        }
        Accounts.unbond(c, stakeOwner, n.stake(), c.p.stakeCooldownEpochs());
        c.emit(new Event.OverwatchNodeRemoved(n.id()));
    }

    static void setPeerId(Ctx c, AccountId origin, Call.SetOverwatchNodePeerId x) {
        OverwatchNode n = owned(c, origin, x.overwatchNodeId(), true);
        Subnets.get(c, x.subnetId());
        ensure(PeerRules.isValidPeerId(x.peerId()), NetworkError.InvalidPeerId);
        ensure(!Store.PEER_ID_OWNER.contains(c.s, x.subnetId(), x.peerId()), NetworkError.PeerIdExist);
        Store.OVERWATCH_PEER_IDS
                .find(c.s, x.subnetId(), n.id())
                .ifPresent(old -> Store.PEER_ID_OWNER.remove(c.s, x.subnetId(), old));
        Store.OVERWATCH_PEER_IDS.put(c.s, x.subnetId(), n.id(), x.peerId());
        Store.PEER_ID_OWNER.put(c.s, x.subnetId(), x.peerId(), -n.id());
    }

    static void commit(Ctx c, AccountId origin, Call.CommitOverwatchSubnetWeights x) {
        OverwatchNode n = owned(c, origin, x.overwatchNodeId(), true);
        ensure(!x.commits().isEmpty(), NetworkError.CommitsEmpty);
        ensure(x.commits().size() <= 128, NetworkError.InvalidWeight);
        ensure(commitPeriod(c), NetworkError.NotCommitPeriod);
        long oe = owEpoch(c);
        TreeMap<Integer, Bytes> commits = new TreeMap<>(Store.OW_COMMITS.get(c.s, oe, n.id()));
        for (OverwatchCommit cm : x.commits()) {
            Subnets.get(c, cm.subnetId());
            ensure(cm.weightHash().length() == 32, NetworkError.InvalidWeight);
            ensure(!commits.containsKey(cm.subnetId()), NetworkError.AlreadyCommitted);
            commits.put(cm.subnetId(), cm.weightHash());
            c.emit(new Event.OverwatchCommit(n.id(), oe, cm.subnetId()));
        }
        Store.OW_COMMITS.put(c.s, oe, n.id(), commits);
    }

    static void reveal(Ctx c, AccountId origin, Call.RevealOverwatchSubnetWeights x) {
        OverwatchNode n = owned(c, origin, x.overwatchNodeId(), true);
        ensure(!x.reveals().isEmpty(), NetworkError.CommitsEmpty);
        ensure(!commitPeriod(c), NetworkError.NotRevealPeriod);
        long oe = owEpoch(c);
        Map<Integer, Bytes> commits = Store.OW_COMMITS.get(c.s, oe, n.id());
        TreeMap<Integer, BigInteger> reveals = new TreeMap<>(Store.OW_REVEALS.get(c.s, oe, n.id()));
        for (OverwatchReveal r : x.reveals()) {
            Bytes committed = commits.get(r.subnetId());
            ensure(committed != null, NetworkError.NoCommitFound);
            ensure(r.weight().signum() >= 0 && r.weight().compareTo(U128.ONE_E18) <= 0, NetworkError.InvalidWeight);
            ensure(committed.equals(commitment(r.weight(), r.salt())), NetworkError.RevealMismatch);
            reveals.put(r.subnetId(), r.weight());
            c.emit(new Event.OverwatchReveal(n.id(), oe, r.subnetId(), r.weight()));
        }
        Store.OW_REVEALS.put(c.s, oe, n.id(), reveals);
    }

    static void addStake(Ctx c, AccountId origin, int id, BigInteger amount) {
        ensure(amount.signum() > 0, NetworkError.AmountZero);
        OverwatchNode n = owned(c, origin, id, false);
        Accounts.debitKeepAlive(c, origin, amount, NetworkError.NotEnoughBalanceToStake);
        Store.OVERWATCH_NODES.put(
                c.s, id, new OverwatchNode(n.id(), n.validatorId(), n.hotkey(), U128.add(n.stake(), amount)));
    }

    static void removeStake(Ctx c, AccountId origin, int id, BigInteger amount) {
        ensure(amount.signum() > 0, NetworkError.AmountZero);
        OverwatchNode n = owned(c, origin, id, false);
        ensure(n.stake().compareTo(amount) >= 0, NetworkError.NotEnoughStakeToWithdraw);
        ensure(n.stake().subtract(amount).compareTo(c.p.overwatchMinStake()) >= 0, NetworkError.MinStakeNotReached);
        Store.OVERWATCH_NODES.put(
                c.s,
                id,
                new OverwatchNode(n.id(), n.validatorId(), n.hotkey(), n.stake().subtract(amount)));
        Accounts.unbond(c, origin, amount, c.p.stakeCooldownEpochs());
    }

    /**
     * One block after each overwatch epoch: stake weights s_i = stake^0.9 (normalised); subnet weight =
     * min(sum reveal_i * s_i, 1); node score = sum (1 - |reveal - subnet weight|) * subnet weight,
     * normalised; payout = score * 10,000 TENSOR / EPY into the overwatch stake.
     */
    static void score(Ctx c) {
        long oe = (c.block - 1) / owEpochLength(c) - 1;
        if (oe < 0) return;
        Map<Integer, Map<Integer, BigInteger>> reveals = new TreeMap<>();
        Store.OW_REVEALS.forEach(c.s, (e, nodeId, r) -> {
            if (e == oe && Store.OVERWATCH_NODES.contains(c.s, nodeId)) reveals.put(nodeId, r);
        });
        if (!reveals.isEmpty()) {
            Map<Integer, Double> stakeWeight = new TreeMap<>();
            double total = 0;
            for (int id : reveals.keySet()) {
                double w = StrictMath.pow(
                        U128.toRatio(Store.OVERWATCH_NODES.get(c.s, id).stake()), 0.9);
                stakeWeight.put(id, w);
                total += w;
            }
            Set<Integer> subnets = new HashSet<>();
            reveals.values().forEach(m -> subnets.addAll(m.keySet()));
            Map<Integer, Double> subnetWeight = new TreeMap<>();
            for (int sid : new TreeMap<>(subnets.stream().collect(java.util.stream.Collectors.toMap(k -> k, k -> 0)))
                    .keySet()) {
                double sum = 0;
                for (var e : reveals.entrySet()) {
                    BigInteger r = e.getValue().get(sid);
                    if (r != null) sum += U128.toRatio(r) * stakeWeight.get(e.getKey()) / total;
                }
                double w = Math.min(sum, 1.0);
                subnetWeight.put(sid, w);
                Store.OW_SUBNET_WEIGHTS.put(c.s, oe, sid, U128.fromRatio(w));
            }
            Map<Integer, Double> scores = new TreeMap<>();
            double scoreSum = 0;
            for (var e : reveals.entrySet()) {
                double sc = 0;
                for (var r : e.getValue().entrySet()) {
                    double sw = subnetWeight.get(r.getKey());
                    sc += (1.0 - Math.abs(U128.toRatio(r.getValue()) - sw)) * sw;
                }
                scores.put(e.getKey(), sc);
                scoreSum += sc;
            }
            BigInteger budget = YEARLY_REWARD.divide(BigInteger.valueOf(c.p.epochsPerYear()));
            for (var e : scores.entrySet()) {
                double normalized = scoreSum == 0 ? 0 : e.getValue() / scoreSum;
                BigInteger norm = U128.fromRatio(normalized);
                Store.OW_NODE_SCORES.put(c.s, oe, e.getKey(), norm);
                BigInteger pay = U128.percentMul(budget, norm);
                OverwatchNode n = Store.OVERWATCH_NODES.get(c.s, e.getKey());
                Store.OVERWATCH_NODES.put(
                        c.s, n.id(), new OverwatchNode(n.id(), n.validatorId(), n.hotkey(), U128.add(n.stake(), pay)));
                Accounts.noteMinted(c, pay);
                Validators.setOwScore(c, n.validatorId(), norm);
                c.emit(new Event.OverwatchRewards(n.id(), oe, pay));
            }
        }
        // commits and reveals of older epochs are no longer needed
        if (oe >= 1) {
            Store.OW_COMMITS.removePrefix(c.s, oe - 1);
            Store.OW_REVEALS.removePrefix(c.s, oe - 1);
        }
    }
}
