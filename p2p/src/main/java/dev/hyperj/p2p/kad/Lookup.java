package dev.hyperj.p2p.kad;

import dev.hyperj.p2p.peer.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One iterative Kademlia lookup (libp2p/specs kad-dht "Peer routing"), confined to the DHT's
 * scheduler. Candidates are kept sorted by XOR distance to the target; at most alpha requests are
 * in flight, always to the closest candidates not yet asked that still rank among the k closest
 * peers not known to have failed.
 *
 * <p>Stop rule: the lookup ends when (1) the k closest candidates that have not failed have all
 * answered, or (2) nothing is left to ask and nothing is in flight, or (3) the strategy is satisfied
 * (value quorum, target found), or (4) the overall timeout fires: it then ends with what it has.
 */
final class Lookup {
    /** What a particular lookup asks and does with the answers. */
    interface Strategy {
        KadMessage request();

        /** Handles an answer from {@code from}; returns the (validated) closer peers it named. */
        List<PeerInfo> onResponse(PeerInfo from, KadMessage response, int depth);

        /** True once the lookup has what it needs before the normal stop rule. */
        default boolean satisfied() {
            return false;
        }

        /** The hop count to report when {@link #satisfied()} ended the lookup; -1 = use the default. */
        default int satisfiedHops() {
            return -1;
        }
    }

    private enum State {
        WAITING,
        IN_FLIGHT,
        SUCCEEDED,
        FAILED
    }

    private static final class Candidate {
        final PeerInfo info;
        final int depth;
        State state = State.WAITING;

        Candidate(PeerInfo info, int depth) {
            this.info = info;
            this.depth = depth;
        }
    }

    private final KadKey target;
    private final PeerId self;
    private final int k;
    private final int alpha;
    private final Strategy strategy;
    private final Function<PeerInfo, CompletableFuture<KadMessage>> query;
    private final DhtScheduler scheduler;
    private final TreeMap<KadKey, Candidate> byDistance = new TreeMap<>();
    private final Map<PeerId, Candidate> byPeer = new HashMap<>();
    private final CompletableFuture<LookupResult> result = new CompletableFuture<>();
    private final long startedAt;
    private DhtScheduler.Cancellable timeout;
    private int inFlight;
    private int queries;
    private int failures;

    Lookup(
            KadKey target,
            PeerId self,
            int k,
            int alpha,
            Strategy strategy,
            Function<PeerInfo, CompletableFuture<KadMessage>> query,
            DhtScheduler scheduler) {
        this.target = target;
        this.self = self;
        this.k = k;
        this.alpha = alpha;
        this.strategy = strategy;
        this.query = query;
        this.scheduler = scheduler;
        this.startedAt = scheduler.nowMillis();
    }

    /** Starts from {@code seeds} (our closest known peers); must run on the scheduler. */
    CompletableFuture<LookupResult> start(List<PeerInfo> seeds, Duration lookupTimeout) {
        for (PeerInfo p : seeds) {
            addCandidate(p, 1);
        }
        timeout = scheduler.schedule(() -> finish(true), lookupTimeout);
        pump();
        return result;
    }

    private void addCandidate(PeerInfo p, int depth) {
        if (p.id().equals(self) || byPeer.containsKey(p.id())) {
            return;
        }
        Candidate c = new Candidate(p, depth);
        byPeer.put(p.id(), c);
        byDistance.put(target.distance(KadKey.of(p.id().bytes())), c);
    }

    private void pump() {
        if (result.isDone()) {
            return;
        }
        if (strategy.satisfied()) {
            finish(false);
            return;
        }
        // Walk the k closest candidates that have not failed: ask waiting ones while we may.
        int ranked = 0;
        boolean allAnswered = true;
        for (Candidate c : byDistance.values()) {
            if (c.state == State.FAILED) {
                continue;
            }
            if (ranked++ >= k) {
                break;
            }
            if (c.state == State.WAITING && inFlight < alpha) {
                send(c);
            }
            if (c.state != State.SUCCEEDED) {
                allAnswered = false;
            }
        }
        // Requests still in flight are then to peers pushed out of the k closest: not waited for.
        if (allAnswered) {
            finish(false);
        }
    }

    private void send(Candidate c) {
        c.state = State.IN_FLIGHT;
        inFlight++;
        queries++;
        query.apply(c.info).whenComplete((response, error) -> {
            // the query future completes on the scheduler
            inFlight--;
            if (result.isDone()) {
                return;
            }
            if (error != null) {
                c.state = State.FAILED;
                failures++;
            } else {
                c.state = State.SUCCEEDED;
                List<PeerInfo> closer;
                try {
                    closer = strategy.onResponse(c.info, response, c.depth);
                } catch (RuntimeException e) {
                    closer = List.of();
                }
                for (PeerInfo p : closer) {
                    addCandidate(p, c.depth + 1);
                }
            }
            pump();
        });
    }

    private void finish(boolean timedOut) {
        if (result.isDone()) {
            return;
        }
        if (timeout != null) {
            timeout.cancel();
        }
        List<PeerInfo> closest = new ArrayList<>(k);
        int hops = 0;
        for (Candidate c : byDistance.values()) {
            if (c.state == State.SUCCEEDED) {
                if (closest.isEmpty()) {
                    hops = c.depth;
                }
                closest.add(c.info);
                if (closest.size() == k) {
                    break;
                }
            }
        }
        if (strategy.satisfied() && strategy.satisfiedHops() >= 0) {
            hops = strategy.satisfiedHops();
        }
        long elapsed = scheduler.nowMillis() - startedAt;
        result.complete(new LookupResult(closest, new LookupStats(hops, queries, failures, elapsed, timedOut)));
    }
}
