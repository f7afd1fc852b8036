package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.math.U128.percent;
import static dev.hyperj.chain.math.U128.tensor;
import static dev.hyperj.chain.runtime.Ctx.ensure;
import static dev.hyperj.chain.runtime.Ctx.fail;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Event.SubnetOwnerUpdate.Setting;
import dev.hyperj.chain.runtime.Model.EmergencyValidatorSet;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.Subnet;
import dev.hyperj.chain.runtime.Model.SubnetNode;
import dev.hyperj.chain.runtime.Model.SubnetParams;
import dev.hyperj.chain.runtime.Model.SubnetRegistrationData;
import dev.hyperj.chain.runtime.Model.SubnetRemovalReason;
import dev.hyperj.chain.runtime.Model.SubnetState;
import dev.hyperj.p2p.bytes.Bytes;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Subnet registration (cost auction, slots), phases, activation, owner powers and removal. */
final class Subnets {
    private Subnets() {}

    static final int MAX_BOOTNODES = 32;
    static final int MAX_BOOTNODE_ACCESS = 21;
    static final BigInteger MIN_STAKE_FLOOR = tensor(100);
    static final BigInteger MIN_STAKE_CEIL = tensor(250);
    static final BigInteger MAX_STAKE_CEIL = tensor(1000);
    static final BigInteger MIN_DELEGATE_PCT = percent(5);
    static final BigInteger MAX_DELEGATE_PCT = percent(95);
    static final BigInteger MAX_DELEGATE_PCT_CHANGE = percent(2);
    static final long DELEGATE_PCT_UPDATE_PERIOD = 14_400;
    static final int MAX_TEXT = 1024;

    static Subnet get(Ctx c, int id) {
        return Store.SUBNETS.find(c.s, id).orElseThrow(() -> fail(NetworkError.InvalidSubnetId));
    }

    static Subnet owned(Ctx c, AccountId origin, int id) {
        Subnet s = get(c, id);
        ensure(s.owner().equals(origin), NetworkError.NotSubnetOwner);
        return s;
    }

    static SubnetParams params(Ctx c, int id) {
        return Store.SUBNET_PARAMS.get(c.s, id);
    }

    /**
     * The descending-price auction: {@code min + (last - min) * ((D - d) / D)^alpha}, in the
     * pallet's steps ({@code get_current_registration_cost}): the fraction in 1e18 fixed point, the
     * power in f64, and the decayed part {@code (diff as f64 * factor) as u128}, so the price is the
     * pallet's to the unit (an f64 near 1e18 is a multiple of 128).
     */
    static BigInteger registrationCost(Ctx c) {
        BigInteger last = Store.LAST_REGISTRATION_COST.get(c.s);
        if (last == null) last = c.p.initialRegistrationCost();
        long d = Math.max(0, c.block - Store.LAST_REGISTRATION_BLOCK.get(c.s));
        return auctionPrice(
                last, c.p.minRegistrationCost(), c.p.registrationCostDelayBlocks(), c.p.registrationCostAlpha(), d);
    }

    /** The auction's price {@code d} blocks after the last registration (last = its price times the multiplier). */
    static BigInteger auctionPrice(BigInteger last, BigInteger min, long bigD, BigInteger alpha, long d) {
        if (bigD == 0 || last.compareTo(min) <= 0) return U128.max(last, min);
        if (d >= bigD) return min;
        BigInteger remaining = U128.percentDiv(BigInteger.valueOf(bigD - d), BigInteger.valueOf(bigD));
        double factor = StrictMath.pow(PalletFloat.percentAsF64(remaining), PalletFloat.percentAsF64(alpha));
        double diff = Math.min(last.subtract(min).doubleValue(), PalletFloat.U128_MAX / factor);
        BigInteger addend = U128.fromDouble(Math.clamp(diff * factor, 0.0, PalletFloat.U128_MAX));
        return U128.max(U128.saturatingAdd(min, addend), min);
    }

    static int freeSlot(Ctx c) {
        for (int slot = 3; slot < c.p.epochLength(); slot++) {
            if (!Store.SLOT_SUBNET.contains(c.s, slot)) return slot;
        }
        throw fail(NetworkError.NoAvailableSlots);
    }

    static int count(Ctx c) {
        return Store.SUBNETS.keys(c.s).size();
    }

    static void register(Ctx c, AccountId owner, BigInteger maxCost, SubnetRegistrationData d) {
        ensure(
                d.name().length() <= MAX_TEXT
                        && d.repo().length() <= MAX_TEXT
                        && d.description().length() <= MAX_TEXT
                        && d.misc().length() <= MAX_TEXT,
                NetworkError.InvalidValues);
        ensure(
                d.initialValidators().size() <= c.p.maxSubnetNodes(),
                NetworkError.InvalidSubnetRegistrationInitialColdkeys);
        ensure(!d.name().isBlank() && !Store.SUBNET_NAME.contains(c.s, d.name()), NetworkError.SubnetNameExist);
        ensure(!d.repo().isBlank() && !Store.SUBNET_REPO.contains(c.s, d.repo()), NetworkError.SubnetRepoExist);
        // as the pallet: MaxSubnets + 1 may exist; epoch preliminaries remove the excess every MaxSubnetRemovalInterval
        // epochs
        ensure(count(c) < c.p.maxSubnets() + 1, NetworkError.MaxSubnets);
        ensure(!d.bootnodes().isEmpty(), NetworkError.BootnodesEmpty);
        ensure(d.bootnodes().size() <= MAX_BOOTNODES, NetworkError.TooManyBootnodes);
        for (Map.Entry<String, Bytes> b : d.bootnodes().entrySet()) {
            ensure(PeerRules.isValidPeerId(b.getKey()), NetworkError.InvalidBootnodePeerId);
            ensure(PeerRules.isValidMultiaddr(b.getValue().value()), NetworkError.InvalidMultiaddr);
        }
        ensure(
                d.minStake().compareTo(MIN_STAKE_FLOOR) >= 0 && d.minStake().compareTo(MIN_STAKE_CEIL) <= 0,
                NetworkError.InvalidSubnetMinStake);
        ensure(d.maxStake().compareTo(MAX_STAKE_CEIL) <= 0, NetworkError.InvalidSubnetMaxStake);
        ensure(d.maxStake().compareTo(d.minStake()) >= 0, NetworkError.InvalidSubnetStakeParameters);
        ensure(
                d.delegateStakePercentage().compareTo(MIN_DELEGATE_PCT) >= 0
                        && d.delegateStakePercentage().compareTo(MAX_DELEGATE_PCT) <= 0,
                NetworkError.InvalidDelegateStakePercentage);
        ensure(
                d.initialValidators().size() >= c.p.minSubnetNodes(),
                NetworkError.InvalidSubnetRegistrationInitialColdkeys);
        for (Map.Entry<Integer, Integer> e : d.initialValidators().entrySet()) {
            ensure(Store.VALIDATORS.contains(c.s, e.getKey()), NetworkError.InvalidValidatorId);
            ensure(e.getValue() != null && e.getValue() >= 1, NetworkError.InvalidSubnetRegistrationInitialColdkeys);
        }
        int slot = freeSlot(c);
        BigInteger cost = registrationCost(c);
        ensure(cost.compareTo(maxCost) <= 0, NetworkError.CostGreaterThanMaxCost);
        Accounts.debitKeepAlive(c, owner, cost, NetworkError.NotEnoughBalanceToRegisterSubnet);
        Accounts.credit(c, Ctx.TREASURY, cost);
        Store.LAST_REGISTRATION_COST.put(c.s, cost.multiply(BigInteger.TWO));
        Store.LAST_REGISTRATION_BLOCK.put(c.s, c.block);

        int id = Store.TOTAL_SUBNET_UIDS.get(c.s) + 1;
        Store.TOTAL_SUBNET_UIDS.put(c.s, id);
        Store.SUBNETS.put(
                c.s,
                id,
                new Subnet(
                        id,
                        slot - 2,
                        d.name(),
                        d.repo(),
                        d.description(),
                        d.misc(),
                        owner,
                        SubnetState.Registered,
                        c.epoch(),
                        0,
                        slot,
                        0));
        Store.SUBNET_PARAMS.put(
                c.s,
                id,
                new SubnetParams(
                        4,
                        1,
                        3,
                        2,
                        2,
                        64,
                        percent(10),
                        d.minStake(),
                        d.maxStake(),
                        d.delegateStakePercentage(),
                        c.block,
                        4,
                        List.of(),
                        Optional.empty()));
        Store.SUBNET_NAME.put(c.s, d.name(), id);
        Store.SUBNET_REPO.put(c.s, d.repo(), id);
        Store.SLOT_SUBNET.put(c.s, slot, id);
        Store.SUBNET_REPUTATION.put(c.s, id, U128.ONE_E18);
        Store.INITIAL_VALIDATORS.put(c.s, id, new TreeMap<>(d.initialValidators()));
        Store.BOOTNODES.put(c.s, id, new TreeMap<>(d.bootnodes()));
        c.emit(new Event.SubnetRegistered(owner, d.name(), id, cost));
    }

    static BigInteger reputation(Ctx c, int id) {
        BigInteger r = Store.SUBNET_REPUTATION.get(c.s, id);
        return r == null ? BigInteger.ZERO : r;
    }

    static void setReputation(Ctx c, int id, BigInteger r) {
        BigInteger prev = reputation(c, id);
        Store.SUBNET_REPUTATION.put(c.s, id, r);
        c.emit(new Event.SubnetReputationUpdate(id, prev, r));
    }

    /** Nodes at class >= Idle (the pallet's "active" nodes). */
    static int activeNodes(Ctx c, int id) {
        int[] n = {0};
        Store.NODES.forEachIn(c.s, id, (k, node) -> {
            if (node.nodeClass().compareTo(NodeClass.Idle) >= 0) n[0]++;
        });
        return n[0];
    }

    /** Validator-class nodes able to be elected in {@code epoch}. */
    static List<Integer> electable(Ctx c, int id, long epoch) {
        List<Integer> out = new ArrayList<>();
        Store.NODES.forEachIn(c.s, id, (k, node) -> {
            if (node.hasClass(NodeClass.Validator, epoch)) out.add(k);
        });
        out.sort(null);
        return out;
    }

    /** issuance * 0.1% * m * factor, m from 1.0 (<= 3 electable nodes) to 4.0 (>= 256), linear between. */
    static BigInteger minDelegateStake(Ctx c, int id) {
        if (c.p.minSubnetDelegateStakeFactor().signum() == 0) return BigInteger.ZERO;
        int n = electable(c, id, Long.MAX_VALUE).size();
        double m = n <= 3 ? 1.0 : n >= 256 ? 4.0 : 1.0 + 3.0 * (n - 3) / (256 - 3);
        BigInteger base = U128.percentMul(Store.TOTAL_ISSUANCE.get(c.s), U128.ONE_E18.divide(BigInteger.valueOf(1000)));
        return U128.percentMul(U128.percentMul(base, U128.fromRatio(m)), c.p.minSubnetDelegateStakeFactor());
    }

    static boolean inEnactment(Ctx c, Subnet s) {
        long e = c.epoch();
        long regEnd = s.registrationEpoch() + c.p.subnetRegistrationEpochs();
        return e >= regEnd && e < regEnd + c.p.subnetEnactmentEpochs();
    }

    static boolean pastEnactment(Ctx c, Subnet s) {
        return c.epoch() >= s.registrationEpoch() + c.p.subnetRegistrationEpochs() + c.p.subnetEnactmentEpochs();
    }

    static void activate(Ctx c, AccountId origin, int id) {
        Subnet s = owned(c, origin, id);
        ensure(s.state() == SubnetState.Registered, NetworkError.SubnetActivatedAlready);
        ensure(
                c.epoch() >= s.registrationEpoch() + c.p.minSubnetRegistrationEpochs(),
                NetworkError.MinSubnetRegistrationEpochsNotMet);
        Optional<SubnetRemovalReason> unmet = Optional.empty();
        if (reputation(c, id).compareTo(c.p.minSubnetReputation()) < 0)
            unmet = Optional.of(SubnetRemovalReason.MinReputation);
        else if (activeNodes(c, id) < c.p.minSubnetNodes()) unmet = Optional.of(SubnetRemovalReason.MinSubnetNodes);
        else if (Store.SUBNET_POOL.get(c.s, id).balance().compareTo(minDelegateStake(c, id)) < 0)
            unmet = Optional.of(SubnetRemovalReason.MinSubnetDelegateStake);
        if (unmet.isPresent()) {
            // Outside the registration phase a failed activation ends the subnet; inside it the owner may retry.
            if (inEnactment(c, s) || pastEnactment(c, s)) {
                remove(c, id, unmet.get());
                return;
            }
            throw fail(NetworkError.SubnetActivationConditionsNotMetYet);
        }
        Store.SUBNETS.put(
                c.s,
                id,
                new Subnet(
                        id,
                        s.friendlyId(),
                        s.name(),
                        s.repo(),
                        s.description(),
                        s.misc(),
                        s.owner(),
                        SubnetState.Active,
                        s.registrationEpoch(),
                        c.epoch() + 1,
                        s.slot(),
                        0));
        Store.INITIAL_VALIDATORS.remove(c.s, id);
        Store.INITIAL_REGISTRATIONS.removePrefix(c.s, id);
        Store.PREVIOUS_PAUSE_EPOCH.put(c.s, id, c.epoch());
        Store.PREV_ACTIVATION_EPOCH.put(c.s, c.epoch());
        // the initial validators' registrations are not demand: the burn rate starts from a clean count
        Store.REGISTRATIONS_THIS_EPOCH.remove(c.s, id);
        c.emit(new Event.SubnetActivated(id));
    }

    /** Deletes the subnet and its node maps; stakes and delegate pools stay, claimable by their owners. */
    static void remove(Ctx c, int id, SubnetRemovalReason reason) {
        Subnet s = Store.SUBNETS.get(c.s, id);
        if (s == null) return;
        List<Integer> nodeIds = new ArrayList<>();
        Store.NODES.forEachIn(c.s, id, (k, n) -> nodeIds.add(k));
        for (int nodeId : nodeIds) Nodes.removeNode(c, id, nodeId, false);
        Store.SUBNETS.remove(c.s, id);
        Store.SUBNET_PARAMS.remove(c.s, id);
        Store.SUBNET_NAME.remove(c.s, s.name());
        Store.SUBNET_REPO.remove(c.s, s.repo());
        Store.SLOT_SUBNET.remove(c.s, s.slot());
        Store.SUBNET_REPUTATION.remove(c.s, id);
        Store.REPUTATION_FACTORS.remove(c.s, id);
        Store.MIN_WEIGHT_THRESHOLD.remove(c.s, id);
        Store.PREVIOUS_PAUSE_EPOCH.remove(c.s, id);
        Store.INITIAL_VALIDATORS.remove(c.s, id);
        Store.INITIAL_REGISTRATIONS.removePrefix(c.s, id);
        Store.BOOTNODES.remove(c.s, id);
        Store.QUEUE.remove(c.s, id);
        Store.BURN_RATE.remove(c.s, id);
        Store.REGISTRATIONS_THIS_EPOCH.remove(c.s, id);
        Store.EMERGENCY_VALIDATORS.remove(c.s, id);
        Store.SUBNET_WEIGHT.remove(c.s, id);
        Store.NET_FLOW.remove(c.s, id);
        Store.PEER_ID_OWNER.removePrefix(c.s, id);
        Store.MULTIADDR_OWNER.removePrefix(c.s, id);
        Store.UNIQUE_OWNER.removePrefix(c.s, id);
        Store.OVERWATCH_PEER_IDS.removePrefix(c.s, id);
        List<Long> epochs = new ArrayList<>();
        Store.ELECTED.forEachIn(c.s, id, (e, n) -> epochs.add(e));
        Store.SUBMISSIONS.forEachIn(c.s, id, (e, n) -> epochs.add(e));
        for (long e : epochs) Consensus.forget(c, id, e);
        c.emit(new Event.SubnetDeactivated(id, reason));
    }

    // --- owner powers

    static void pause(Ctx c, AccountId origin, int id) {
        Subnet s = owned(c, origin, id);
        ensure(s.state() == SubnetState.Active, NetworkError.SubnetMustBeActive);
        ensure(
                Store.PREVIOUS_PAUSE_EPOCH.get(c.s, id) + Store.PAUSE_COOLDOWN_EPOCHS.get(c.s) <= c.epoch(),
                NetworkError.SubnetPauseCooldownActive);
        Store.SUBNETS.put(
                c.s,
                id,
                new Subnet(
                        id,
                        s.friendlyId(),
                        s.name(),
                        s.repo(),
                        s.description(),
                        s.misc(),
                        s.owner(),
                        SubnetState.Paused,
                        s.registrationEpoch(),
                        s.startEpoch(),
                        s.slot(),
                        c.epoch()));
        c.emit(new Event.SubnetPaused(id));
    }

    static void unpause(Ctx c, AccountId origin, int id) {
        Subnet s = owned(c, origin, id);
        ensure(s.state() == SubnetState.Paused, NetworkError.SubnetMustBePaused);
        long pauseLength = c.epoch() - s.pausedAtEpoch();
        // Pallet bug not copied: only THIS subnet's queued nodes are shifted by the pause length.
        for (int nodeId : Store.QUEUE.get(c.s, id)) {
            SubnetNode n = Store.NODES.get(c.s, id, nodeId);
            if (n != null && n.nodeClass() == NodeClass.Registered) {
                Store.NODES.put(
                        c.s,
                        id,
                        nodeId,
                        Nodes.withClass(
                                n, n.nodeClass(), n.classStartEpoch() + pauseLength, n.classificationCounter()));
            }
        }
        // As the pallet: the subnet restarts from the next epoch, so a pause and unpause before this epoch's weights
        // block
        // cannot keep its weight (nor, through a changed validator set, bend the epoch's attestation ratio).
        Store.SUBNETS.put(
                c.s,
                id,
                new Subnet(
                        id,
                        s.friendlyId(),
                        s.name(),
                        s.repo(),
                        s.description(),
                        s.misc(),
                        s.owner(),
                        SubnetState.Active,
                        s.registrationEpoch(),
                        c.epoch() + 1,
                        s.slot(),
                        0));
        Store.PREVIOUS_PAUSE_EPOCH.put(c.s, id, c.epoch());
        Store.EMERGENCY_VALIDATORS
                .find(c.s, id)
                .ifPresent(e -> Store.EMERGENCY_VALIDATORS.put(
                        c.s,
                        id,
                        new EmergencyValidatorSet(e.nodeIds(), c.epoch() + c.p.maxEmergencyValidatorEpochs())));
        c.emit(new Event.SubnetUnpaused(id));
    }

    static void updateInfo(Ctx c, AccountId origin, int id, Setting what, String value) {
        Subnet s = owned(c, origin, id);
        ensure(value.length() <= MAX_TEXT, NetworkError.InvalidValues);
        String name = s.name(), repo = s.repo(), description = s.description(), misc = s.misc();
        switch (what) {
            case NAME -> {
                ensure(!value.isBlank() && !Store.SUBNET_NAME.contains(c.s, value), NetworkError.SubnetNameExist);
                Store.SUBNET_NAME.remove(c.s, name);
                Store.SUBNET_NAME.put(c.s, value, id);
                name = value;
            }
            case REPO -> {
                ensure(!value.isBlank() && !Store.SUBNET_REPO.contains(c.s, value), NetworkError.SubnetRepoExist);
                Store.SUBNET_REPO.remove(c.s, repo);
                Store.SUBNET_REPO.put(c.s, value, id);
                repo = value;
            }
            case DESCRIPTION -> description = value;
            case MISC -> misc = value;
            default -> throw new IllegalArgumentException(what + " is not one of the subnet's texts");
        }
        Store.SUBNETS.put(
                c.s,
                id,
                new Subnet(
                        id,
                        s.friendlyId(),
                        name,
                        repo,
                        description,
                        misc,
                        s.owner(),
                        s.state(),
                        s.registrationEpoch(),
                        s.startEpoch(),
                        s.slot(),
                        s.pausedAtEpoch()));
        c.emit(new Event.SubnetOwnerUpdate(id, what));
    }

    interface ParamsEdit {
        SubnetParams apply(SubnetParams p);
    }

    static void updateParams(Ctx c, AccountId origin, int id, Setting what, ParamsEdit edit) {
        owned(c, origin, id);
        Store.SUBNET_PARAMS.put(c.s, id, edit.apply(params(c, id)));
        c.emit(new Event.SubnetOwnerUpdate(id, what));
    }

    private static void checkFactor(Optional<BigInteger> update, NetworkError error) {
        if (update.isEmpty()) return;
        BigInteger f = update.get();
        ensure(f.compareTo(U128.ONE_E18) <= 0, NetworkError.InvalidPercent);
        ensure(f.compareTo(percent(5)) >= 0 && f.compareTo(percent(50)) <= 0, error);
    }

    /** The pallet's MaxSubnetNodeMinWeightDecreaseReputationThreshold default: 10%. */
    static final BigInteger MAX_MIN_WEIGHT_THRESHOLD = percent(10);

    static void dispatchOwner(Ctx c, AccountId o, Call call) {
        switch (call) {
            case Call.OwnerUpdateChurnLimit x -> {
                ensure(x.value() >= 1 && x.value() <= 64, NetworkError.InvalidChurnLimit);
                updateParams(
                        c,
                        o,
                        x.subnetId(),
                        Setting.CHURN_LIMIT,
                        p -> p.toBuilder().churnLimit(x.value()).build());
            }
            case Call.OwnerUpdateRegistrationQueueEpochs x -> {
                ensure(x.value() >= 0 && x.value() <= 1000, NetworkError.InvalidRegistrationQueueEpochs);
                updateParams(
                        c,
                        o,
                        x.subnetId(),
                        Setting.QUEUE_EPOCHS,
                        p -> p.toBuilder().queueEpochs(x.value()).build());
            }
            case Call.OwnerUpdateIdleClassificationEpochs x -> {
                ensure(x.value() >= 1 && x.value() <= 1000, NetworkError.InvalidIdleClassificationEpochs);
                updateParams(
                        c,
                        o,
                        x.subnetId(),
                        Setting.IDLE_EPOCHS,
                        p -> p.toBuilder().idleClassificationEpochs(x.value()).build());
            }
            case Call.OwnerUpdateIncludedClassificationEpochs x -> {
                ensure(x.value() >= 1 && x.value() <= 1000, NetworkError.InvalidIncludedClassificationEpochs);
                updateParams(
                        c,
                        o,
                        x.subnetId(),
                        Setting.INCLUDED_EPOCHS,
                        p -> p.toBuilder()
                                .includedClassificationEpochs(x.value())
                                .build());
            }
            case Call.OwnerUpdateMaxRegisteredNodes x -> {
                ensure(x.value() >= 1 && x.value() <= c.p.maxSubnetNodes(), NetworkError.InvalidMaxRegisteredNodes);
                updateParams(
                        c,
                        o,
                        x.subnetId(),
                        Setting.MAX_REGISTERED_NODES,
                        p -> p.toBuilder().maxRegisteredNodes(x.value()).build());
            }
            case Call.OwnerUpdateMinSubnetNodeReputation x -> {
                ensure(
                        x.value().compareTo(percent(5)) >= 0 && x.value().compareTo(percent(50)) <= 0,
                        NetworkError.MinSubnetNodeReputation);
                updateParams(
                        c,
                        o,
                        x.subnetId(),
                        Setting.MIN_NODE_REPUTATION,
                        p -> p.toBuilder().minNodeReputation(x.value()).build());
            }
            case Call.OwnerUpdateMinMaxStake x -> {
                ensure(
                        x.minStake().compareTo(MIN_STAKE_FLOOR) >= 0
                                && x.minStake().compareTo(MIN_STAKE_CEIL) <= 0,
                        NetworkError.InvalidSubnetMinStake);
                ensure(x.maxStake().compareTo(MAX_STAKE_CEIL) <= 0, NetworkError.InvalidSubnetMaxStake);
                ensure(x.maxStake().compareTo(x.minStake()) >= 0, NetworkError.InvalidSubnetStakeParameters);
                updateParams(
                        c,
                        o,
                        x.subnetId(),
                        Setting.MIN_MAX_STAKE,
                        p -> p.toBuilder()
                                .minStake(x.minStake())
                                .maxStake(x.maxStake())
                                .build());
            }
            case Call.OwnerUpdateDelegateStakePercentage x -> {
                owned(c, o, x.subnetId());
                SubnetParams cur = params(c, x.subnetId());
                ensure(
                        x.value().compareTo(MIN_DELEGATE_PCT) >= 0 && x.value().compareTo(MAX_DELEGATE_PCT) <= 0,
                        NetworkError.InvalidDelegateStakePercentage);
                ensure(
                        c.block >= cur.lastDelegateStakePercentageUpdateBlock() + DELEGATE_PCT_UPDATE_PERIOD,
                        NetworkError.DelegateStakePercentageUpdateTooSoon);
                ensure(
                        x.value().subtract(cur.delegateStakePercentage()).abs().compareTo(MAX_DELEGATE_PCT_CHANGE) <= 0,
                        NetworkError.DelegateStakePercentageAbsDiffTooLarge);
                updateParams(
                        c,
                        o,
                        x.subnetId(),
                        Setting.DELEGATE_STAKE_PERCENTAGE,
                        p -> p.toBuilder()
                                .delegateStakePercentage(x.value())
                                .lastDelegateStakePercentageUpdateBlock(c.block)
                                .build());
            }
            case Call.OwnerUpdateTargetNodeRegistrationsPerEpoch x -> {
                ensure(x.value() >= 1 && x.value() <= 256, NetworkError.InvalidTargetNodeRegistrationsPerEpoch);
                updateParams(
                        c,
                        o,
                        x.subnetId(),
                        Setting.TARGET_REGISTRATIONS,
                        p -> p.toBuilder()
                                .targetNodeRegistrationsPerEpoch(x.value())
                                .build());
            }
            case Call.OwnerAddBootnodeAccess x -> {
                owned(c, o, x.subnetId());
                List<AccountId> access = new ArrayList<>(params(c, x.subnetId()).bootnodeAccess());
                ensure(!access.contains(x.account()), NetworkError.InBootnodeAccessList);
                ensure(access.size() < MAX_BOOTNODE_ACCESS, NetworkError.MaxSubnetBootnodeAccess);
                access.add(x.account());
                access.sort(null);
                updateParams(
                        c,
                        o,
                        x.subnetId(),
                        Setting.BOOTNODE_ACCESS,
                        p -> p.toBuilder().bootnodeAccess(access).build());
            }
            case Call.OwnerRemoveBootnodeAccess x -> {
                owned(c, o, x.subnetId());
                List<AccountId> access = new ArrayList<>(params(c, x.subnetId()).bootnodeAccess());
                ensure(access.remove(x.account()), NetworkError.NotInAccessList);
                updateParams(
                        c,
                        o,
                        x.subnetId(),
                        Setting.BOOTNODE_ACCESS,
                        p -> p.toBuilder().bootnodeAccess(access).build());
            }
            case Call.TransferSubnetOwnership x -> {
                owned(c, o, x.subnetId());
                updateParams(
                        c,
                        o,
                        x.subnetId(),
                        Setting.PENDING_OWNER,
                        p -> p.toBuilder()
                                .pendingOwner(Optional.of(x.newOwner()))
                                .build());
                c.emit(new Event.TransferPendingSubnetOwner(x.subnetId(), x.newOwner()));
            }
            case Call.AcceptSubnetOwnership x -> {
                Subnet s = get(c, x.subnetId());
                SubnetParams p = params(c, x.subnetId());
                ensure(p.pendingOwner().isPresent(), NetworkError.NoPendingSubnetOwner);
                ensure(p.pendingOwner().get().equals(o), NetworkError.NotPendingSubnetOwner);
                Store.SUBNET_PARAMS.put(
                        c.s,
                        x.subnetId(),
                        p.toBuilder().pendingOwner(Optional.empty()).build());
                Store.SUBNETS.put(
                        c.s,
                        x.subnetId(),
                        new Subnet(
                                s.id(),
                                s.friendlyId(),
                                s.name(),
                                s.repo(),
                                s.description(),
                                s.misc(),
                                o,
                                s.state(),
                                s.registrationEpoch(),
                                s.startEpoch(),
                                s.slot(),
                                s.pausedAtEpoch()));
                c.emit(new Event.SubnetOwnerUpdate(x.subnetId(), Setting.OWNER));
            }
            case Call.UpdateBootnodes x -> {
                Subnet s = get(c, x.subnetId());
                ensure(
                        s.owner().equals(o)
                                || params(c, x.subnetId()).bootnodeAccess().contains(o),
                        NetworkError.InvalidAccess);
                TreeMap<String, Bytes> boot = new TreeMap<>(Store.BOOTNODES.get(c.s, x.subnetId()));
                for (String r : x.remove()) boot.remove(r);
                for (Map.Entry<String, Bytes> e : x.add().entrySet()) {
                    ensure(PeerRules.isValidPeerId(e.getKey()), NetworkError.InvalidBootnodePeerId);
                    ensure(PeerRules.isValidMultiaddr(e.getValue().value()), NetworkError.InvalidMultiaddr);
                    boot.put(e.getKey(), e.getValue());
                }
                ensure(boot.size() <= MAX_BOOTNODES, NetworkError.TooManyBootnodes);
                Store.BOOTNODES.put(c.s, x.subnetId(), boot);
                c.emit(new Event.BootnodesUpdated(x.subnetId()));
            }
            case Call.OwnerSetEmergencyValidatorSet x -> {
                Subnet s = owned(c, o, x.subnetId());
                ensure(s.state() == SubnetState.Paused, NetworkError.SubnetMustBePaused);
                ensure(
                        !x.subnetNodeIds().isEmpty() && x.subnetNodeIds().size() <= 64,
                        NetworkError.InvalidEmergencySubnetNodeId);
                List<Integer> ids = new ArrayList<>(new java.util.TreeSet<>(x.subnetNodeIds()));
                // only Validator-class nodes may be elected or attest (CHAIN.md); the pallet keeps only those too
                long subnetEpoch = c.subnetEpoch(s.slot());
                for (int n : ids) {
                    ensure(
                            Store.NODES
                                    .find(c.s, x.subnetId(), n)
                                    .map(node -> node.hasClass(NodeClass.Validator, subnetEpoch))
                                    .orElse(false),
                            NetworkError.InvalidEmergencySubnetNodeId);
                }
                Store.EMERGENCY_VALIDATORS.put(c.s, x.subnetId(), new EmergencyValidatorSet(ids, Long.MAX_VALUE));
                c.emit(new Event.EmergencyValidatorSetUpdated(x.subnetId(), ids.size()));
            }
            case Call.OwnerRevertEmergencyValidatorSet x -> {
                owned(c, o, x.subnetId());
                ensure(
                        Store.EMERGENCY_VALIDATORS.contains(c.s, x.subnetId()),
                        NetworkError.InvalidEmergencySubnetNodeId);
                Store.EMERGENCY_VALIDATORS.remove(c.s, x.subnetId());
                c.emit(new Event.EmergencyValidatorSetUpdated(x.subnetId(), 0));
            }
            case Call.OwnerUpdateReputationFactors x -> {
                Subnet s = owned(c, o, x.subnetId());
                Model.ReputationFactorUpdates u = x.updates();
                ensure(u.hasUpdate(), NetworkError.InvalidValues);
                if (u.requiresNoEmergencyValidators())
                    ensure(
                            !Store.EMERGENCY_VALIDATORS.contains(c.s, x.subnetId()),
                            NetworkError.EmergencyValidatorsSet);
                checkFactor(u.absentDecrease(), NetworkError.InvalidAbsentDecreaseReputationFactor);
                checkFactor(u.includedIncrease(), NetworkError.InvalidIncludedIncreaseReputationFactor);
                checkFactor(u.belowMinWeightDecrease(), NetworkError.InvalidBelowMinWeightDecreaseReputationFactor);
                checkFactor(u.nonAttestorDecrease(), NetworkError.InvalidNonAttestorDecreaseReputationFactor);
                checkFactor(
                        u.nonConsensusAttestorDecrease(),
                        NetworkError.InvalidNonConsensusAttestorDecreaseReputationFactor);
                checkFactor(
                        u.validatorAbsentDecrease(), NetworkError.InvalidNonValidatorAbsentDecreaseReputationFactor);
                checkFactor(
                        u.validatorNonConsensusDecrease(),
                        NetworkError.InvalidValidatorNonConsensusSubnetNodeReputationFactor);
                long e = c.subnetEpoch(s.slot());
                Model.ReputationFactorSchedule sched = Store.REPUTATION_FACTORS.get(c.s, x.subnetId());
                // a pending update already in force becomes current; one not yet in force is the base the new fields
                // apply to
                Model.ReputationFactors current = sched.forEpoch(e);
                Model.ReputationFactors base = sched.pending().isPresent() && e < sched.pendingFromSubnetEpoch()
                        ? sched.pending().get()
                        : current;
                Store.REPUTATION_FACTORS.put(
                        c.s,
                        x.subnetId(),
                        new Model.ReputationFactorSchedule(current, Optional.of(u.applyTo(base)), e + 1));
                c.emit(new Event.SubnetOwnerUpdate(x.subnetId(), Setting.REPUTATION_FACTORS));
            }
            case Call.OwnerUpdateSubnetNodeMinWeightDecreaseReputationThreshold x -> {
                owned(c, o, x.subnetId());
                ensure(x.value().compareTo(MAX_MIN_WEIGHT_THRESHOLD) <= 0, NetworkError.InvalidPercent);
                Store.MIN_WEIGHT_THRESHOLD.put(c.s, x.subnetId(), x.value());
                c.emit(new Event.SubnetOwnerUpdate(x.subnetId(), Setting.MIN_WEIGHT_DECREASE_REPUTATION_THRESHOLD));
            }
            case Call.OwnerAddOrUpdateInitialValidators x -> {
                Subnet s = owned(c, o, x.subnetId());
                ensure(s.state() == SubnetState.Registered, NetworkError.SubnetMustBeRegistering);
                ensure(!x.validators().isEmpty(), NetworkError.InvalidValues);
                for (Map.Entry<Integer, Integer> e : x.validators().entrySet()) {
                    ensure(
                            e.getKey() != null && e.getValue() != null && e.getValue() >= 1,
                            NetworkError.InvalidSubnetRegistrationInitialColdkeys);
                }
                Map<Integer, Integer> current = Store.INITIAL_VALIDATORS.get(c.s, x.subnetId());
                TreeMap<Integer, Integer> next = new TreeMap<>(current == null ? Map.of() : current);
                next.putAll(x.validators());
                // bounded like the registration's own list, so the whitelist never outgrows a subnet
                ensure(next.size() <= c.p.maxSubnetNodes(), NetworkError.InvalidSubnetRegistrationInitialColdkeys);
                Store.INITIAL_VALIDATORS.put(c.s, x.subnetId(), next);
                c.emit(new Event.SubnetOwnerUpdate(x.subnetId(), Setting.INITIAL_VALIDATORS));
            }
            case Call.OwnerRemoveInitialValidators x -> {
                Subnet s = owned(c, o, x.subnetId());
                ensure(s.state() == SubnetState.Registered, NetworkError.SubnetMustBeRegistering);
                Map<Integer, Integer> current = Store.INITIAL_VALIDATORS.get(c.s, x.subnetId());
                TreeMap<Integer, Integer> next = new TreeMap<>(current == null ? Map.of() : current);
                for (Integer v : x.validatorIds()) next.remove(v);
                // Pallet quirk not copied: the pallet deletes an emptied whitelist, which opens registration to every
                // validator; an empty whitelist here admits nobody until the owner adds validators again.
                Store.INITIAL_VALIDATORS.put(c.s, x.subnetId(), next);
                c.emit(new Event.SubnetOwnerUpdate(x.subnetId(), Setting.INITIAL_VALIDATORS));
            }
            default -> throw new IllegalArgumentException("not an owner call: " + call);
        }
    }
}
