package dev.hyperj.chain.runtime;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Model.Subnet;
import dev.hyperj.chain.runtime.Model.SubnetRemovalReason;
import dev.hyperj.chain.storage.ChangeSet;
import dev.hyperj.chain.storage.Overlay;
import dev.hyperj.chain.storage.StateRoot;
import dev.hyperj.chain.storage.StateView;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The network runtime: a pure function from (state, block number, parent hash, author, signed calls)
 * to (writes, state root, events, call results). No clocks, sockets, disks or threads.
 */
public final class Runtime {
    private Runtime() {}

    /** The writes that build the genesis state (block 0). */
    public static ChangeSet genesis(GenesisConfig g) {
        Overlay s = new Overlay(new dev.hyperj.chain.storage.MemoryBackend());
        NetworkParams p = g.params();
        if (p.epochLength() < 4 || p.epochLength() > 10_000)
            throw new IllegalArgumentException("EpochLength must be in [4, 10000]: " + p.epochLength());
        Store.PARAMS.put(s, p);
        Store.BLOCK_NUMBER.put(s, 0L);
        BigInteger total = BigInteger.ZERO;
        for (GenesisConfig.Balance b : g.balances()) {
            if (b.free().compareTo(p.existentialDeposit()) < 0)
                throw new IllegalArgumentException("genesis balance under the existential deposit: " + b);
            Store.ACCOUNT.put(s, b.account(), U128.add(Store.ACCOUNT.get(s, b.account()), b.free()));
            total = U128.add(total, b.free());
        }
        Store.TOTAL_ISSUANCE.put(s, total);
        Store.GENESIS_ISSUANCE.put(s, total);
        Store.LAST_REGISTRATION_COST.put(s, p.initialRegistrationCost());
        for (AccountId a : g.overwatchWhitelist()) Store.OVERWATCH_WHITELIST.put(s, a, true);
        // stored only when not the defaults, so that the genesis state of a default chain is unchanged
        if (!g.overwatchQualification().equals(GenesisConfig.OverwatchQualification.DEFAULTS))
            Store.OVERWATCH_QUALIFICATION.put(s, g.overwatchQualification());
        return s.changes();
    }

    /** Runs block {@code blockNumber} (must follow the state's block) over {@code state}; the caller applies {@link BlockResult#changes()}. */
    public static BlockResult executeBlock(
            StateView state, long blockNumber, byte[] parentHash, AccountId author, List<SignedCall> calls) {
        Overlay blockOverlay = new Overlay(state);
        NetworkParams p = Store.PARAMS.get(blockOverlay);
        if (p == null) throw new IllegalStateException("state has no genesis");
        long previous = Store.BLOCK_NUMBER.get(blockOverlay);
        if (blockNumber != previous + 1)
            throw new IllegalArgumentException("block " + blockNumber + " does not follow block " + previous);
        Ctx c = new Ctx(blockOverlay, blockNumber, parentHash.clone(), p);
        Store.BLOCK_NUMBER.put(blockOverlay, blockNumber);
        onInitialize(c, author);
        List<CallResult> results = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) results.add(apply(c, blockOverlay, i, calls.get(i)));
        return new BlockResult(blockNumber, StateRoot.compute(blockOverlay), blockOverlay.changes(), c.events, results);
    }

    /** Block hooks in precedence order (first that matches wins), then the swap queue and the author reward. */
    static void onInitialize(Ctx c, AccountId author) {
        long b = c.block;
        int el = c.p.epochLength();
        long owLen = (long) el * c.p.overwatchEpochLengthMultiplier();
        if (b % el == 0) {
            if (b >= el) Emissions.epochPreliminaries(c);
        } else if ((b - 1) % owLen == 0) {
            Overwatch.score(c);
        } else if ((b - 2) % el == 0) {
            Emissions.computeWeights(c);
        } else {
            int slot = (int) (b % el);
            Optional<Integer> sid = Store.SLOT_SUBNET.find(c.s, slot);
            if (sid.isPresent()) {
                Subnet s = Store.SUBNETS.get(c.s, sid.get());
                if (s != null) Consensus.emissionStep(c, s);
            }
        }
        Staking.executeSwaps(c);
        Emissions.authorReward(c, author);
    }

    private static CallResult apply(Ctx c, Overlay blockOverlay, int index, SignedCall sc) {
        Overlay callOverlay = blockOverlay.child();
        int mark = c.events.size();
        c.s = callOverlay;
        Optional<NetworkError> error = Optional.empty();
        try {
            if (sc == null || sc.origin() == null || sc.call() == null) throw new DispatchError(NetworkError.BadOrigin);
            dispatch(c, sc.origin(), sc.call());
            callOverlay.commit();
        } catch (DispatchError e) {
            error = Optional.of(e.error);
        } catch (ArithmeticException e) {
            error = Optional.of(NetworkError.Arithmetic);
        } catch (NullPointerException e) {
            // a call record built in Java with a null field (SCALE-decoded calls never have one)
            error = Optional.of(NetworkError.InvalidValues);
        } finally {
            c.s = blockOverlay;
        }
        List<Event> events = new ArrayList<>(c.events.subList(mark, c.events.size()));
        if (error.isPresent()) c.events.subList(mark, c.events.size()).clear();
        return new CallResult(index, error, error.isPresent() ? List.of() : events);
    }

    private static void ensureSudo(Ctx c, AccountId origin) {
        Ctx.ensure(c.p.sudo().isPresent() && c.p.sudo().get().equals(origin), NetworkError.BadOrigin);
    }

    static void dispatch(Ctx c, AccountId o, Call call) {
        switch (call) {
            case Call.Transfer x -> Accounts.transfer(c, o, x.dest(), x.amount());
            case Call.RegisterValidator x -> Validators.register(c, o, x);
            case Call.UpdateValidatorColdkey x -> Validators.updateColdkey(c, o, x.validatorId(), x.newColdkey());
            case Call.UpdateValidatorHotkey x -> Validators.updateHotkey(c, o, x.validatorId(), x.newHotkey());
            case Call.UpdateValidatorDelegateRewardRate x ->
                Validators.updateRewardRate(c, o, x.validatorId(), x.newRate());
            case Call.UpdateValidatorDelegateAccount x ->
                Validators.updateDelegateAccount(c, o, x.validatorId(), x.delegateAccount());
            case Call.UpdateValidatorIdentity x -> Validators.updateIdentity(c, o, x.validatorId(), x.identity());
            case Call.RegisterSubnet x -> Subnets.register(c, o, x.maxCost(), x.data());
            case Call.ActivateSubnet x -> Subnets.activate(c, o, x.subnetId());
            case Call.OwnerPauseSubnet x -> Subnets.pause(c, o, x.subnetId());
            case Call.OwnerUnpauseSubnet x -> Subnets.unpause(c, o, x.subnetId());
            case Call.OwnerDeactivateSubnet x -> {
                Subnets.owned(c, o, x.subnetId());
                Subnets.remove(c, x.subnetId(), SubnetRemovalReason.Owner);
            }
            case Call.OwnerUpdateName x ->
                Subnets.updateInfo(c, o, x.subnetId(), Event.SubnetOwnerUpdate.Setting.NAME, x.value());
            case Call.OwnerUpdateRepo x ->
                Subnets.updateInfo(c, o, x.subnetId(), Event.SubnetOwnerUpdate.Setting.REPO, x.value());
            case Call.OwnerUpdateDescription x ->
                Subnets.updateInfo(c, o, x.subnetId(), Event.SubnetOwnerUpdate.Setting.DESCRIPTION, x.value());
            case Call.OwnerUpdateMisc x ->
                Subnets.updateInfo(c, o, x.subnetId(), Event.SubnetOwnerUpdate.Setting.MISC, x.value());
            case Call.OwnerUpdateChurnLimit x -> Subnets.dispatchOwner(c, o, x);
            case Call.OwnerUpdateRegistrationQueueEpochs x -> Subnets.dispatchOwner(c, o, x);
            case Call.OwnerUpdateIdleClassificationEpochs x -> Subnets.dispatchOwner(c, o, x);
            case Call.OwnerUpdateIncludedClassificationEpochs x -> Subnets.dispatchOwner(c, o, x);
            case Call.OwnerUpdateMaxRegisteredNodes x -> Subnets.dispatchOwner(c, o, x);
            case Call.OwnerUpdateMinSubnetNodeReputation x -> Subnets.dispatchOwner(c, o, x);
            case Call.OwnerUpdateMinMaxStake x -> Subnets.dispatchOwner(c, o, x);
            case Call.OwnerUpdateDelegateStakePercentage x -> Subnets.dispatchOwner(c, o, x);
            case Call.OwnerUpdateTargetNodeRegistrationsPerEpoch x -> Subnets.dispatchOwner(c, o, x);
            case Call.OwnerAddBootnodeAccess x -> Subnets.dispatchOwner(c, o, x);
            case Call.OwnerRemoveBootnodeAccess x -> Subnets.dispatchOwner(c, o, x);
            case Call.UpdateBootnodes x -> Subnets.dispatchOwner(c, o, x);
            case Call.TransferSubnetOwnership x -> Subnets.dispatchOwner(c, o, x);
            case Call.AcceptSubnetOwnership x -> Subnets.dispatchOwner(c, o, x);
            case Call.OwnerSetEmergencyValidatorSet x -> Subnets.dispatchOwner(c, o, x);
            case Call.OwnerRevertEmergencyValidatorSet x -> Subnets.dispatchOwner(c, o, x);
            case Call.OwnerUpdateReputationFactors x -> Subnets.dispatchOwner(c, o, x);
            case Call.RegisterSubnetNode x -> Nodes.register(c, o, x);
            case Call.UpdateNodeHotkey x -> Nodes.updateHotkey(c, o, x);
            case Call.UpdateNodePeerInfo x ->
                Nodes.updatePeerInfo(c, o, x.subnetId(), x.subnetNodeId(), "peer_info", Optional.of(x.peerInfo()));
            case Call.UpdateNodeBootnodePeerInfo x ->
                Nodes.updatePeerInfo(c, o, x.subnetId(), x.subnetNodeId(), "bootnode", x.peerInfo());
            case Call.UpdateNodeClientPeerInfo x ->
                Nodes.updatePeerInfo(c, o, x.subnetId(), x.subnetNodeId(), "client", x.peerInfo());
            case Call.UpdateNodeUnique x -> Nodes.updateUnique(c, o, x.subnetId(), x.subnetNodeId(), x.unique(), true);
            case Call.UpdateNodeNonUnique x ->
                Nodes.updateUnique(c, o, x.subnetId(), x.subnetNodeId(), x.nonUnique(), false);
            case Call.RemoveSubnetNode x -> Nodes.removeByOwner(c, o, x.subnetId(), x.subnetNodeId());
            case Call.AddNodeStake x -> Staking.addNodeStake(c, o, x.subnetId(), x.subnetNodeId(), x.amount());
            case Call.RemoveNodeStake x -> Staking.removeNodeStake(c, o, x.subnetId(), x.subnetNodeId(), x.amount());
            case Call.ClaimUnbondings x -> Accounts.claimUnbondings(c, o);
            case Call.AddDelegateStake x -> Staking.addDelegate(c, o, Staking.subnetPool(x.subnetId()), x.amount());
            case Call.RemoveDelegateStake x ->
                Staking.removeDelegate(c, o, Staking.subnetPool(x.subnetId()), x.shares());
            case Call.TransferDelegateStake x ->
                Staking.transferShares(c, o, Staking.subnetPool(x.subnetId()), x.to(), x.shares());
            case Call.DonateDelegateStake x -> Staking.donate(c, o, Staking.subnetPool(x.subnetId()), x.amount());
            case Call.SwapFromSubnetToSubnet x ->
                Staking.swap(
                        c, o, Staking.subnetPool(x.fromSubnetId()), Staking.subnetPool(x.toSubnetId()), x.shares());
            case Call.AddValidatorDelegateStake x ->
                Staking.addDelegate(c, o, Staking.validatorPool(x.validatorId()), x.amount());
            case Call.RemoveValidatorDelegateStake x ->
                Staking.removeDelegate(c, o, Staking.validatorPool(x.validatorId()), x.shares());
            case Call.TransferValidatorDelegateStake x ->
                Staking.transferShares(c, o, Staking.validatorPool(x.validatorId()), x.to(), x.shares());
            case Call.DonateValidatorDelegateStake x ->
                Staking.donate(c, o, Staking.validatorPool(x.validatorId()), x.amount());
            case Call.SwapFromValidatorToValidator x ->
                Staking.swap(
                        c,
                        o,
                        Staking.validatorPool(x.fromValidatorId()),
                        Staking.validatorPool(x.toValidatorId()),
                        x.shares());
            case Call.SwapFromValidatorToSubnet x ->
                Staking.swap(
                        c,
                        o,
                        Staking.validatorPool(x.fromValidatorId()),
                        Staking.subnetPool(x.toSubnetId()),
                        x.shares());
            case Call.SwapFromSubnetToValidator x ->
                Staking.swap(
                        c,
                        o,
                        Staking.subnetPool(x.fromSubnetId()),
                        Staking.validatorPool(x.toValidatorId()),
                        x.shares());
            case Call.ProposeAttestation x -> Consensus.propose(c, o, x);
            case Call.Attest x -> Consensus.attest(c, o, x);
            case Call.RegisterOverwatchNode x -> Overwatch.register(c, o, x);
            case Call.RemoveOverwatchNode x -> Overwatch.remove(c, o, x.overwatchNodeId());
            case Call.SetOverwatchNodePeerId x -> Overwatch.setPeerId(c, o, x);
            case Call.CommitOverwatchSubnetWeights x -> Overwatch.commit(c, o, x);
            case Call.RevealOverwatchSubnetWeights x -> Overwatch.reveal(c, o, x);
            case Call.AddOverwatchNodeStake x -> Overwatch.addStake(c, o, x.overwatchNodeId(), x.amount());
            case Call.RemoveOverwatchNodeStake x -> Overwatch.removeStake(c, o, x.overwatchNodeId(), x.amount());
            case Call.CollectiveRemoveSubnet x -> {
                ensureSudo(c, o);
                Subnets.get(c, x.subnetId());
                Subnets.remove(c, x.subnetId(), SubnetRemovalReason.Council);
            }
            case Call.CollectiveRemoveSubnetNode x -> {
                ensureSudo(c, o);
                Nodes.get(c, x.subnetId(), x.subnetNodeId());
                Nodes.removeNode(c, x.subnetId(), x.subnetNodeId(), true);
            }
            case Call.OwnerUpdateSubnetNodeMinWeightDecreaseReputationThreshold x -> Subnets.dispatchOwner(c, o, x);
            case Call.OwnerAddOrUpdateInitialValidators x -> Subnets.dispatchOwner(c, o, x);
            case Call.OwnerRemoveInitialValidators x -> Subnets.dispatchOwner(c, o, x);
            case Call.CollectiveSetSubnetPauseCooldownEpochs x -> {
                ensureSudo(c, o);
                Ctx.ensure(x.value() >= 0, NetworkError.InvalidValues);
                Store.PAUSE_COOLDOWN_EPOCHS.put(c.s, x.value());
                c.emit(new Event.SetSubnetPauseCooldownEpochs(x.value()));
            }
            case Call.CollectiveSetMaxSubnets x -> {
                ensureSudo(c, o);
                // every subnet needs a slot: at most EpochLength minus the 3 designated blocks
                Ctx.ensure(x.value() >= 0 && x.value() <= c.p.epochLength() - 3, NetworkError.InvalidMaxSubnets);
                NetworkParams next = c.p.withMaxSubnets(x.value());
                Store.PARAMS.put(c.s, next);
                c.p = next; // the rest of this block sees the new value too
                c.emit(new Event.SetMaxSubnets(x.value()));
            }
            case Call.CollectiveSetColdkeyOverwatchNodeEligibility x -> {
                ensureSudo(c, o);
                if (x.eligible()) Store.OVERWATCH_WHITELIST.put(c.s, x.coldkey(), true);
                else Store.OVERWATCH_WHITELIST.remove(c.s, x.coldkey());
                c.emit(new Event.OverwatchEligibility(x.coldkey(), x.eligible()));
            }
        }
    }
}
