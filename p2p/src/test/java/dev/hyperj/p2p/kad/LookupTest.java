package dev.hyperj.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.peer.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lookup's stop rule and fan-out, driven by hand: no network, no futures, no clock but a number. */
class LookupTest {
    private static final PeerId SELF = TestPeers.peer(0);
    private static final KadKey TARGET = KadKey.of(new byte[] {1, 2, 3});
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static PeerInfo info(PeerId p) {
        return new PeerInfo(p, List.of());
    }

    /** {@code n} peers sorted closest to the target first. */
    private static List<PeerInfo> byDistance(long firstSeed, int n) {
        List<PeerInfo> out = new ArrayList<>();
        for (PeerId p : TestPeers.peers(firstSeed, n)) out.add(info(p));
        out.sort(Comparator.comparing(p -> TARGET.distance(KadKey.of(p.id().bytes()))));
        return out;
    }

    private static Lookup lookup(int k, int alpha, List<PeerInfo> seeds) {
        return new Lookup(TARGET, SELF, k, alpha, seeds, 0, TIMEOUT);
    }

    private static PeerInfo contact(Lookup l) {
        Lookup.Next n = l.next(1);
        assertThat(n).isInstanceOf(Lookup.Contact.class);
        return ((Lookup.Contact) n).peer();
    }

    @Test
    void atMostAlphaPeersAreContactedAtOnceClosestFirst() {
        List<PeerInfo> peers = byDistance(100, 10);
        Lookup l = lookup(5, 3, peers.reversed());
        assertThat(List.of(contact(l), contact(l), contact(l))).containsExactlyElementsOf(peers.subList(0, 3));
        assertThat(l.next(1)).isInstanceOf(Lookup.Waiting.class);
        l.onFailure(peers.get(1).id());
        assertThat(contact(l)).isEqualTo(peers.get(3));
        assertThat(l.next(1)).isInstanceOf(Lookup.Waiting.class);
    }

    @Test
    void itFinishesOnceTheKClosestHaveAnsweredWithoutAskingTheRest() {
        List<PeerInfo> peers = byDistance(200, 10);
        Lookup l = lookup(3, 3, peers);
        for (int i = 0; i < 3; i++) contact(l);
        l.onSuccess(peers.get(0).id(), List.of());
        l.onSuccess(peers.get(2).id(), List.of());
        assertThat(l.next(1)).isInstanceOf(Lookup.Waiting.class);
        l.onSuccess(peers.get(1).id(), List.of());
        assertThat(l.next(2)).isInstanceOf(Lookup.Finished.class);
        assertThat(l.result().peers()).containsExactlyElementsOf(peers.subList(0, 3));
        assertThat(l.result().stats().queries()).isEqualTo(3);
        assertThat(l.result().stats().timedOut()).isFalse();
    }

    @Test
    void aFailedPeerLeavesTheKClosestAndTheNextClosestIsAsked() {
        List<PeerInfo> peers = byDistance(300, 4);
        Lookup l = lookup(2, 1, peers);
        assertThat(contact(l)).isEqualTo(peers.get(0));
        l.onFailure(peers.get(0).id());
        assertThat(contact(l)).isEqualTo(peers.get(1));
        l.onSuccess(peers.get(1).id(), List.of());
        assertThat(contact(l)).isEqualTo(peers.get(2));
        l.onSuccess(peers.get(2).id(), List.of());
        assertThat(l.next(1)).isInstanceOf(Lookup.Finished.class);
        assertThat(l.result().peers()).containsExactly(peers.get(1), peers.get(2));
        assertThat(l.result().stats().failures()).isEqualTo(1);
        assertThat(l.result().stats().queries()).isEqualTo(3);
    }

    @Test
    void closerPeersAreFollowedAndHopsCountTheDepthOfTheClosestAnswer() {
        List<PeerInfo> peers = byDistance(400, 3); // near, mid, far
        PeerInfo near = peers.get(0), mid = peers.get(1), far = peers.get(2);
        Lookup l = lookup(1, 1, List.of(far));
        Lookup.Next first = l.next(1);
        assertThat(first).isEqualTo(new Lookup.Contact(far, 1));
        l.onSuccess(far.id(), List.of(mid, info(SELF), far)); // ourselves and a known peer are not candidates
        assertThat(l.next(1)).isEqualTo(new Lookup.Contact(mid, 2));
        l.onSuccess(mid.id(), List.of(near));
        assertThat(l.next(1)).isEqualTo(new Lookup.Contact(near, 3));
        l.onSuccess(near.id(), List.of());
        assertThat(l.next(1)).isInstanceOf(Lookup.Finished.class);
        assertThat(l.result().peers()).containsExactly(near);
        assertThat(l.result().stats().hops()).isEqualTo(3);
        assertThat(l.result().stats().queries()).isEqualTo(3);
    }

    @Test
    void itFinishesWhenNothingIsLeftToAsk() {
        assertThat(lookup(3, 3, List.of()).next(0)).isInstanceOf(Lookup.Finished.class);
        List<PeerInfo> peers = byDistance(500, 2);
        Lookup l = lookup(20, 3, peers);
        contact(l);
        contact(l);
        l.onFailure(peers.get(0).id());
        assertThat(l.next(1)).isInstanceOf(Lookup.Waiting.class);
        l.onFailure(peers.get(1).id());
        assertThat(l.next(1)).isInstanceOf(Lookup.Finished.class);
        assertThat(l.result().peers()).isEmpty();
        assertThat(l.result().stats().failures()).isEqualTo(2);
    }

    @Test
    void theDeadlineEndsItWithWhatItHas() {
        List<PeerInfo> peers = byDistance(600, 3);
        Lookup l = lookup(3, 3, peers);
        for (int i = 0; i < 3; i++) contact(l);
        l.onSuccess(peers.get(2).id(), List.of());
        assertThat(l.next(TIMEOUT.toMillis() - 1)).isInstanceOf(Lookup.Waiting.class);
        assertThat(l.next(TIMEOUT.toMillis())).isInstanceOf(Lookup.Finished.class);
        assertThat(l.result().peers()).containsExactly(peers.get(2));
        assertThat(l.result().stats().timedOut()).isTrue();
        assertThat(l.result().stats().elapsedMillis()).isEqualTo(TIMEOUT.toMillis());
    }

    @Test
    void anEarlyFinishIsFinalAndLateAnswersChangeNothing() {
        List<PeerInfo> peers = byDistance(700, 3);
        Lookup l = lookup(3, 3, peers);
        for (int i = 0; i < 3; i++) contact(l);
        l.onSuccess(peers.get(1).id(), List.of());
        l.finish(5);
        l.onSuccess(peers.get(0).id(), byDistance(800, 3));
        l.onFailure(peers.get(2).id());
        assertThat(l.next(6)).isInstanceOf(Lookup.Finished.class);
        assertThat(l.result().peers()).containsExactly(peers.get(1));
        assertThat(l.result().stats().failures()).isZero();
        assertThat(l.result().stats().timedOut()).isFalse();
    }

    @Test
    void answersFromPeersNotContactedAreIgnored() {
        List<PeerInfo> peers = byDistance(900, 2);
        Lookup l = lookup(2, 1, peers);
        contact(l);
        l.onSuccess(peers.get(1).id(), List.of()); // not contacted yet: ignored
        assertThat(l.next(1)).isInstanceOf(Lookup.Waiting.class);
        l.onSuccess(peers.get(0).id(), List.of());
        assertThat(contact(l)).isEqualTo(peers.get(1));
    }
}
