package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.runtime.Ctx.ensure;
import static dev.hyperj.chain.runtime.Ctx.fail;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.NodeStake;
import dev.hyperj.chain.runtime.Model.PeerInfo;
import dev.hyperj.chain.runtime.Model.Subnet;
import dev.hyperj.chain.runtime.Model.SubnetNode;
import dev.hyperj.chain.runtime.Model.SubnetParams;
import dev.hyperj.chain.runtime.Model.SubnetState;
import dev.hyperj.chain.runtime.Model.Validator;
import dev.hyperj.p2p.bytes.Bytes;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Subnet nodes: registration with burn and stake, peer-info rules, queue, classes, updates, removal. */
final class Nodes {
    private Nodes() {}

    static final int MAX_PARAM = 1024;

    static SubnetNode withClass(SubnetNode n, NodeClass cls, long start, int counter) {
        return new SubnetNode(
                n.id(),
                n.validatorId(),
                n.hotkey(),
                n.peerInfo(),
                n.bootnodePeerInfo(),
                n.clientPeerInfo(),
                cls,
                start,
                n.unique(),
                n.nonUnique(),
                n.reputation(),
                counter);
    }

    static SubnetNode withReputation(SubnetNode n, BigInteger r) {
        return new SubnetNode(
                n.id(),
                n.validatorId(),
                n.hotkey(),
                n.peerInfo(),
                n.bootnodePeerInfo(),
                n.clientPeerInfo(),
                n.nodeClass(),
                n.classStartEpoch(),
                n.unique(),
                n.nonUnique(),
                r,
                n.classificationCounter());
    }

    static SubnetNode get(Ctx c, int subnetId, int nodeId) {
        return Store.NODES.find(c.s, subnetId, nodeId).orElseThrow(() -> fail(NetworkError.InvalidSubnetNodeId));
    }

    /** The node, checked to belong to the validator whose coldkey signed. */
    static SubnetNode owned(Ctx c, AccountId origin, int subnetId, int nodeId) {
        Subnets.get(c, subnetId);
        SubnetNode n = get(c, subnetId, nodeId);
        ensure(Validators.get(c, n.validatorId()).coldkey().equals(origin), NetworkError.NotKeyOwner);
        return n;
    }

    /** The key that signs for a node: its own hotkey, else its validator's hotkey. */
    static AccountId signingKey(Ctx c, SubnetNode n) {
        return n.hotkey().orElseGet(() -> Validators.get(c, n.validatorId()).hotkey());
    }

    private static void claimPeerId(
            Ctx c, int subnetId, int nodeId, String peerId, NetworkError invalid, NetworkError taken) {
        ensure(PeerRules.isValidPeerId(peerId), invalid);
        Optional<Integer> owner = Store.PEER_ID_OWNER.find(c.s, subnetId, peerId);
        ensure(owner.isEmpty(), taken);
        Store.PEER_ID_OWNER.put(c.s, subnetId, peerId, nodeId);
    }

    private static void claimPeerInfo(
            Ctx c, int subnetId, int nodeId, PeerInfo info, NetworkError invalid, NetworkError taken) {
        claimPeerId(c, subnetId, nodeId, info.peerId(), invalid, taken);
        if (info.multiaddr().isPresent()) {
            Bytes ma = info.multiaddr().get();
            ensure(PeerRules.isValidMultiaddr(ma.value()), NetworkError.InvalidMultiaddr);
            ensure(!Store.MULTIADDR_OWNER.contains(c.s, subnetId, ma), NetworkError.MultiaddrExist);
            Store.MULTIADDR_OWNER.put(c.s, subnetId, ma, nodeId);
        }
    }

    private static void releasePeerInfo(Ctx c, int subnetId, Optional<PeerInfo> info) {
        info.ifPresent(i -> {
            Store.PEER_ID_OWNER.remove(c.s, subnetId, i.peerId());
            i.multiaddr().ifPresent(m -> Store.MULTIADDR_OWNER.remove(c.s, subnetId, m));
        });
    }

    static void register(Ctx c, AccountId origin, Call.RegisterSubnetNode r) {
        Validator v = Validators.owned(c, origin, r.validatorId());
        Subnet s = Subnets.get(c, r.subnetId());
        ensure(s.state() != SubnetState.Paused, NetworkError.SubnetIsPaused);
        ensure(
                !(s.state() == SubnetState.Registered && (Subnets.inEnactment(c, s) || Subnets.pastEnactment(c, s))),
                NetworkError.SubnetMustBeRegisteringOrActivated);
        SubnetParams sp = Subnets.params(c, r.subnetId());
        Map<Integer, Integer> whitelist = Store.INITIAL_VALIDATORS.get(c.s, r.subnetId());
        if (whitelist != null) {
            Integer allowed = whitelist.get(r.validatorId());
            ensure(allowed != null, NetworkError.NotInitialValidatorRegistrationWhitelist);
            ensure(
                    Store.INITIAL_REGISTRATIONS.get(c.s, r.subnetId(), r.validatorId()) < allowed,
                    NetworkError.NotInitialValidatorRegistrationWhitelist);
        }
        List<Integer> queue = Store.QUEUE.get(c.s, r.subnetId());
        // Pallet bug not copied: the pallet's `>` check let max+1 nodes into the queue.
        ensure(queue.size() < sp.maxRegisteredNodes(), NetworkError.MaxRegisteredNodes);
        if (s.state() == SubnetState.Registered)
            ensure(Subnets.activeNodes(c, r.subnetId()) < c.p.maxSubnetNodes(), NetworkError.MaxSubnetNodes);
        if (r.hotkey().isPresent()) {
            AccountId hk = r.hotkey().get();
            ensure(!hk.equals(origin), NetworkError.ColdkeyMatchesHotkey);
            ensure(!Validators.keyInUse(c, hk), NetworkError.HotkeyHasOwner);
        }
        // every peer id of the node must differ from the others
        List<String> ids = new ArrayList<>();
        ids.add(r.peerInfo().peerId());
        r.bootnodePeerInfo().ifPresent(b -> ids.add(b.peerId()));
        r.clientPeerInfo().ifPresent(b -> ids.add(b.peerId()));
        ensure(ids.stream().distinct().count() == ids.size(), NetworkError.PeerIdsMustBeUnique);
        ensure(
                r.unique().map(Bytes::length).orElse(0) <= MAX_PARAM
                        && r.nonUnique().map(Bytes::length).orElse(0) <= MAX_PARAM,
                NetworkError.InvalidValues);

        BigInteger burn = U128.percentMul(c.p.baseNodeBurnAmount(), Store.BURN_RATE.get(c.s, r.subnetId()));
        ensure(burn.compareTo(r.maxBurnAmount()) <= 0, NetworkError.MaxBurnAmountExceeded);
        ensure(r.stakeToBeAdded().compareTo(sp.minStake()) >= 0, NetworkError.MinStakeNotReached);
        ensure(r.stakeToBeAdded().compareTo(sp.maxStake()) <= 0, NetworkError.MaxStakeReached);
        Accounts.debitKeepAlive(c, origin, burn.add(r.stakeToBeAdded()), NetworkError.NotEnoughBalanceToStake);
        Accounts.noteBurned(c, origin, burn);

        int nodeId = Store.TOTAL_NODE_UIDS.get(c.s) + 1;
        Store.TOTAL_NODE_UIDS.put(c.s, nodeId);
        claimPeerInfo(c, r.subnetId(), nodeId, r.peerInfo(), NetworkError.InvalidPeerId, NetworkError.PeerIdExist);
        if (r.bootnodePeerInfo().isPresent())
            claimPeerInfo(
                    c,
                    r.subnetId(),
                    nodeId,
                    r.bootnodePeerInfo().get(),
                    NetworkError.InvalidBootnodePeerId,
                    NetworkError.BootnodePeerIdExist);
        if (r.clientPeerInfo().isPresent())
            claimPeerInfo(
                    c,
                    r.subnetId(),
                    nodeId,
                    r.clientPeerInfo().get(),
                    NetworkError.InvalidClientPeerId,
                    NetworkError.ClientPeerIdExist);
        if (r.unique().isPresent()) {
            ensure(
                    !Store.UNIQUE_OWNER.contains(c.s, r.subnetId(), r.unique().get()),
                    NetworkError.SubnetNodeUniqueParamTaken);
            Store.UNIQUE_OWNER.put(c.s, r.subnetId(), r.unique().get(), nodeId);
        }
        r.hotkey().ifPresent(hk -> Store.HOTKEY_OWNER.put(c.s, hk, v.id()));

        long subnetEpoch = c.subnetEpoch(s.slot());
        NodeClass cls;
        long start;
        if (s.state() == SubnetState.Registered) {
            cls = NodeClass.Validator;
            start = subnetEpoch;
            if (whitelist != null) {
                Store.INITIAL_REGISTRATIONS.put(
                        c.s,
                        r.subnetId(),
                        r.validatorId(),
                        Store.INITIAL_REGISTRATIONS.get(c.s, r.subnetId(), r.validatorId()) + 1);
            }
        } else {
            cls = NodeClass.Registered;
            start = subnetEpoch + 1;
            List<Integer> q = new ArrayList<>(queue);
            q.add(nodeId);
            Store.QUEUE.put(c.s, r.subnetId(), q);
        }
        Store.NODES.put(
                c.s,
                r.subnetId(),
                nodeId,
                new SubnetNode(
                        nodeId,
                        v.id(),
                        r.hotkey(),
                        r.peerInfo(),
                        r.bootnodePeerInfo(),
                        r.clientPeerInfo(),
                        cls,
                        start,
                        r.unique(),
                        r.nonUnique(),
                        U128.ONE_E18,
                        0));
        Staking.addToNodeStake(c, r.subnetId(), nodeId, v.id(), r.stakeToBeAdded());
        Store.REGISTRATIONS_THIS_EPOCH.put(
                c.s, r.subnetId(), Store.REGISTRATIONS_THIS_EPOCH.get(c.s, r.subnetId()) + 1);
        // the validator's lifetime/active node counts move when a node activates (here, or from the queue), as the
        // pallet
        if (cls == NodeClass.Validator) Validators.nodeCountChanged(c, v.id(), 1, 1);
        c.emit(new Event.SubnetNodeRegistered(r.subnetId(), nodeId, v.id(), cls));
    }

    static void updateHotkey(Ctx c, AccountId origin, Call.UpdateNodeHotkey u) {
        SubnetNode n = owned(c, origin, u.subnetId(), u.subnetNodeId());
        if (u.newHotkey().isPresent()) {
            AccountId hk = u.newHotkey().get();
            ensure(!hk.equals(origin), NetworkError.ColdkeyMatchesHotkey);
            ensure(!Validators.keyInUse(c, hk), NetworkError.HotkeyHasOwner);
            Store.HOTKEY_OWNER.put(c.s, hk, n.validatorId());
        }
        n.hotkey().ifPresent(old -> Store.HOTKEY_OWNER.remove(c.s, old));
        Store.NODES.put(
                c.s,
                u.subnetId(),
                n.id(),
                new SubnetNode(
                        n.id(),
                        n.validatorId(),
                        u.newHotkey(),
                        n.peerInfo(),
                        n.bootnodePeerInfo(),
                        n.clientPeerInfo(),
                        n.nodeClass(),
                        n.classStartEpoch(),
                        n.unique(),
                        n.nonUnique(),
                        n.reputation(),
                        n.classificationCounter()));
        c.emit(new Event.SubnetNodeUpdated(u.subnetId(), n.id(), "hotkey"));
    }

    /** Main, bootnode or client peer info. Queued nodes may update too (pallet bug not copied: it double-checked the active map). */
    static void updatePeerInfo(
            Ctx c, AccountId origin, int subnetId, int nodeId, String which, Optional<PeerInfo> info) {
        SubnetNode n = owned(c, origin, subnetId, nodeId);
        Optional<PeerInfo> old = switch (which) {
            case "peer_info" -> Optional.of(n.peerInfo());
            case "bootnode" -> n.bootnodePeerInfo();
            default -> n.clientPeerInfo();
        };
        releasePeerInfo(c, subnetId, old);
        if (info.isPresent()) {
            PeerInfo i = info.get();
            NetworkError invalid = which.equals("peer_info")
                    ? NetworkError.InvalidPeerId
                    : which.equals("bootnode") ? NetworkError.InvalidBootnodePeerId : NetworkError.InvalidClientPeerId;
            NetworkError taken = which.equals("peer_info")
                    ? NetworkError.PeerIdExist
                    : which.equals("bootnode") ? NetworkError.BootnodePeerIdExist : NetworkError.ClientPeerIdExist;
            claimPeerInfo(c, subnetId, nodeId, i, invalid, taken);
        }
        PeerInfo main = which.equals("peer_info") ? info.orElseThrow() : n.peerInfo();
        Optional<PeerInfo> boot = which.equals("bootnode") ? info : n.bootnodePeerInfo();
        Optional<PeerInfo> client = which.equals("client") ? info : n.clientPeerInfo();
        Store.NODES.put(
                c.s,
                subnetId,
                nodeId,
                new SubnetNode(
                        n.id(),
                        n.validatorId(),
                        n.hotkey(),
                        main,
                        boot,
                        client,
                        n.nodeClass(),
                        n.classStartEpoch(),
                        n.unique(),
                        n.nonUnique(),
                        n.reputation(),
                        n.classificationCounter()));
        c.emit(new Event.SubnetNodeUpdated(subnetId, nodeId, which));
    }

    static void updateUnique(
            Ctx c, AccountId origin, int subnetId, int nodeId, Optional<Bytes> unique, boolean isUnique) {
        SubnetNode n = owned(c, origin, subnetId, nodeId);
        ensure(unique.map(Bytes::length).orElse(0) <= MAX_PARAM, NetworkError.InvalidValues);
        Optional<Bytes> u = n.unique(), nu = n.nonUnique();
        if (isUnique) {
            n.unique().ifPresent(old -> Store.UNIQUE_OWNER.remove(c.s, subnetId, old));
            if (unique.isPresent()) {
                ensure(
                        !Store.UNIQUE_OWNER.contains(c.s, subnetId, unique.get()),
                        NetworkError.SubnetNodeUniqueParamTaken);
                Store.UNIQUE_OWNER.put(c.s, subnetId, unique.get(), nodeId);
            }
            u = unique;
        } else {
            nu = unique;
        }
        Store.NODES.put(
                c.s,
                subnetId,
                nodeId,
                new SubnetNode(
                        n.id(),
                        n.validatorId(),
                        n.hotkey(),
                        n.peerInfo(),
                        n.bootnodePeerInfo(),
                        n.clientPeerInfo(),
                        n.nodeClass(),
                        n.classStartEpoch(),
                        u,
                        nu,
                        n.reputation(),
                        n.classificationCounter()));
        c.emit(new Event.SubnetNodeUpdated(subnetId, nodeId, isUnique ? "unique" : "non_unique"));
    }

    static void removeByOwner(Ctx c, AccountId origin, int subnetId, int nodeId) {
        SubnetNode n = owned(c, origin, subnetId, nodeId);
        Subnet s = Subnets.get(c, subnetId);
        Optional<Integer> elected = Store.ELECTED.find(c.s, subnetId, c.subnetEpoch(s.slot()));
        ensure(elected.isEmpty() || elected.get() != n.id(), NetworkError.ElectedValidatorCannotRemove);
        removeNode(c, subnetId, nodeId, true);
    }

    /** Deletes the node and frees its peer ids, multiaddrs, unique value and hotkey; its stake stays. */
    static void removeNode(Ctx c, int subnetId, int nodeId, boolean emit) {
        SubnetNode n = Store.NODES.get(c.s, subnetId, nodeId);
        if (n == null) return;
        releasePeerInfo(c, subnetId, Optional.of(n.peerInfo()));
        releasePeerInfo(c, subnetId, n.bootnodePeerInfo());
        releasePeerInfo(c, subnetId, n.clientPeerInfo());
        n.unique().ifPresent(u -> Store.UNIQUE_OWNER.remove(c.s, subnetId, u));
        n.hotkey().ifPresent(h -> Store.HOTKEY_OWNER.remove(c.s, h));
        List<Integer> q = Store.QUEUE.get(c.s, subnetId);
        if (q.contains(nodeId)) {
            List<Integer> nq = new ArrayList<>(q);
            nq.remove(Integer.valueOf(nodeId));
            Store.QUEUE.put(c.s, subnetId, nq);
        }
        Store.NODES.remove(c.s, subnetId, nodeId);
        Validators.nodeCountChanged(c, n.validatorId(), 0, n.nodeClass().compareTo(NodeClass.Idle) >= 0 ? -1 : 0);
        c.emit(new Event.SubnetNodeRemoved(subnetId, nodeId));
    }

    static void setReputation(Ctx c, int subnetId, SubnetNode n, BigInteger r) {
        Store.NODES.put(c.s, subnetId, n.id(), withReputation(n, r));
        c.emit(new Event.NodeReputationUpdate(subnetId, n.id(), n.reputation(), r));
    }

    /**
     * Activates up to {@code min(ChurnLimit, MaxSubnetNodes - active)} nodes from the queue front,
     * stopping at the first whose {@code start_epoch + queue epochs >= subnet epoch}; they become Idle.
     */
    static void runQueue(Ctx c, int subnetId, long subnetEpoch) {
        SubnetParams sp = Subnets.params(c, subnetId);
        if (sp.churnLimitMultiplier() > 1 && subnetEpoch % sp.churnLimitMultiplier() != 0) return;
        List<Integer> q = new ArrayList<>(Store.QUEUE.get(c.s, subnetId));
        int room = Math.min(sp.churnLimit(), c.p.maxSubnetNodes() - Subnets.activeNodes(c, subnetId));
        int activated = 0;
        while (activated < room && !q.isEmpty()) {
            SubnetNode n = Store.NODES.get(c.s, subnetId, q.get(0));
            if (n == null) {
                q.remove(0);
                continue;
            }
            if (n.classStartEpoch() + sp.queueEpochs() >= subnetEpoch) break;
            q.remove(0);
            Store.NODES.put(c.s, subnetId, n.id(), withClass(n, NodeClass.Idle, subnetEpoch, 0));
            Validators.nodeCountChanged(c, n.validatorId(), 1, 1);
            c.emit(new Event.SubnetNodeActivated(subnetId, n.id()));
            activated++;
        }
        Store.QUEUE.put(c.s, subnetId, q);
    }

    /** Proposal queue ops (applied on >= 87.5% attestation). */
    static void prioritize(Ctx c, int subnetId, int nodeId) {
        List<Integer> q = new ArrayList<>(Store.QUEUE.get(c.s, subnetId));
        if (!q.remove(Integer.valueOf(nodeId))) return;
        q.add(0, nodeId);
        Store.QUEUE.put(c.s, subnetId, q);
        c.emit(new Event.QueuedNodePrioritized(subnetId, nodeId));
    }

    static void removeQueued(Ctx c, int subnetId, int nodeId) {
        SubnetNode n = Store.NODES.get(c.s, subnetId, nodeId);
        if (n == null || n.nodeClass() != NodeClass.Registered) return;
        removeNode(c, subnetId, nodeId, true);
        c.emit(new Event.QueuedNodeRemoved(subnetId, nodeId));
    }

    /** Burn rate: target 1.0 with no registrations, 5.0 at >= target, linear; new = 0.5*target + 0.5*prev, clamped [1, 5]. */
    static void updateBurnRate(Ctx c, int subnetId) {
        SubnetParams sp = Subnets.params(c, subnetId);
        int regs = Store.REGISTRATIONS_THIS_EPOCH.get(c.s, subnetId);
        double ratio = Math.min(1.0, (double) regs / Math.max(1, sp.targetNodeRegistrationsPerEpoch()));
        BigInteger target = U128.fromRatio(1.0 + 4.0 * ratio);
        BigInteger prev = Store.BURN_RATE.get(c.s, subnetId);
        BigInteger half = U128.ONE_E18.divide(BigInteger.TWO);
        BigInteger next = U128.percentMul(target, half).add(U128.percentMul(prev, half));
        next = U128.min(U128.max(next, U128.ONE_E18), U128.ONE_E18.multiply(BigInteger.valueOf(5)));
        Store.BURN_RATE.put(c.s, subnetId, next);
        Store.REGISTRATIONS_THIS_EPOCH.remove(c.s, subnetId);
    }

    static NodeStake stake(Ctx c, int subnetId, int nodeId) {
        return Store.NODE_STAKE.get(c.s, subnetId, nodeId);
    }
}
