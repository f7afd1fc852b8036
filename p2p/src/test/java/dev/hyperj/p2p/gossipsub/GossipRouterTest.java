package dev.hyperj.p2p.gossipsub;

import static dev.hyperj.p2p.gossipsub.RouterHarness.control;
import static dev.hyperj.p2p.gossipsub.RouterHarness.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.peer.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class GossipRouterTest {
    private static final String T = "topic";
    private static final PubsubProtocol V12 = PubsubProtocol.MESHSUB_V12;

    private static Rpc.Message signed(int author, int seq, int size) {
        return MessageSigning.sign(RouterHarness.key(author), T, new byte[size], seq);
    }

    private static Rpc graft() {
        return Rpc.ofControl(new Rpc.Control(List.of(), List.of(), List.of(new Rpc.Graft(T)), List.of(), List.of()));
    }

    @Test
    void subscribingGraftsDPeersAndAnnouncesToAll() {
        RouterHarness h = new RouterHarness();
        List<PeerId> peers = new ArrayList<>();
        for (int i = 1; i <= 12; i++) peers.add(h.connect(i, V12, true, T));
        h.router.subscribe(T);
        assertThat(h.router.meshPeers(T)).hasSize(7);
        int grafts = 0;
        for (PeerId p : peers) {
            List<Rpc> out = h.drain(p);
            assertThat(out.get(0).subscriptions()).containsExactly(new Rpc.SubOpts(true, T));
            if (!control(out).graft().isEmpty()) {
                grafts++;
                assertThat(h.router.meshPeers(T)).contains(p);
            }
        }
        assertThat(grafts).isEqualTo(7);
    }

    @Test
    void meshIsRepairedToDWhenBelowDLo() {
        RouterHarness h = new RouterHarness();
        for (int i = 1; i <= 12; i++) h.connect(i, V12, true, T);
        h.router.subscribe(T);
        List<PeerId> mesh = new ArrayList<>(h.router.meshPeers(T));
        for (int i = 0; i < 3; i++) h.router.removePeer(mesh.get(i));
        assertThat(h.router.meshPeers(T)).hasSize(4);
        h.advance(Duration.ofMillis(600)); // first heartbeat at 0.5 s
        assertThat(h.router.meshPeers(T)).hasSize(7);
    }

    @Test
    void inboundGraftsBeyondDHiArePrunedWithPeerExchange() {
        RouterHarness h = new RouterHarness();
        h.router.subscribe(T);
        List<PeerId> peers = new ArrayList<>();
        for (int i = 1; i <= 12; i++) peers.add(h.connect(i, V12, false, T));
        for (PeerId p : peers) h.router.handleRpc(p, graft());
        assertThat(h.router.meshPeers(T)).hasSize(10);
        PeerId rejected = peers.get(11);
        List<Rpc.Prune> prunes = control(h.drain(rejected)).prune();
        assertThat(prunes).hasSize(1);
        assertThat(prunes.get(0).backoffSeconds()).isEqualTo(60);
        assertThat(prunes.get(0).peers()).isNotEmpty().hasSizeLessThanOrEqualTo(16);
        h.advance(Duration.ofSeconds(3));
        assertThat(h.router.meshPeers(T).size()).isBetween(5, 10);
    }

    @Test
    void graftDuringBackoffIsPenalisedAndPrunedAgain() {
        RouterHarness h = new RouterHarness();
        h.router.subscribe(T);
        PeerId p = h.connect(1, V12, false, T);
        h.router.handleRpc(p, graft());
        assertThat(h.router.meshPeers(T)).contains(p);
        h.router.handleRpc(
                p,
                Rpc.ofControl(new Rpc.Control(
                        List.of(), List.of(), List.of(), List.of(new Rpc.Prune(T, List.of(), 60)), List.of())));
        assertThat(h.router.meshPeers(T)).doesNotContain(p);
        h.drain(p);
        h.router.unsubscribe(T);
        h.router.subscribe(T);
        assertThat(h.router.meshPeers(T)).as("we respect the peer's backoff").doesNotContain(p);
        h.drain(p);
        // Our own prune set a backoff for the peer; its immediate GRAFT is a flood.
        h.router.handleRpc(p, graft());
        h.router.handleRpc(
                p,
                Rpc.ofControl(new Rpc.Control(
                        List.of(), List.of(), List.of(), List.of(new Rpc.Prune(T, List.of(), 60)), List.of())));
        h.router.handleRpc(p, graft());
        assertThat(h.router.meshPeers(T)).doesNotContain(p);
        assertThat(control(h.drain(p)).prune()).isNotEmpty();
        assertThat(h.router.peerScore(p)).isNegative();
    }

    @Test
    void forwardsToMeshExceptSourceAuthorAndIDontWantSenders() {
        RouterHarness h = new RouterHarness();
        h.router.subscribe(T);
        PeerId a = h.connect(1, V12, false, T);
        PeerId b = h.connect(2, V12, false, T);
        PeerId c = h.connect(3, V12, false, T);
        PeerId author = h.connect(4, V12, false, T);
        for (PeerId p : List.of(a, b, c, author)) h.router.handleRpc(p, graft());
        Rpc.Message m = signed(4, 1, 2000);
        MessageId id = MessageIdFunction.FROM_AND_SEQNO.apply(m);
        h.router.handleRpc(
                b,
                Rpc.ofControl(new Rpc.Control(
                        List.of(), List.of(), List.of(), List.of(), List.of(new Rpc.IDontWant(List.of(id))))));
        h.router.handleRpc(a, Rpc.ofMessages(List.of(m)));
        assertThat(h.delivered).containsExactly(id);
        assertThat(messages(h.drain(c))).containsExactly(m);
        assertThat(messages(h.drain(a))).as("source").isEmpty();
        assertThat(messages(h.drain(author))).as("author").isEmpty();
        List<Rpc> toB = h.drain(b);
        assertThat(messages(toB)).as("sent IDONTWANT").isEmpty();
        assertThat(control(toB).idontwant())
                .as("large message: we announce IDONTWANT")
                .containsExactly(new Rpc.IDontWant(List.of(id)));
        // A second copy is a duplicate: not delivered, not forwarded.
        h.router.handleRpc(c, Rpc.ofMessages(List.of(m)));
        assertThat(h.delivered).hasSize(1);
        assertThat(h.router.stats().duplicates()).isEqualTo(1);
        assertThat(messages(h.drain(a))).isEmpty();
    }

    @Test
    void floodsubPeersGetMessagesButNoControl() {
        RouterHarness h = new RouterHarness();
        h.router.subscribe(T);
        PeerId flood = h.connect(1, PubsubProtocol.FLOODSUB, true, T);
        PeerId mesh = h.connect(2, V12, false, T);
        h.router.handleRpc(mesh, graft());
        h.router.handleRpc(flood, graft()); // ignored: floodsub has no mesh
        assertThat(h.router.meshPeers(T)).containsExactly(mesh);
        Rpc.Message m = signed(2, 1, 10);
        h.router.handleRpc(mesh, Rpc.ofMessages(List.of(m)));
        h.advance(Duration.ofSeconds(5));
        List<Rpc> out = h.drain(flood);
        assertThat(messages(out)).containsExactly(m);
        assertThat(control(out).isEmpty()).isTrue();
        // and a message from the floodsub peer reaches the mesh
        Rpc.Message m2 = signed(1, 1, 10);
        h.router.handleRpc(flood, Rpc.ofMessages(List.of(m2)));
        assertThat(messages(h.drain(mesh))).contains(m2);
    }

    @Test
    void ihaveIsAnsweredWithIWantAndUnkeptPromisesArePenalised() {
        RouterHarness h = new RouterHarness();
        h.router.subscribe(T);
        PeerId p = h.connect(1, V12, false, T);
        MessageId unknown = MessageIdFunction.FROM_AND_SEQNO.apply(signed(5, 1, 1));
        h.router.handleRpc(
                p,
                Rpc.ofControl(new Rpc.Control(
                        List.of(new Rpc.IHave(T, List.of(unknown))), List.of(), List.of(), List.of(), List.of())));
        assertThat(control(h.drain(p)).iwant()).containsExactly(new Rpc.IWant(List.of(unknown)));
        h.advance(Duration.ofSeconds(6));
        assertThat(h.router.stats().brokenPromises()).isEqualTo(1);
        // IHAVE from unsubscribed topics is ignored
        h.router.handleRpc(
                p,
                Rpc.ofControl(new Rpc.Control(
                        List.of(new Rpc.IHave("other", List.of(unknown))),
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of())));
        assertThat(control(h.drain(p)).iwant()).isEmpty();
    }

    @Test
    void iwantIsServedFromTheCacheAtMostThreeTimes() {
        RouterHarness h = new RouterHarness();
        h.router.subscribe(T);
        PeerId p = h.connect(1, V12, false, T);
        MessageId id = h.router.publish(T, new byte[] {1, 2, 3});
        h.drain(p);
        Rpc iwant = Rpc.ofControl(
                new Rpc.Control(List.of(), List.of(new Rpc.IWant(List.of(id))), List.of(), List.of(), List.of()));
        int served = 0;
        for (int i = 0; i < 5; i++) {
            h.router.handleRpc(p, iwant);
            served += messages(h.drain(p)).size();
        }
        assertThat(served).isEqualTo(3);
    }

    @Test
    void publishedMessagesAreAdvertisedInIHaveToNonMeshPeers() {
        RouterHarness h = new RouterHarness(
                GossipConfig.builder().floodPublish(false).build(),
                PeerScoreParams.defaults(),
                PeerScoreThresholds.defaults());
        List<PeerId> peers = new ArrayList<>();
        for (int i = 1; i <= 12; i++) peers.add(h.connect(i, V12, true, T));
        h.router.subscribe(T);
        MessageId id = h.router.publish(T, new byte[] {9});
        int gotMessage = 0, gotIHave = 0;
        h.advance(Duration.ofMillis(600));
        for (PeerId p : peers) {
            List<Rpc> out = h.drain(p);
            if (!messages(out).isEmpty()) gotMessage++;
            for (Rpc.IHave ih : control(out).ihave()) if (ih.messageIds().contains(id)) gotIHave++;
        }
        assertThat(gotMessage).isEqualTo(7);
        assertThat(gotIHave).isEqualTo(5); // the non-mesh rest: max(D_lazy, 25%) capped by the 5 candidates
    }

    @Test
    void asynchronousValidatorsAcceptRejectOrTimeOut() {
        RouterHarness h = new RouterHarness();
        h.router.subscribe(T);
        PeerId p = h.connect(1, V12, false, T);
        CompletableFuture<ValidationResult> later = new CompletableFuture<>();
        List<CompletableFuture<ValidationResult>> answers =
                List.of(later, new CompletableFuture<>(), CompletableFuture.completedFuture(ValidationResult.REJECT));
        int[] call = {0};
        h.router.setValidator(T, (from, m) -> answers.get(call[0]++));
        Rpc.Message m1 = signed(1, 1, 1), m2 = signed(1, 2, 1), m3 = signed(1, 3, 1);
        h.router.handleRpc(p, Rpc.ofMessages(List.of(m1, m2, m3)));
        assertThat(h.delivered).isEmpty();
        assertThat(h.router.stats().invalid()).isEqualTo(1);
        later.complete(ValidationResult.ACCEPT);
        h.advance(Duration.ofMillis(1));
        assertThat(h.delivered).containsExactly(MessageIdFunction.FROM_AND_SEQNO.apply(m1));
        h.advance(Duration.ofSeconds(6));
        assertThat(h.router.stats().validationTimeouts()).isEqualTo(1);
        assertThat(h.delivered).hasSize(1);
        assertThat(h.router.peerScore(p)).as("one invalid message costs P4").isLessThan(1.0);
    }

    @Test
    void invalidSignaturesGetThePeerBlacklistedAtTwenty() {
        RouterHarness h = new RouterHarness();
        h.router.subscribe(T);
        PeerId p = h.connect(1, V12, false, T);
        for (int i = 0; i < 25 && h.blacklisted.isEmpty(); i++) {
            Rpc.Message good = signed(1, i, 4);
            byte[] sig = good.signature();
            sig[3] ^= 1;
            h.router.handleRpc(
                    p, Rpc.ofMessages(List.of(new Rpc.Message(good.from(), good.data(), good.seqno(), T, sig, null))));
        }
        assertThat(h.delivered).isEmpty();
        assertThat(h.blacklisted).containsExactly(p);
        assertThat(h.blacklistReasons).containsExactly(BlacklistReason.INVALID_MESSAGES);
        assertThat(h.router.isBlacklisted(p)).isTrue();
        assertThat(h.router.peers()).doesNotContain(p);
        assertThat(h.router.addPeer(p, V12, false, "10.0.0.1")).isFalse();
        h.advance(Duration.ofMinutes(11));
        assertThat(h.router.addPeer(p, V12, false, "10.0.0.1")).isTrue();
    }

    @Test
    void aScoreAtTheDisconnectScoreGetsThePeerBlacklistedAtTheNextHeartbeat() {
        PeerId atLimit = RouterHarness.peer(1);
        PeerId justAbove = RouterHarness.peer(2);
        PeerScoreParams params = PeerScoreParams.defaults()
                .withAppSpecificScore(p -> p.equals(atLimit) ? -100 : p.equals(justAbove) ? -99.5 : 0, 1);
        RouterHarness h = new RouterHarness(GossipConfig.defaults(), params, PeerScoreThresholds.defaults());
        h.router.addPeer(atLimit, V12, false, "10.0.0.1");
        h.router.addPeer(justAbove, V12, false, "10.0.0.2");
        assertThat(h.blacklisted).isEmpty();
        h.advance(GossipConfig.defaults().heartbeatInterval().multipliedBy(2));
        assertThat(h.blacklisted).containsExactly(atLimit);
        assertThat(h.blacklistReasons).containsExactly(BlacklistReason.SCORE);
        assertThat(h.router.peers()).containsExactly(justAbove);
    }

    @Test
    void aBehaviourPenaltyAtTheLimitGetsThePeerBlacklistedWhileItsScoreIsStillAboveTheDisconnectScore() {
        // P7 = -(penalty - 1)^2 by default: a limit of 5 trips long before the score reaches -100
        PeerScoreThresholds thresholds =
                new PeerScoreThresholds(-10, -50, -80, 10, 1, -100, 5, 20, Duration.ofMinutes(10));
        RouterHarness h = new RouterHarness(GossipConfig.defaults(), PeerScoreParams.defaults(), thresholds);
        h.router.subscribe(T);
        PeerId p = h.connect(1, V12, false, T);
        h.router.handleRpc(p, graft());
        h.router.handleRpc(
                p,
                Rpc.ofControl(new Rpc.Control(
                        List.of(), List.of(), List.of(), List.of(new Rpc.Prune(T, List.of(), 60)), List.of())));
        int grafts = 0;
        while (h.blacklisted.isEmpty() && grafts < 10) {
            h.router.handleRpc(p, graft()); // each one during the backoff is penalised
            grafts++;
            if (h.blacklisted.isEmpty()) {
                assertThat(h.router.peerScore(p))
                        .as("still below the penalty limit after %s grafts", grafts)
                        .isGreaterThan(-16.0);
            }
        }
        assertThat(h.blacklisted).containsExactly(p);
        assertThat(h.blacklistReasons).containsExactly(BlacklistReason.BEHAVIOUR_PENALTY);
        assertThat(grafts).isBetween(3, 5);
    }

    @Test
    void publishingASeenMessageAgainIsRefusedAsADuplicateAndSendsNothing() {
        RouterHarness h = new RouterHarness();
        h.router.subscribe(T);
        PeerId p = h.connect(1, V12, false, T);
        h.router.handleRpc(p, graft());
        h.drain(p);
        Rpc.Message m = signed(5, 1, 8);
        h.router.publish(m);
        assertThat(messages(h.drain(p))).hasSize(1);
        assertThatThrownBy(() -> h.router.publish(m))
                .isInstanceOfSatisfying(
                        PublishException.class,
                        e -> assertThat(e.reason()).isEqualTo(PublishException.Reason.DUPLICATE));
        assertThat(h.drain(p)).isEmpty();
        assertThat(h.delivered).hasSize(1);
        Rpc.Message huge = signed(5, 2, GossipConfig.defaults().limits().maxRpcSize() + 1);
        assertThatThrownBy(() -> h.router.publish(huge))
                .isInstanceOfSatisfying(
                        PublishException.class,
                        e -> assertThat(e.reason()).isEqualTo(PublishException.Reason.MESSAGE_TOO_LARGE));
    }

    @Test
    void graylistedPeersAreIgnored() {
        PeerId bad = RouterHarness.peer(1);
        PeerScoreParams params = PeerScoreParams.defaults().withAppSpecificScore(p -> p.equals(bad) ? -90 : 0, 1);
        RouterHarness h = new RouterHarness(GossipConfig.defaults(), params, PeerScoreThresholds.defaults());
        h.router.subscribe(T);
        h.connect(1, V12, false, T);
        h.router.handleRpc(bad, Rpc.ofMessages(List.of(signed(1, 1, 1))));
        assertThat(h.delivered).isEmpty();
        assertThat(h.router.stats().graylistedRpcs()).isGreaterThan(0);
        assertThat(h.router.topicPeers(T))
                .as("even its subscription was ignored")
                .isEmpty();
        assertThat(h.blacklisted).isEmpty();
    }

    @Test
    void ipColocationLowersScores() {
        RouterHarness h = new RouterHarness(
                GossipConfig.defaults(),
                PeerScoreParams.defaults().withIpColocation(-1, 2, java.util.Set.of()),
                PeerScoreThresholds.defaults());
        List<PeerId> same = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            PeerId p = RouterHarness.peer(i);
            h.router.addPeer(p, V12, false, "192.0.2.7");
            same.add(p);
        }
        PeerId alone = RouterHarness.peer(9);
        h.router.addPeer(alone, V12, false, "192.0.2.9");
        assertThat(h.router.peerScore(same.get(0))).isEqualTo(-4.0); // (4 - 2)^2 * -1
        assertThat(h.router.peerScore(alone)).isZero();
    }

    @Test
    void wellScoredPrunersPeerExchangeIsSurfaced() {
        RouterHarness h = new RouterHarness();
        h.router.subscribe(T);
        PeerId p = h.connect(1, V12, false, T);
        h.router.handleRpc(p, graft());
        for (int i = 0; i < 12; i++) h.router.handleRpc(p, Rpc.ofMessages(List.of(signed(7, i, 1))));
        assertThat(h.router.peerScore(p)).isGreaterThanOrEqualTo(10);
        Rpc.PeerInfo info = new Rpc.PeerInfo(RouterHarness.peer(8).bytes(), null);
        h.router.handleRpc(
                p,
                Rpc.ofControl(new Rpc.Control(
                        List.of(), List.of(), List.of(), List.of(new Rpc.Prune(T, List.of(info), 30)), List.of())));
        assertThat(h.exchanged).containsExactly(List.of(info));
    }

    @Test
    void oversubscribedMeshKeepsBestScoresAndOutboundPeers() {
        java.util.Map<PeerId, Double> app = new java.util.HashMap<>();
        PeerScoreParams params = PeerScoreParams.defaults().withAppSpecificScore(p -> app.getOrDefault(p, 0.0), 1);
        RouterHarness h = new RouterHarness(GossipConfig.defaults(), params, PeerScoreThresholds.defaults());
        h.router.subscribe(T);
        List<PeerId> inbound = new ArrayList<>();
        for (int i = 1; i <= 10; i++) inbound.add(h.connect(i, V12, false, T));
        List<PeerId> outbound = new ArrayList<>();
        for (int i = 11; i <= 13; i++) outbound.add(h.connect(i, V12, true, T));
        for (PeerId p : inbound) h.router.handleRpc(p, graft());
        for (PeerId p : outbound) h.router.handleRpc(p, graft()); // outbound peers are accepted beyond D_hi
        assertThat(h.router.meshPeers(T)).hasSize(13);
        List<PeerId> best = inbound.subList(0, 4);
        for (PeerId p : best) app.put(p, 5.0);
        h.advance(Duration.ofMillis(600));
        java.util.Set<PeerId> mesh = h.router.meshPeers(T);
        assertThat(mesh).hasSize(7).containsAll(best);
        assertThat(mesh.stream().filter(outbound::contains).count()).isGreaterThanOrEqualTo(2);
        int pruned = 0;
        for (PeerId p : inbound)
            if (!mesh.contains(p)) pruned += control(h.drain(p)).prune().size();
        for (PeerId p : outbound)
            if (!mesh.contains(p)) pruned += control(h.drain(p)).prune().size();
        assertThat(pruned).isEqualTo(6);
    }

    @Test
    void opportunisticGraftAddsBetterScoredPeersWhenTheMeshMedianIsLow() {
        PeerId star = RouterHarness.peer(20);
        PeerScoreParams params = PeerScoreParams.defaults().withAppSpecificScore(p -> p.equals(star) ? 5 : 0, 1);
        GossipConfig cfg = GossipConfig.builder().opportunisticGraft(1, 2).build();
        RouterHarness h = new RouterHarness(cfg, params, PeerScoreThresholds.defaults());
        for (int i = 1; i <= 7; i++) h.connect(i, V12, true, T);
        h.router.subscribe(T);
        h.connect(20, V12, true, T);
        assertThat(h.router.meshPeers(T)).hasSize(7).doesNotContain(star);
        h.advance(Duration.ofMillis(600));
        assertThat(h.router.meshPeers(T)).hasSize(8).contains(star);
    }

    @Test
    void meshDeliveryDeficitScoresSilentPeersDownAndPrunesThem() {
        TopicScoreParams quota = TopicScoreParams.defaults().withMeshDeliveries(-1, 2, 10, Duration.ofSeconds(5), -1);
        RouterHarness h = new RouterHarness(
                GossipConfig.defaults(),
                PeerScoreParams.defaults().withTopic(T, quota),
                PeerScoreThresholds.defaults());
        h.router.subscribe(T);
        PeerId silent = h.connect(1, V12, false, T);
        PeerId busy = h.connect(2, V12, false, T);
        h.router.handleRpc(silent, graft());
        h.router.handleRpc(busy, graft());
        for (int second = 0; second < 8; second++) {
            h.router.handleRpc(busy, Rpc.ofMessages(List.of(signed(9, second, 1))));
            h.advance(Duration.ofSeconds(1));
        }
        assertThat(h.router.peerScore(busy)).isPositive();
        assertThat(h.router.meshPeers(T)).contains(busy).doesNotContain(silent);
        assertThat(h.router.peerScore(silent))
                .as("P3b failure penalty remains after the prune")
                .isNegative();
    }

    @Test
    void invalidMessagePenaltyDecays() {
        RouterHarness h = new RouterHarness();
        h.router.subscribe(T);
        PeerId p = h.connect(1, V12, false, T);
        h.router.setValidator(T, (from, m) -> CompletableFuture.completedFuture(ValidationResult.REJECT));
        for (int i = 0; i < 5; i++) h.router.handleRpc(p, Rpc.ofMessages(List.of(signed(3, i, 1))));
        double fresh = h.router.peerScore(p);
        assertThat(fresh).isCloseTo(-0.15 * 25, org.assertj.core.data.Offset.offset(1e-9));
        h.advance(Duration.ofMinutes(3));
        assertThat(h.router.peerScore(p)).isGreaterThan(fresh / 5);
    }
}
