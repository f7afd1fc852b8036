package dev.hyperj.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Whole networks of DHT nodes on the in-memory network and its virtual clock. */
class SimulatedDhtTest {
    static final KadConfig CONFIG = KadConfig.builder()
            .requestTimeout(Duration.ofSeconds(2))
            .lookupTimeout(Duration.ofSeconds(30))
            .build();

    /** A started network of {@code n} server nodes, each bootstrapped from node 0. */
    static final class Net {
        final SimulatedDhtNetwork sim;
        final List<KadDht> nodes = new ArrayList<>();
        final Validators validators;

        Net(long seed, int n, KadConfig config, Validators validators) {
            this.validators = validators;
            sim = new SimulatedDhtNetwork(seed, Duration.ofMillis(10), Duration.ofMillis(80));
            for (int i = 0; i < n; i++) {
                KadDht d = sim.addNode(config, validators);
                sim.await(d.start());
                nodes.add(d);
            }
            PeerInfo seedPeer = sim.info(nodes.get(0).peerId());
            for (int i = 1; i < n; i++) {
                sim.await(nodes.get(i).bootstrap(List.of(seedPeer)));
            }
        }

        Net(long seed, int n) {
            this(seed, n, CONFIG, Validators.defaults());
        }

        KadDht join(KadConfig config) {
            KadDht d = sim.addNode(config, validators);
            sim.await(d.start());
            sim.await(d.bootstrap(List.of(sim.info(nodes.get(0).peerId()))));
            return d;
        }
    }

    @Test
    void everyNodeFindsEveryOtherById() {
        Net net = new Net(1, 60);
        int found = 0;
        int viaLookup = 0;
        for (KadDht a : net.nodes) {
            for (KadDht b : net.nodes) {
                if (a == b) {
                    continue;
                }
                LookupResult r = net.sim.await(a.findPeer(b.peerId()));
                assertThat(r.peers())
                        .as("%s finds %s", a.peerId(), b.peerId())
                        .singleElement()
                        .isEqualTo(net.sim.info(b.peerId()));
                found++;
                if (r.stats().queries() > 0) {
                    viaLookup++;
                }
            }
        }
        assertThat(found).isEqualTo(60 * 59);
        assertThat(viaLookup).as("targets outside the searcher's own table").isGreaterThan(50);
    }

    @Test
    void closestPeersLookupEndsOnTheTrueClosestPeers() {
        Net net = new Net(2, 80);
        List<PeerId> all = net.nodes.stream().map(KadDht::peerId).toList();
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 40; i++) {
            KadDht searcher = net.nodes.get(rnd.nextInt(net.nodes.size()));
            byte[] key = ("/pk/random-" + i).getBytes(StandardCharsets.US_ASCII);
            KadKey target = KadKey.of(key);
            List<PeerId> truth = all.stream()
                    .filter(p -> !p.equals(searcher.peerId()))
                    .sorted((x, y) -> target.compareDistance(KadKey.of(x.bytes()), KadKey.of(y.bytes())))
                    .limit(20)
                    .toList();
            LookupResult r = net.sim.await(searcher.findClosestPeers(key));
            assertThat(r.peers().stream().map(PeerInfo::id).toList()).containsExactlyElementsOf(truth);
            assertThat(r.stats().timedOut()).isFalse();
        }
    }

    @Test
    void randomWalkRepopulatesAnEmptiedTable() {
        Net net = new Net(3, 50);
        KadDht victim = net.nodes.get(17);
        int before = net.sim.await(victim.routingTablePeers()).size();
        assertThat(before).isGreaterThanOrEqualTo(20);
        net.sim.await(victim.clearRoutingTable());
        assertThat(net.sim.await(victim.routingTablePeers())).isEmpty();
        long walksBefore = victim.stats().randomWalks();

        // a thin table (< k peers) triggers a walk within thinTableWalkDelay (10 s)
        net.sim.runFor(Duration.ofSeconds(25));

        assertThat(victim.stats().randomWalks()).isGreaterThan(walksBefore);
        assertThat(net.sim.await(victim.routingTablePeers()).size()).isGreaterThanOrEqualTo(20);
        for (KadDht other : net.nodes) {
            if (other != victim) {
                assertThat(net.sim.await(victim.findPeer(other.peerId())).peers())
                        .hasSize(1);
            }
        }
    }

    @Test
    void periodicRandomWalkRunsOnItsInterval() {
        KadConfig walkEvery = CONFIG.toBuilder()
                .randomWalkInterval(Duration.ofMinutes(1))
                .thinTableWalkDelay(Duration.ZERO)
                .build();
        Net net = new Net(4, 25, walkEvery, Validators.defaults());
        long before = net.nodes.get(5).stats().randomWalks();
        net.sim.runFor(Duration.ofMinutes(21));
        // first run after 0.5-1 interval, then every interval: 20 or 21 walks in 21 minutes
        assertThat(net.nodes.get(5).stats().randomWalks() - before).isBetween(20L, 21L);
        assertThat(net.nodes.get(5).stats().bucketRefreshes())
                .as("refresh ran at its 10 min interval")
                .isPositive();
    }

    @Test
    void putsAndGetsPublicKeysAcrossTheNetwork() {
        Net net = new Net(5, 60);
        KadDht owner = net.nodes.get(3);
        PrivateKey someKey = TestPeers.key(4242);
        PeerId id = PeerId.fromPublicKey(someKey.publicKey());
        byte[] key = Validators.publicKeyRecordKey(id);
        PutResult put = net.sim.await(owner.putValue(key, someKey.publicKey().marshal()));
        assertThat(put.targets()).isEqualTo(20);
        assertThat(put.acks()).isEqualTo(20);
        for (int i = 0; i < net.nodes.size(); i += 7) {
            ValueResult got = net.sim.await(net.nodes.get(i).getValue(key));
            assertThat(got.record()).isPresent();
            assertThat(got.value()).isEqualTo(someKey.publicKey().marshal());
            assertThat(got.validAnswers()).isGreaterThanOrEqualTo(1);
        }
        ValueResult missing =
                net.sim.await(net.nodes.get(9).getValue(Validators.publicKeyRecordKey(TestPeers.peer(1))));
        assertThat(missing.record()).isEmpty();
    }

    @Test
    void refusesToPutInvalidRecords() {
        Net net = new Net(6, 10);
        byte[] key = Validators.publicKeyRecordKey(TestPeers.peer(1));
        assertThatThrownBy(() -> net.sim.await(net.nodes
                        .get(2)
                        .putValue(key, TestPeers.key(2).publicKey().marshal())))
                .isInstanceOf(InvalidRecordException.class);
        assertThatThrownBy(
                        () -> net.sim.await(net.nodes.get(2).getValue("/nope/x".getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(InvalidRecordException.class);
    }

    @Test
    void getSelectsTheBestValueAndCorrectsOutdatedPeers() {
        long[] epoch = {10};
        Validators v = Validators.builder()
                .register("subnet", ValidatorsTest.epochWindow(() -> epoch[0]))
                .build();
        Net net = new Net(7, 60, CONFIG, v);
        byte[] key = "/subnet/1/leader".getBytes(StandardCharsets.US_ASCII);
        KadDht writerA = net.nodes.get(1);
        KadDht writerB = net.nodes.get(2);
        assertThat(net.sim.await(writerA.putValue(key, ValidatorsTest.epoch(9))).acks())
                .isEqualTo(20);

        // take 5 of the holders offline while B writes a newer value: they keep epoch 9
        List<PeerInfo> holders =
                net.sim.await(net.nodes.get(30).findClosestPeers(key)).peers();
        List<PeerId> stale = holders.stream()
                .limit(5)
                .map(PeerInfo::id)
                .filter(p -> !p.equals(writerB.peerId()))
                .toList();
        stale.forEach(p -> net.sim.setOnline(p, false));
        PutResult second = net.sim.await(writerB.putValue(key, ValidatorsTest.epoch(10)));
        assertThat(second.acks()).isGreaterThanOrEqualTo(15);
        stale.forEach(p -> net.sim.setOnline(p, true));
        for (PeerId p : stale) {
            assertThat(storedValue(net, p, key)).as("still outdated").isEqualTo(ValidatorsTest.epoch(9));
        }

        KadConfig all = CONFIG.toBuilder().getQuorum(1000).build(); // collect from every close peer
        KadDht reader = net.join(all);
        ValueResult got = net.sim.await(reader.getValue(key));
        assertThat(got.value()).isEqualTo(ValidatorsTest.epoch(10));
        assertThat(got.corrected()).isGreaterThanOrEqualTo(1);
        net.sim.runFor(Duration.ofSeconds(5)); // let the corrections arrive
        long fixed = stale.stream()
                .filter(p -> java.util.Arrays.equals(storedValue(net, p, key), ValidatorsTest.epoch(10)))
                .count();
        assertThat(fixed).as("outdated holders corrected").isEqualTo(got.corrected());
    }

    /** What {@code holder} answers to GET_VALUE, asked directly by node 0. */
    static byte[] storedValue(Net net, PeerId holder, byte[] key) {
        KadCodec codec = new KadCodec();
        KadMessage answer = net.sim.await(net.sim.sendRaw(
                net.nodes.get(0).peerId(),
                holder,
                codec.encodeFrame(KadMessage.request(KadMessage.Type.GET_VALUE, key))));
        return answer.record() == null ? null : answer.record().value();
    }

    @Test
    void providersAreFoundAcrossTheNetwork() {
        Net net = new Net(8, 60);
        byte[] cid = "some-content-id".getBytes(StandardCharsets.US_ASCII);
        KadDht p1 = net.nodes.get(11);
        KadDht p2 = net.nodes.get(12);
        assertThat(net.sim.await(p1.provide(cid))).isEqualTo(20);
        assertThat(net.sim.await(p2.provide(cid))).isEqualTo(20);
        net.sim.runFor(Duration.ofSeconds(2)); // ADD_PROVIDER has no answer: let it land
        for (int i = 20; i < 60; i += 5) {
            List<PeerInfo> found = net.sim.await(net.nodes.get(i).findProviders(cid, 5));
            assertThat(found).containsExactlyInAnyOrder(net.sim.info(p1.peerId()), net.sim.info(p2.peerId()));
        }
        assertThat(net.sim.await(net.nodes.get(30).findProviders("other".getBytes(StandardCharsets.US_ASCII), 5)))
                .isEmpty();
    }

    @Test
    void providerRecordsExpireUnlessRepublished() {
        KadConfig shortLived = CONFIG.toBuilder()
                .providerTtl(Duration.ofMinutes(30))
                .providerRepublishInterval(Duration.ofMinutes(20))
                .cleanupInterval(Duration.ofMinutes(5))
                .build();
        Net net = new Net(9, 30, shortLived, Validators.defaults());
        byte[] cid = "cid-1".getBytes(StandardCharsets.US_ASCII);
        KadDht provider = net.nodes.get(4);
        net.sim.await(provider.provide(cid));
        net.sim.runFor(Duration.ofHours(2)); // 4 TTLs: only republishing keeps it alive
        assertThat(net.sim.await(net.nodes.get(20).findProviders(cid, 5))).contains(net.sim.info(provider.peerId()));
        provider.close();
        net.sim.setOnline(provider.peerId(), false);
        net.sim.runFor(Duration.ofHours(1));
        assertThat(net.sim.await(net.nodes.get(20).findProviders(cid, 5))).isEmpty();
    }

    @Test
    void deadPeersLeaveTablesAndLookupsRouteAroundThem() {
        // maintenance off: the removals seen here come from the lookups' own failed requests
        KadConfig quiet = CONFIG.toBuilder()
                .randomWalkInterval(Duration.ZERO)
                .refreshInterval(Duration.ZERO)
                .build();
        Net net = new Net(10, 70, quiet, Validators.defaults());
        List<PeerId> dead = new ArrayList<>();
        for (int i = 50; i < 70; i++) {
            dead.add(net.nodes.get(i).peerId());
            net.sim.setOnline(net.nodes.get(i).peerId(), false);
        }
        List<KadDht> alive = net.nodes.subList(0, 50);
        int deadEntriesBefore = countEntries(net, alive, dead);
        assertThat(deadEntriesBefore).isPositive();
        for (KadDht a : alive) {
            for (int j = 0; j < 50; j += 7) {
                KadDht b = alive.get(j);
                if (a != b) {
                    LookupResult r = net.sim.await(a.findClosestPeers(b.peerId().bytes()));
                    assertThat(r.peers().get(0).id()).isEqualTo(b.peerId());
                    assertThat(r.peers()).extracting(PeerInfo::id).doesNotContainAnyElementsOf(dead);
                }
            }
        }
        int deadEntriesAfter = countEntries(net, alive, dead);
        assertThat(deadEntriesAfter).as("peers that stop answering are removed").isLessThan(deadEntriesBefore / 4);
    }

    static int countEntries(Net net, List<KadDht> of, List<PeerId> peers) {
        int n = 0;
        for (KadDht d : of) {
            for (PeerInfo p : net.sim.await(d.routingTablePeers())) {
                if (peers.contains(p.id())) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void clientModeNodesQueryButAreNeverAdded() {
        Net net = new Net(11, 30);
        KadDht client = net.join(CONFIG.toBuilder().clientMode(true).build());
        for (KadDht d : net.nodes) {
            assertThat(net.sim.await(client.findPeer(d.peerId())).peers()).hasSize(1);
        }
        net.sim.runFor(Duration.ofMinutes(2));
        for (KadDht d : net.nodes) {
            assertThat(net.sim.await(d.routingTablePeers()))
                    .extracting(PeerInfo::id)
                    .doesNotContain(client.peerId());
        }
        assertThat(net.sim.await(client.routingTablePeers())).hasSizeGreaterThanOrEqualTo(20);
        assertThat(net.sim.await(net.nodes.get(3).findPeer(client.peerId())).peers())
                .isEmpty();
    }

    @Test
    void sameSeedSameRun() {
        Map<String, Object> a = runForDeterminism();
        Map<String, Object> b = runForDeterminism();
        assertThat(a).isEqualTo(b);
    }

    private static Map<String, Object> runForDeterminism() {
        Net net = new Net(12, 30);
        Map<String, Object> out = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            LookupResult r = net.sim.await(net.nodes
                    .get(i)
                    .findClosestPeers(net.nodes.get(29 - i).peerId().bytes()));
            out.put("lookup" + i, r);
        }
        out.put("messages", net.sim.messagesDelivered());
        out.put("bytes", net.sim.bytesDelivered());
        return out;
    }
}
