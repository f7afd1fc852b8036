package dev.hyperj.p2p.kad;

import dev.hyperj.p2p.peer.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One iterative Kademlia lookup (libp2p/specs kad-dht "Peer routing") as a pure state machine: it
 * sends nothing and waits for nothing. Its owner asks {@link #next} what to do, contacts the peers
 * it names, and reports each answer with {@link #onSuccess} or {@link #onFailure}.
 *
 * <p>Candidates are kept sorted by XOR distance to the target; at most alpha are contacted at once,
 * always the closest not yet contacted that still rank among the k closest peers not known to have
 * failed.
 *
 * <p>Stop rule: the lookup is {@link Finished} when (1) the k closest candidates that have not
 * failed have all answered, or (2) nothing is left to contact and nothing is awaited, or (3) its
 * owner called {@link #finish} (value quorum, target found), or (4) {@code next} is called at or
 * after the deadline: it then ends with what it has.
 */
final class Lookup {
    /** What the owner should do next. */
    sealed interface Next permits Contact, Waiting, Finished {}

    /**
     * Send the request to {@code peer}, then report the outcome.
     *
     * @param depth the sequential requests that led to this peer (1 = a seed)
     */
    record Contact(PeerInfo peer, int depth) implements Next {}

    /** Nothing to send now: wait for an answer (or the deadline) and ask again. */
    record Waiting() implements Next {}

    /** The lookup is over; {@link #result} holds what it found. */
    record Finished() implements Next {}

    private static final Waiting WAITING = new Waiting();
    private static final Finished FINISHED = new Finished();

    private enum State {
        NOT_CONTACTED,
        WAITING,
        SUCCEEDED,
        FAILED
    }

    private static final class Candidate {
        final PeerInfo info;
        final int depth;
        State state = State.NOT_CONTACTED;

        Candidate(PeerInfo info, int depth) {
            this.info = info;
            this.depth = depth;
        }
    }

    private final KadKey target;
    private final PeerId self;
    private final int k;
    private final int alpha;
    private final TreeMap<KadKey, Candidate> byDistance = new TreeMap<>();
    private final Map<PeerId, Candidate> byPeer = new HashMap<>();
    private final long startedAt;
    private final long deadline;
    private boolean finished;
    private boolean timedOut;
    private long finishedAt;
    private int inFlight;
    private int queries;
    private int failures;

    /**
     * A lookup for {@code target} starting from {@code seeds} (our closest known peers) at
     * {@code now}, ending at the latest {@code timeout} later.
     */
    Lookup(KadKey target, PeerId self, int k, int alpha, List<PeerInfo> seeds, long now, Duration timeout) {
        if (k < 1 || alpha < 1) throw new IllegalArgumentException("k and alpha must be positive");
        this.target = target;
        this.self = self;
        this.k = k;
        this.alpha = alpha;
        this.startedAt = now;
        this.deadline = now + timeout.toMillis();
        for (PeerInfo p : seeds) add(p, 1);
    }

    /** The time (milliseconds, the owner's clock) at and after which {@link #next} reports Finished. */
    long deadline() {
        return deadline;
    }

    /** What to do at {@code now} (milliseconds): contact a peer, wait, or stop. */
    Next next(long now) {
        if (finished) return FINISHED;
        if (now >= deadline) {
            timedOut = true;
            end(now);
            return FINISHED;
        }
        // Walk the k closest candidates that have not failed; contact the first one not contacted.
        int ranked = 0;
        boolean allAnswered = true;
        for (Candidate c : byDistance.values()) {
            if (c.state == State.FAILED) continue;
            if (ranked++ >= k) break;
            if (c.state == State.NOT_CONTACTED && inFlight < alpha) {
                c.state = State.WAITING;
                inFlight++;
                queries++;
                return new Contact(c.info, c.depth);
            }
            if (c.state != State.SUCCEEDED) allAnswered = false;
        }
        // Requests still awaited are then to peers pushed out of the k closest: not waited for.
        if (allAnswered) {
            end(now);
            return FINISHED;
        }
        return WAITING;
    }

    /** {@code peer} answered and named {@code closer} peers (already validated by the owner). */
    void onSuccess(PeerId peer, List<PeerInfo> closer) {
        Candidate c = awaited(peer);
        if (c == null) return;
        c.state = State.SUCCEEDED;
        for (PeerInfo p : closer) add(p, c.depth + 1);
    }

    /** {@code peer} did not answer usefully (error, timeout, unreachable). */
    void onFailure(PeerId peer) {
        Candidate c = awaited(peer);
        if (c == null) return;
        c.state = State.FAILED;
        failures++;
    }

    /** Ends the lookup before its stop rule (its owner has what it needs). */
    void finish(long now) {
        if (!finished) end(now);
    }

    boolean isFinished() {
        return finished;
    }

    /** The k closest peers that answered (closest first) and how it went; only once finished. */
    LookupResult result() {
        if (!finished) throw new IllegalStateException("the lookup has not finished");
        List<PeerInfo> closest = new ArrayList<>(k);
        int hops = 0;
        for (Candidate c : byDistance.values()) {
            if (c.state != State.SUCCEEDED) continue;
            if (closest.isEmpty()) hops = c.depth;
            closest.add(c.info);
            if (closest.size() == k) break;
        }
        return new LookupResult(closest, new LookupStats(hops, queries, failures, finishedAt - startedAt, timedOut));
    }

    private Candidate awaited(PeerId peer) {
        Candidate c = byPeer.get(peer);
        if (c == null || c.state != State.WAITING) return null;
        inFlight--;
        return finished ? null : c;
    }

    private void add(PeerInfo p, int depth) {
        if (p.id().equals(self) || byPeer.containsKey(p.id())) return;
        Candidate c = new Candidate(p, depth);
        byPeer.put(p.id(), c);
        byDistance.put(target.distance(KadKey.of(p.id().bytes())), c);
    }

    private void end(long now) {
        finished = true;
        finishedAt = now;
    }
}
