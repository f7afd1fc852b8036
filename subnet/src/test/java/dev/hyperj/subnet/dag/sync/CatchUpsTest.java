package dev.hyperj.subnet.dag.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.peer.PeerId;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The catch-up policy driven without sockets: limits, coalescing, backoff. */
class CatchUpsTest {
    private static final long SECOND = 1_000_000_000L;

    private static PeerId peer() {
        return PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
    }

    @Test
    void fewerPeersThanTheLimitAllStartAtOnceAsWithoutAPolicy() {
        CatchUps c = new CatchUps(3, 8, SECOND, 60 * SECOND);
        PeerId a = peer(), b = peer(), d = peer();
        assertThat(c.offer(a, List.of("x"), 0)).isTrue();
        assertThat(c.offer(b, List.of("x"), 0)).isTrue();
        assertThat(c.offer(d, List.of("y"), 0)).isTrue();
        assertThat(c.running()).isEqualTo(3);
        assertThat(c.waiting()).isZero();
        // one catch-up per peer at a time: a second offer while it runs starts nothing
        assertThat(c.offer(a, List.of("z"), 0)).isFalse();
        assertThat(c.waiting()).isZero();
    }

    @Test
    void overTheLimitCandidatesWaitAndThoseWhoseIdsArrivedAreDropped() {
        CatchUps c = new CatchUps(1, 8, SECOND, 60 * SECOND);
        PeerId first = peer(), stale = peer(), fresh = peer(), older = peer();
        assertThat(c.offer(first, List.of("h1"), 0)).isTrue();
        assertThat(c.offer(older, List.of("h0"), 0)).isFalse();
        assertThat(c.offer(stale, List.of("h1"), 0)).isFalse();
        assertThat(c.offer(fresh, List.of("h1", "h2"), 0)).isFalse();
        assertThat(c.waiting()).isEqualTo(3);
        Set<String> known = new HashSet<>(Set.of("h0", "h1")); // the first catch-up brought h1; h0 came by gossip
        // fresh still shows h2: it goes next; stale and older show nothing new and are dropped
        assertThat(c.finished(first, true, 1, known::contains)).contains(fresh);
        assertThat(c.waiting()).isZero();
        assertThat(c.running()).isEqualTo(1);
        assertThat(c.finished(fresh, true, 2, known::contains)).isEmpty();
        assertThat(c.running()).isZero();
    }

    @Test
    void theMostRecentCandidatesAreKeptAndTheMostRecentGoesFirst() {
        CatchUps c = new CatchUps(1, 2, SECOND, 60 * SECOND);
        PeerId running = peer(), p1 = peer(), p2 = peer(), p3 = peer();
        c.offer(running, List.of("a"), 0);
        c.offer(p1, List.of("b"), 0);
        c.offer(p2, List.of("c"), 0);
        c.offer(p3, List.of("d"), 0); // p1, the oldest, is forgotten
        assertThat(c.waiting()).isEqualTo(2);
        assertThat(c.finished(running, true, 1, id -> false)).contains(p3);
        assertThat(c.finished(p3, true, 2, id -> false)).contains(p2);
        assertThat(c.finished(p2, true, 3, id -> false)).isEmpty();
    }

    @Test
    void aPeerWhoseCatchUpFailedBacksOffLongerWithEachFailureUntilASuccess() {
        CatchUps c = new CatchUps(2, 8, SECOND, 5 * SECOND);
        PeerId p = peer();
        assertThat(c.offer(p, List.of("x"), 0)).isTrue();
        c.finished(p, false, 0, id -> false);
        assertThat(c.offer(p, List.of("x"), SECOND - 1)).isFalse(); // 1 s after the first failure
        assertThat(c.offer(p, List.of("x"), SECOND)).isTrue();
        c.finished(p, false, SECOND, id -> false);
        assertThat(c.offer(p, List.of("x"), 3 * SECOND - 1)).isFalse(); // 2 s after the second
        assertThat(c.offer(p, List.of("x"), 3 * SECOND)).isTrue();
        c.finished(p, false, 3 * SECOND, id -> false);
        c.finished(p, false, 3 * SECOND, id -> false);
        c.finished(p, false, 3 * SECOND, id -> false);
        assertThat(c.offer(p, List.of("x"), 8 * SECOND - 1)).isFalse(); // capped at 5 s
        assertThat(c.offer(p, List.of("x"), 8 * SECOND)).isTrue();
        c.finished(p, true, 8 * SECOND, id -> false);
        assertThat(c.offer(p, List.of("x"), 8 * SECOND)).isTrue(); // a success clears it
    }

    @Test
    void aWaitingCandidateBackingOffIsSkippedForTheNext() {
        CatchUps c = new CatchUps(1, 8, 10 * SECOND, 60 * SECOND);
        PeerId a = peer(), b = peer(), other = peer();
        assertThat(c.offer(a, List.of("x"), 0)).isTrue();
        c.finished(a, false, 0, id -> false); // a backs off 10 s
        assertThat(c.offer(other, List.of("y"), 0)).isTrue();
        assertThat(c.offer(b, List.of("x"), 0)).isFalse();
        assertThat(c.offer(a, List.of("x"), 0)).isFalse(); // backing off: not even queued
        Optional<PeerId> next = c.finished(other, true, SECOND, id -> false);
        assertThat(next).contains(b);
    }
}
