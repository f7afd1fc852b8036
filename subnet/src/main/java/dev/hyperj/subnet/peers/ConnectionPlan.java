package dev.hyperj.subnet.peers;

import dev.hyperj.p2p.peer.PeerId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The policy of connection maintenance, apart from its mechanism: given what a node sees at one
 * tick ({@link Snapshot}), whom to disconnect and whom to dial, each with its reason. No I/O and
 * no clock of its own ({@code now} is in the snapshot); randomness only for the order of dials,
 * from the generator passed in. {@link ConnectionMaintainer} gathers the snapshot and carries the
 * plan out.
 */
final class ConnectionPlan {
    private ConnectionPlan() {}

    /** Why a connected peer is dropped. */
    enum DropReason {
        /** The chain's last fresh read does not list it, and the operator did not configure it. */
        OFF_CHAIN,
        /** Its gossip score is below the graylist threshold (it also enters dial backoff). */
        LOW_SCORE
    }

    /** Why a peer is dialled. */
    enum DialReason {
        /** The heartbeat mesh is below D_lo and this on-chain peer is not in it. */
        MESH_SHORT,
        /** Below low water: a peer the operator configured. */
        BOOTSTRAP,
        /** Below low water: a dialable on-chain peer. */
        ON_CHAIN
    }

    /** Why a wanted peer is not dialled this tick. */
    enum SkipReason {
        /** Graylisted by its gossip score. */
        LOW_SCORE,
        /** Blacklisted by gossipsub. */
        BLACKLISTED,
        /** Still waiting out its dial backoff. */
        BACKOFF
    }

    record Drop(PeerId peer, DropReason reason) {}

    record Dial(PeerId peer, DialReason reason) {}

    record Skip(PeerId peer, SkipReason reason, Optional<Instant> retryAt) {}

    /**
     * A connected peer.
     *
     * @param peer      who
     * @param dialledAt when our dial of it connected, if we dialled it and that connection has not
     *                  yet been counted as lasting (empty: it dialled us, or it already lasted)
     */
    record Connected(PeerId peer, Optional<Instant> dialledAt) {}

    /**
     * What gossipsub says: scores of the peers it knows (and of the candidates), the graylist
     * threshold, the maintained topic's mesh and its D_lo and D.
     */
    record GossipView(
            Map<PeerId, Double> scores,
            double graylist,
            Set<PeerId> blacklisted,
            Set<PeerId> mesh,
            int meshLow,
            int meshTarget) {
        GossipView {
            scores = Map.copyOf(scores);
            blacklisted = Set.copyOf(blacklisted);
            mesh = Set.copyOf(mesh);
        }

        boolean graylisted(PeerId p) {
            Double s = scores.get(p);
            return s != null && s < graylist;
        }
    }

    /**
     * Everything one tick decides on.
     *
     * @param now        the tick's time
     * @param self       this node (never dialled)
     * @param connected  peers connected now, in the host's order
     * @param chain      the subnet's on-chain peers (the last read)
     * @param chainFresh whether {@code chain} was read at this tick (a stale view prunes nothing)
     * @param bootstrap  peers the operator configured: never dropped for being off chain
     * @param gossip     gossipsub's view, empty when there is no gossipsub or it did not answer
     * @param retryAt    for peers waiting out a dial backoff, when they may be dialled again
     * @param config     the targets and the backoff base
     */
    record Snapshot(
            Instant now,
            PeerId self,
            List<Connected> connected,
            OnChainPeers chain,
            boolean chainFresh,
            Set<PeerId> bootstrap,
            Optional<GossipView> gossip,
            Map<PeerId, Instant> retryAt,
            MaintenanceConfig config) {
        Snapshot {
            connected = List.copyOf(connected);
            bootstrap = Set.copyOf(bootstrap);
            retryAt = Map.copyOf(retryAt);
        }
    }

    /**
     * What to do.
     *
     * @param lasted peers whose connection proves them reachable (they dialled us, or our dial's
     *               connection lasted the backoff base): their backoff is forgotten
     * @param drops  peers to disconnect
     * @param dials  peers to dial, in order, at most the target minus the peers kept
     * @param skips  wanted peers not dialled, in the order met (until the dial budget ran out)
     * @param meshMissing how many dials the short mesh asked for
     */
    record Plan(List<PeerId> lasted, List<Drop> drops, List<Dial> dials, List<Skip> skips, int meshMissing) {
        long dropped(DropReason r) {
            return drops.stream().filter(d -> d.reason() == r).count();
        }

        /** The earliest time a peer skipped for its backoff may be dialled, if any was. */
        Optional<Instant> firstRetry() {
            return skips.stream()
                    .filter(s -> s.reason() == SkipReason.BACKOFF)
                    .map(s -> s.retryAt().orElseThrow())
                    .min(Instant::compareTo);
        }

        long skipped(SkipReason r) {
            return skips.stream().filter(s -> s.reason() == r).count();
        }
    }

    /** Decides one tick; {@code random} orders the dial candidates (so that nodes do not all dial alike). */
    static Plan plan(Snapshot s, RandomGenerator random) {
        MaintenanceConfig config = s.config();
        List<PeerId> lasted = new ArrayList<>();
        for (Connected c : s.connected()) {
            boolean ourRecentDial = c.dialledAt()
                    .map(at -> s.now().isBefore(at.plus(config.backoffBase())))
                    .orElse(false);
            if (!ourRecentDial) lasted.add(c.peer());
        }

        Set<PeerId> kept = new LinkedHashSet<>();
        for (Connected c : s.connected()) kept.add(c.peer());
        List<Drop> drops = new ArrayList<>();
        if (s.chainFresh()) {
            for (PeerId p : List.copyOf(kept)) {
                if (!s.chain().all().contains(p) && !s.bootstrap().contains(p)) {
                    drops.add(new Drop(p, DropReason.OFF_CHAIN));
                    kept.remove(p);
                }
            }
        }
        Optional<GossipView> gv = s.gossip();
        if (gv.isPresent()) {
            for (PeerId p : List.copyOf(kept)) {
                if (gv.get().graylisted(p)) {
                    drops.add(new Drop(p, DropReason.LOW_SCORE));
                    kept.remove(p);
                }
            }
        }

        int count = kept.size();
        Map<PeerId, DialReason> want = new LinkedHashMap<>();
        int meshMissing = 0;
        if (gv.isPresent() && gv.get().mesh().size() < gv.get().meshLow() && count < config.target()) {
            // the heartbeat mesh is short: connect on-chain peers gossipsub can graft at its next heartbeat
            // (gossipsub has no way to graft a given peer; once connected, its heartbeat grafts them)
            int room = gv.get().meshTarget() - gv.get().mesh().size();
            for (PeerId p : shuffled(s.chain().dialable(), random)) {
                if (meshMissing >= room) break;
                if (!gv.get().mesh().contains(p) && !kept.contains(p)) {
                    want.putIfAbsent(p, DialReason.MESH_SHORT);
                    meshMissing++;
                }
            }
        }
        if (count < config.lowWater()) {
            for (PeerId p : shuffled(s.bootstrap(), random))
                if (!kept.contains(p)) want.putIfAbsent(p, DialReason.BOOTSTRAP);
            for (PeerId p : shuffled(s.chain().dialable(), random))
                if (!kept.contains(p)) want.putIfAbsent(p, DialReason.ON_CHAIN);
        }
        want.remove(s.self());

        int budget = config.target() - count;
        List<Dial> dials = new ArrayList<>();
        List<Skip> skips = new ArrayList<>();
        for (Map.Entry<PeerId, DialReason> w : want.entrySet()) {
            if (budget <= 0) break;
            PeerId p = w.getKey();
            if (gv.isPresent() && gv.get().graylisted(p)) {
                skips.add(new Skip(p, SkipReason.LOW_SCORE, Optional.empty()));
                continue;
            }
            if (gv.isPresent() && gv.get().blacklisted().contains(p)) {
                skips.add(new Skip(p, SkipReason.BLACKLISTED, Optional.empty()));
                continue;
            }
            Instant retry = s.retryAt().get(p);
            if (retry != null && s.now().isBefore(retry)) {
                skips.add(new Skip(p, SkipReason.BACKOFF, Optional.of(retry)));
                continue;
            }
            dials.add(new Dial(p, w.getValue()));
            budget--;
        }
        return new Plan(List.copyOf(lasted), List.copyOf(drops), List.copyOf(dials), List.copyOf(skips), meshMissing);
    }

    private static List<PeerId> shuffled(Collection<PeerId> peers, RandomGenerator random) {
        // sorted first: the order of a Set must not leak into the plan, only the generator's
        List<PeerId> l = new ArrayList<>(new HashSet<>(peers));
        Collections.sort(l);
        Collections.shuffle(l, random instanceof Random r ? r : new Random(random.nextLong()));
        return l;
    }
}
