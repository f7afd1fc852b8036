package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.math.U128.percent;
import static dev.hyperj.chain.runtime.Ctx.ensure;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.Hashing;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Model.Attestation;
import dev.hyperj.chain.runtime.Model.ConsensusSubmission;
import dev.hyperj.chain.runtime.Model.EmergencyValidatorSet;
import dev.hyperj.chain.runtime.Model.EpochEmission;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.chain.runtime.Model.Subnet;
import dev.hyperj.chain.runtime.Model.SubnetNode;
import dev.hyperj.chain.runtime.Model.SubnetParams;
import dev.hyperj.chain.runtime.Model.SubnetState;
import dev.hyperj.chain.runtime.Model.Validator;
import dev.hyperj.chain.scale.ScaleWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The per-subnet-epoch consensus: election, proposal, attestation, settlement of rewards and penalties. */
final class Consensus {
    private Consensus() {}

    static final BigInteger MIN_ATTESTATION = percent(66);
    static final BigInteger SUPER_MAJORITY =
            U128.ONE_E18.multiply(BigInteger.valueOf(875)).divide(BigInteger.valueOf(1000));
    static final BigInteger BASE_SLASH =
            U128.ONE_E18.multiply(BigInteger.valueOf(3125)).divide(BigInteger.valueOf(100_000));
    static final BigInteger VALIDATOR_REPUTATION_DECREASE = percent(50);
    static final BigInteger VALIDATOR_REPUTATION_INCREASE =
            U128.ONE_E18.multiply(BigInteger.valueOf(5)).divide(BigInteger.valueOf(10_000));
    static final BigInteger SUBNET_NON_CONSENSUS_FACTOR = U128.ONE_E18.divide(BigInteger.valueOf(8));
    static final BigInteger SUBNET_IN_CONSENSUS_FACTOR = U128.ONE_E18.divide(BigInteger.valueOf(8));
    static final BigInteger SUBNET_VALIDATOR_ABSENT_FACTOR = percent(5);
    static final int MAX_DATA = 512;

    // --- election

    /** A uniform index in [0, n): seed = blake2b-256(parent hash, subnet id, subnet epoch); rejection sampling on u64 as the pallet does. */
    static int drawIndex(byte[] parentHash, int subnetId, long subnetEpoch, int n) {
        if (n <= 1) return 0;
        byte[] seed = Hashing.blake2b256(
                new ScaleWriter().raw(parentHash).u32(subnetId).u64(subnetEpoch).toByteArray());
        long modulus = n;
        long zone = -1L - Long.remainderUnsigned(-1L, modulus); // u64::MAX - (u64::MAX % n)
        long fallback = 0;
        for (int attempt = 0; attempt < 8; attempt++) {
            byte[] h =
                    Hashing.blake2b256(new ScaleWriter().raw(seed).u32(attempt).toByteArray());
            long v = 0;
            for (int i = 0; i < 8; i++) v |= (h[i] & 0xffL) << (8 * i);
            fallback = v;
            if (Long.compareUnsigned(v, zone) < 0) return (int) Long.remainderUnsigned(v, modulus);
        }
        return (int) Long.remainderUnsigned(fallback, modulus);
    }

    static Optional<Integer> elect(Ctx c, Subnet s, long epoch) {
        List<Integer> candidates;
        EmergencyValidatorSet emergency = Store.EMERGENCY_VALIDATORS.get(c.s, s.id());
        if (emergency != null && epoch >= emergency.expiresEpoch()) {
            Store.EMERGENCY_VALIDATORS.remove(c.s, s.id());
            emergency = null;
        }
        if (emergency != null) {
            candidates = new ArrayList<>();
            for (int id : emergency.nodeIds()) if (Store.NODES.contains(c.s, s.id(), id)) candidates.add(id);
        } else {
            candidates = Subnets.electable(c, s.id(), epoch);
        }
        if (candidates.isEmpty()) return Optional.empty();
        int chosen = candidates.get(drawIndex(c.parentHash, s.id(), epoch, candidates.size()));
        Store.ELECTED.put(c.s, s.id(), epoch, chosen);
        c.emit(new Event.ElectedValidator(s.id(), chosen, epoch));
        return Optional.of(chosen);
    }

    // --- calls

    static final double VALIDATOR_REWARD_MIDPOINT = 0.5;
    static final double VALIDATOR_REWARD_K = 20;
    static final BigInteger ATTESTOR_MIN_REWARD_FACTOR = percent(33);
    static final double ATTESTOR_REWARD_EXPONENT = 10;

    /** The progress through the subnet epoch as the pallet holds it: blocks into the epoch / epoch length, in 1e18. */
    static BigInteger progress(Ctx c, Subnet s) {
        return U128.percentDiv(
                BigInteger.valueOf((c.block - s.slot()) % c.p.epochLength()), BigInteger.valueOf(c.p.epochLength()));
    }

    /** The proposer's reward factor, 1 / (1 + e^(20 (x - 0.5))) in the pallet's steps ({@code get_validator_reward_multiplier}). */
    static BigInteger proposerRewardFactor(BigInteger progress) {
        return U128.min(
                U128.ONE_E18,
                PalletFloat.f64AsPercentage(PalletFloat.sigmoidDecreasing(
                        PalletFloat.percentAsF64(progress), VALIDATOR_REWARD_MIDPOINT, VALIDATOR_REWARD_K)));
    }

    /**
     * An attestor's reward factor, 0.33 + 0.67 (1 - x^10) with x = blocks since the proposal / blocks
     * the epoch had left at it (1 once past), in the pallet's steps ({@code get_attestor_reward_multiplier}).
     */
    static BigInteger attestorRewardFactor(long sinceProposal, long leftAtProposal) {
        BigInteger x = sinceProposal >= leftAtProposal
                ? U128.ONE_E18
                : U128.percentDiv(BigInteger.valueOf(sinceProposal), BigInteger.valueOf(leftAtProposal));
        return U128.min(
                U128.ONE_E18,
                PalletFloat.f64AsPercentage(PalletFloat.concaveDownDecreasing(
                        PalletFloat.percentAsF64(x),
                        PalletFloat.percentAsF64(ATTESTOR_MIN_REWARD_FACTOR),
                        ATTESTOR_REWARD_EXPONENT)));
    }

    static void propose(Ctx c, AccountId origin, Call.ProposeAttestation call) {
        Subnet s = Subnets.get(c, call.subnetId());
        // Active, or paused after this epoch's election (the pallet does not check the state: the election is the gate)
        ensure(s.state() != SubnetState.Registered, NetworkError.SubnetMustBeActive);
        long epoch = c.subnetEpoch(s.slot());
        Optional<Integer> elected = Store.ELECTED.find(c.s, s.id(), epoch);
        ensure(elected.isPresent(), NetworkError.NoElectedValidator);
        ensure(elected.get() == call.subnetNodeId(), NetworkError.InvalidElectedSubnetNode);
        SubnetNode proposer = Nodes.get(c, s.id(), call.subnetNodeId());
        ensure(Nodes.signingKey(c, proposer).equals(origin), NetworkError.NotKeyOwner);
        ensure(!Store.SUBMISSIONS.contains(c.s, s.id(), epoch), NetworkError.SubnetRewardsAlreadySubmitted);
        ensure(call.data().size() <= MAX_DATA, NetworkError.InvalidSubnetConsensusSubmission);
        call.args().ifPresent(a -> ensure(a.length() <= 4096, NetworkError.InvalidSubnetConsensusSubmission));
        call.attestData().ifPresent(a -> ensure(a.length() <= 4096, NetworkError.InvalidSubnetConsensusSubmission));

        // keep entries of Included-or-higher nodes; duplicates collapse to the lowest score
        TreeMap<Integer, BigInteger> kept = new TreeMap<>();
        for (NodeScore ns : call.data()) {
            SubnetNode n = Store.NODES.get(c.s, s.id(), ns.subnetNodeId());
            if (n == null || n.nodeClass().compareTo(NodeClass.Included) < 0 || !U128.isValid(ns.score())) continue;
            kept.merge(ns.subnetNodeId(), ns.score(), U128::min);
        }
        List<NodeScore> data = new ArrayList<>();
        kept.forEach((k, v) -> data.add(new NodeScore(k, v)));
        List<Integer> snapshot = new ArrayList<>();
        List<Integer> validatorSet = new ArrayList<>();
        EmergencyValidatorSet emergency = Store.EMERGENCY_VALIDATORS.get(c.s, s.id());
        Set<Integer> emergencyIds = emergency == null ? null : new HashSet<>(emergency.nodeIds());
        Store.NODES.forEachIn(c.s, s.id(), (id, n) -> {
            if (n.nodeClass().compareTo(NodeClass.Idle) >= 0) snapshot.add(id);
            boolean validator =
                    emergencyIds != null ? emergencyIds.contains(id) : n.hasClass(NodeClass.Validator, epoch);
            if (validator) validatorSet.add(id);
        });
        snapshot.sort(null);
        validatorSet.sort(null);
        BigInteger factor = proposerRewardFactor(progress(c, s));
        Map<Integer, Attestation> attests = new TreeMap<>();
        attests.put(proposer.id(), new Attestation(c.block, U128.ONE_E18, call.attestData()));
        Store.SUBMISSIONS.put(
                c.s,
                s.id(),
                epoch,
                new ConsensusSubmission(
                        proposer.id(),
                        data,
                        attests,
                        snapshot,
                        validatorSet,
                        call.prioritizeQueueNodeId(),
                        call.removeQueueNodeId(),
                        call.args(),
                        c.block,
                        factor));
        Model.SubnetEpoch key = new Model.SubnetEpoch(s.id(), epoch);
        for (int v : validatorSet) Store.SUBMISSION_VALIDATORS.put(c.s, key, v, true);
        Store.ATTESTATIONS.put(c.s, key, proposer.id(), attests.get(proposer.id()));
        Store.PROPOSAL_BLOCK.put(c.s, s.id(), epoch, c.block);
        Validators.markProposal(c, proposer.validatorId());
        c.emit(new Event.ValidatorSubmission(s.id(), proposer.id(), epoch));
    }

    static void attest(Ctx c, AccountId origin, Call.Attest call) {
        Subnet s = Subnets.get(c, call.subnetId());
        long epoch = c.subnetEpoch(s.slot());
        long proposalBlock = Store.PROPOSAL_BLOCK
                .find(c.s, s.id(), epoch)
                .orElseThrow(() -> Ctx.fail(NetworkError.SubnetEpochDataIsNone));
        SubnetNode n = Nodes.get(c, s.id(), call.subnetNodeId());
        ensure(Nodes.signingKey(c, n).equals(origin), NetworkError.NotKeyOwner);
        Model.SubnetEpoch key = new Model.SubnetEpoch(s.id(), epoch);
        ensure(Store.SUBMISSION_VALIDATORS.contains(c.s, key, n.id()), NetworkError.InvalidValidator);
        ensure(!Store.ATTESTATIONS.contains(c.s, key, n.id()), NetworkError.AlreadyAttested);
        call.attestData().ifPresent(a -> ensure(a.length() <= 4096, NetworkError.InvalidSubnetConsensusSubmission));
        long epochEnd = (long) s.slot() + (epoch + 1) * c.p.epochLength();
        BigInteger factor = attestorRewardFactor(c.block - proposalBlock, epochEnd - proposalBlock);
        Store.ATTESTATIONS.put(c.s, key, n.id(), new Attestation(c.block, factor, call.attestData()));
        c.emit(new Event.Attestation(s.id(), n.id(), epoch));
    }

    // --- settlement

    private static void decreaseNode(Ctx c, int subnetId, int nodeId, BigInteger factor) {
        SubnetNode n = Store.NODES.get(c.s, subnetId, nodeId);
        if (n != null) Nodes.setReputation(c, subnetId, n, Rep.decrease(n.reputation(), factor));
    }

    private static void removeIfBelowMin(Ctx c, int subnetId, int nodeId, BigInteger min) {
        SubnetNode n = Store.NODES.get(c.s, subnetId, nodeId);
        if (n != null && n.reputation().compareTo(min) < 0) Nodes.removeNode(c, subnetId, nodeId, true);
    }

    /** The submission of a subnet epoch with every attestation gathered in. */
    static Optional<ConsensusSubmission> submission(dev.hyperj.chain.storage.StateView state, int sid, long e) {
        return Store.SUBMISSIONS.find(state, sid, e).map(sub -> {
            Map<Integer, Attestation> attests = new TreeMap<>();
            Store.ATTESTATIONS.forEachIn(state, new Model.SubnetEpoch(sid, e), attests::put);
            return new ConsensusSubmission(
                    sub.validatorNodeId(),
                    sub.data(),
                    attests,
                    sub.snapshot(),
                    sub.validatorSet(),
                    sub.prioritizeQueueNodeId(),
                    sub.removeQueueNodeId(),
                    sub.args(),
                    sub.block(),
                    sub.rewardFactor());
        });
    }

    /** Deletes everything kept for one subnet epoch's consensus. */
    static void forget(Ctx c, int sid, long e) {
        Store.SUBMISSIONS.remove(c.s, sid, e);
        Store.ELECTED.remove(c.s, sid, e);
        Store.PROPOSAL_BLOCK.remove(c.s, sid, e);
        Store.ATTESTATIONS.removePrefix(c.s, new Model.SubnetEpoch(sid, e));
        Store.SUBMISSION_VALIDATORS.removePrefix(c.s, new Model.SubnetEpoch(sid, e));
    }

    /** Settles subnet epoch {@code e} (called at the first block of e+1) with this epoch's emission weight. */
    static void settle(Ctx c, Subnet s, long e, BigInteger weight) {
        int sid = s.id();
        SubnetParams sp = Subnets.params(c, sid);
        Optional<ConsensusSubmission> maybe = submission(c.s, sid, e);
        Model.ReputationFactors rf = Store.REPUTATION_FACTORS.get(c.s, sid).forEpoch(e);
        Optional<Integer> elected = Store.ELECTED.find(c.s, sid, e);
        if (maybe.isEmpty()) {
            if (elected.isPresent()) {
                Subnets.setReputation(c, sid, Rep.decrease(Subnets.reputation(c, sid), SUBNET_VALIDATOR_ABSENT_FACTOR));
                // the node pays, its validator's score does not (as the pallet: only settled proposals move the
                // validator score)
                decreaseNode(c, sid, elected.get(), rf.validatorAbsentDecrease());
                removeIfBelowMin(c, sid, elected.get(), sp.minNodeReputation());
            }
            return;
        }
        ConsensusSubmission sub = maybe.get();
        int setSize = Math.max(1, sub.validatorSet().size());
        BigInteger ratio = U128.min(
                U128.ONE_E18, U128.percentDiv(BigInteger.valueOf(sub.attests().size()), BigInteger.valueOf(setSize)));
        SubnetNode proposer = Store.NODES.get(c.s, sid, sub.validatorNodeId());
        if (ratio.compareTo(MIN_ATTESTATION) < 0) {
            BigInteger delta = U128.saturatingSub(U128.ONE_E18, U128.percentDiv(ratio, MIN_ATTESTATION));
            if (proposer != null) {
                BigInteger stake = Store.NODE_STAKE
                        .find(c.s, sid, proposer.id())
                        .map(Model.NodeStake::amount)
                        .orElse(BigInteger.ZERO);
                BigInteger slash =
                        U128.min(U128.percentMul(U128.percentMul(stake, BASE_SLASH), delta), c.p.maxSlashAmount());
                BigInteger taken = Staking.takeFromNodeStake(c, sid, proposer.id(), slash);
                Validator v = Store.VALIDATORS.get(c.s, proposer.validatorId());
                Accounts.noteBurned(c, v == null ? Ctx.TREASURY : v.coldkey(), taken);
                c.emit(new Event.Slashing(sid, proposer.id(), taken));
                decreaseNode(c, sid, proposer.id(), U128.percentMul(rf.validatorNonConsensusDecrease(), delta));
                // the pallet's ValidatorReputationDecreaseFactor: a flat 50%, not scaled by the node factor or delta
                Validators.noteProposalSettled(c, proposer.validatorId(), false, VALIDATOR_REPUTATION_DECREASE, ratio);
            }
            Subnets.setReputation(
                    c,
                    sid,
                    Rep.decrease(Subnets.reputation(c, sid), U128.percentMul(SUBNET_NON_CONSENSUS_FACTOR, delta)));
            // every attestor, the proposer included (it attested its own proposal), as the pallet's
            // handle_non_consensus
            for (int a : sub.attests().keySet())
                decreaseNode(c, sid, a, U128.percentMul(rf.nonConsensusAttestorDecrease(), delta));
            for (int a : sub.attests().keySet()) removeIfBelowMin(c, sid, a, sp.minNodeReputation());
            return;
        }
        if (proposer != null) {
            BigInteger reward = U128.percentMul(c.p.baseValidatorReward(), sub.rewardFactor());
            Staking.addToNodeStake(c, sid, proposer.id(), proposer.validatorId(), reward);
            Accounts.noteMinted(c, reward);
            Validators.noteProposalSettled(c, proposer.validatorId(), true, VALIDATOR_REPUTATION_INCREASE, ratio);
        }
        boolean superMajority = ratio.compareTo(SUPER_MAJORITY) >= 0;
        if (superMajority) {
            sub.prioritizeQueueNodeId().ifPresent(id -> Nodes.prioritize(c, sid, id));
            sub.removeQueueNodeId().ifPresent(id -> Nodes.removeQueued(c, sid, id));
        }
        if (sub.data().size() >= c.p.minSubnetNodes()) {
            Subnets.setReputation(
                    c,
                    sid,
                    Rep.increase(Subnets.reputation(c, sid), U128.percentMul(SUBNET_IN_CONSENSUS_FACTOR, ratio)));
        }
        distribute(c, s, sp, e, sub, weight, superMajority, rf);
    }

    private static void distribute(
            Ctx c,
            Subnet s,
            SubnetParams sp,
            long e,
            ConsensusSubmission sub,
            BigInteger weight,
            boolean superMajority,
            Model.ReputationFactors rf) {
        int sid = s.id();
        EpochEmission em = Store.EPOCH_EMISSION.get(c.s);
        BigInteger budget = em == null ? BigInteger.ZERO : em.subnetEmissions().add(em.capacitor());
        BigInteger overall = U128.percentMul(budget, weight);
        BigInteger sum = BigInteger.ZERO;
        Map<Integer, BigInteger> scores = new HashMap<>();
        for (NodeScore ns : sub.data()) {
            scores.put(ns.subnetNodeId(), ns.score());
            sum = sum.add(ns.score());
        }
        if (sum.signum() == 0) {
            Store.CAPACITOR.put(c.s, U128.add(Store.CAPACITOR.get(c.s), overall));
            c.emit(new Event.SubnetRewards(sid, e, overall, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO));
            return;
        }
        BigInteger ownerReward = U128.percentMul(overall, c.p.subnetOwnerPercentage());
        BigInteger afterOwner = overall.subtract(ownerReward);
        BigInteger delegateReward = U128.percentMul(afterOwner, sp.delegateStakePercentage());
        BigInteger nodePool = afterOwner.subtract(delegateReward);
        Accounts.mintTo(c, s.owner(), ownerReward);
        if (Store.SUBNET_POOL.get(c.s, sid).shares().signum() > 0) {
            Staking.grow(c, Staking.subnetPool(sid), delegateReward);
            Accounts.noteMinted(c, delegateReward);
        } else {
            delegateReward = BigInteger.ZERO; // nobody to pay: not minted
        }
        BigInteger paid = BigInteger.ZERO;
        BigInteger minWeight = Store.MIN_WEIGHT_THRESHOLD.get(c.s, sid);
        boolean forked = Store.EMERGENCY_VALIDATORS.contains(c.s, sid);
        Set<Integer> couldAttest = new HashSet<>(sub.validatorSet());
        for (int nodeId : sub.snapshot()) {
            SubnetNode n = Store.NODES.get(c.s, sid, nodeId);
            if (n == null) {
                // Removed since the proposal. As the pallet: it still earns what it contributed if it was a validator
                // at
                // the proposal and is in the data (into its stake, which outlives the node), with no reputation
                // changes.
                BigInteger score = scores.get(nodeId);
                Model.NodeStake stake = Store.NODE_STAKE.get(c.s, sid, nodeId);
                if (score != null && couldAttest.contains(nodeId) && stake != null) {
                    Attestation att = sub.attests().get(nodeId);
                    BigInteger reward = U128.percentMul(
                            nodeShare(nodePool, score, sum), att == null ? U128.ONE_E18 : att.rewardFactor());
                    paid = paid.add(payNode(c, sid, nodeId, stake.validatorId(), reward));
                }
                continue;
            }
            if (n.reputation().compareTo(sp.minNodeReputation()) < 0) {
                Nodes.removeNode(c, sid, nodeId, true);
                continue;
            }
            BigInteger score = scores.get(nodeId);
            if (n.nodeClass() == NodeClass.Idle) {
                // no graduation while an emergency validator set runs the subnet (the pallet's "forked" subnet)
                if (forked) continue;
                int counter = n.classificationCounter() + 1;
                if (counter >= sp.idleClassificationEpochs()) {
                    Store.NODES.put(c.s, sid, nodeId, Nodes.withClass(n, NodeClass.Included, e + 1, 0));
                    c.emit(new Event.NodeClassGraduation(sid, nodeId, NodeClass.Included));
                } else {
                    Store.NODES.put(c.s, sid, nodeId, Nodes.withClass(n, NodeClass.Idle, n.classStartEpoch(), counter));
                }
                continue;
            }
            if (score == null) {
                if (n.nodeClass() == NodeClass.Included)
                    n = Nodes.withClass(n, NodeClass.Included, n.classStartEpoch(), 0);
                Store.NODES.put(c.s, sid, nodeId, n);
                decreaseNode(c, sid, nodeId, rf.absentDecrease());
                continue;
            }
            if (n.nodeClass() == NodeClass.Included) {
                // As the pallet's handle_included_node: every epoch present in the data counts (only absence resets the
                // counter), and the reputation test is on the reputation after this epoch's increase.
                BigInteger raised = Rep.increase(n.reputation(), rf.includedIncrease());
                if (raised.compareTo(n.reputation()) != 0) Nodes.setReputation(c, sid, n, raised);
                SubnetNode updated = Nodes.withReputation(n, raised);
                if (forked) {
                    Store.NODES.put(c.s, sid, nodeId, updated);
                    continue;
                }
                int counter = n.classificationCounter() + 1;
                if (raised.compareTo(U128.ONE_E18) >= 0 && counter >= sp.includedClassificationEpochs()) {
                    updated = Nodes.withClass(updated, NodeClass.Validator, e + 1, 0);
                    c.emit(new Event.NodeClassGraduation(sid, nodeId, NodeClass.Validator));
                } else {
                    updated = Nodes.withClass(updated, NodeClass.Included, n.classStartEpoch(), counter);
                }
                Store.NODES.put(c.s, sid, nodeId, updated);
                continue;
            }
            if (n.nodeClass() != NodeClass.Validator) continue;
            // in the data: reputation rises by the included factor, as for Included nodes (the pallet does both)
            if (n.reputation().compareTo(U128.ONE_E18) < 0)
                Nodes.setReputation(c, sid, n, Rep.increase(n.reputation(), rf.includedIncrease()));
            // below the subnet's minimum weight (score / sum; threshold 0 = off): reputation - below-min-weight factor
            BigInteger nodeWeight = U128.percentDiv(score, sum);
            if (nodeWeight.compareTo(minWeight) < 0) decreaseNode(c, sid, nodeId, rf.belowMinWeightDecrease());
            Attestation att = sub.attests().get(nodeId);
            BigInteger attestFactor = att == null ? U128.ONE_E18 : att.rewardFactor();
            // only a member of the submission's validator set could attest: nobody else is penalised for not attesting
            // (a node outside an emergency set, or one whose Validator class starts after the proposal)
            if (att == null && superMajority && couldAttest.contains(nodeId))
                decreaseNode(c, sid, nodeId, rf.nonAttestorDecrease());
            // the penalties above may take it under the minimum: removed, and not paid
            SubnetNode after = Store.NODES.get(c.s, sid, nodeId);
            if (after.reputation().compareTo(sp.minNodeReputation()) < 0) {
                Nodes.removeNode(c, sid, nodeId, true);
                continue;
            }
            BigInteger reward = U128.percentMul(nodeShare(nodePool, score, sum), attestFactor);
            paid = paid.add(payNode(c, sid, after.id(), after.validatorId(), reward));
        }
        c.emit(new Event.SubnetRewards(sid, e, overall, ownerReward, delegateReward, paid));
    }

    /**
     * A node's part of the node pool as the pallet computes it: its weight {@code score / sum}
     * rounded down to 1e-18 first ({@code percent_div}), then times the pool ({@code percent_mul}),
     * not {@code pool * score / sum} in one step (which can be a few units more).
     */
    static BigInteger nodeShare(BigInteger nodePool, BigInteger score, BigInteger sum) {
        return U128.percentMul(U128.percentDiv(score, sum), nodePool);
    }

    /** Validator delegators first, then the delegate account, the rest compounds into the node's stake. */
    static BigInteger payNode(Ctx c, int sid, int nodeId, int validatorId, BigInteger reward) {
        if (reward.signum() == 0) return reward;
        Validator v = Store.VALIDATORS.get(c.s, validatorId);
        BigInteger rest = reward;
        if (v != null && Store.VALIDATOR_POOL.get(c.s, v.id()).shares().signum() > 0) {
            BigInteger toDelegators = U128.percentMul(reward, v.delegateRewardRate());
            Staking.grow(c, Staking.validatorPool(v.id()), toDelegators);
            Accounts.noteMinted(c, toDelegators);
            rest = rest.subtract(toDelegators);
        }
        if (v != null && v.delegateAccount().isPresent()) {
            BigInteger toAccount =
                    U128.percentMul(rest, v.delegateAccount().get().rate());
            Accounts.mintTo(c, v.delegateAccount().get().account(), toAccount);
            rest = rest.subtract(toAccount);
        }
        Staking.addToNodeStake(c, sid, nodeId, validatorId, rest);
        Accounts.noteMinted(c, rest);
        c.emit(new Event.NodeReward(sid, nodeId, reward));
        return reward;
    }

    /** The emission step at a subnet's slot (first block of its epoch {@code e}). */
    static void emissionStep(Ctx c, Subnet s) {
        long e = c.subnetEpoch(s.slot());
        BigInteger weight = Store.SUBNET_WEIGHT.get(c.s, s.id());
        // A weight is only computed for an Active, started subnet (at this general epoch's weights block). As the
        // pallet's emission_step: a subnet paused since then is still settled for the work its nodes did, but only an
        // Active one elects, activates queued nodes and moves its burn rate.
        if (weight.signum() > 0) {
            if (e > 0) settle(c, s, e - 1, weight);
            Subnet now = Store.SUBNETS.get(c.s, s.id());
            if (now != null && now.state() == SubnetState.Active) {
                elect(c, now, e);
                Nodes.runQueue(c, s.id(), e);
                Nodes.updateBurnRate(c, s.id());
            }
        }
        // old consensus data is not needed past the settlement
        if (e >= 3) forget(c, s.id(), e - 3);
    }
}
