package dev.hyperj.subnet.dag;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.dag.commit.CommitRevealBook;
import dev.hyperj.subnet.dag.commit.CommitRevealSchemas;
import dev.hyperj.subnet.dag.commit.CommitWindow;
import dev.hyperj.subnet.dag.commit.Commitment;
import dev.hyperj.subnet.epoch.EpochPosition;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Commit/reveal without sockets: the schemas on a real MerkleDag and the book's windows and scores. */
class CommitRevealTest {
    static final int LEN = 20, SUBNET = 3;
    final PrivateKey a = Keys.generate(KeyType.ED25519),
            b = Keys.generate(KeyType.SECP256K1),
            c = Keys.generate(KeyType.ECDSA),
            copier = Keys.generate(KeyType.ED25519);
    final MerkleDag dag = new MerkleDag(new MemoryDagStore());

    {
        CommitRevealSchemas.register(dag);
    }

    final CommitRevealBook book = new CommitRevealBook();

    static String id(PrivateKey k) {
        return PeerId.fromPublicKey(k.publicKey()).toBase58();
    }

    static EpochPosition at(long epoch, long blocksIn) {
        return EpochPosition.at(epoch * LEN + blocksIn, 0, LEN);
    }

    JsonNode scores(Object... kv) {
        var o = CanonicalJson.object();
        for (int i = 0; i < kv.length; i += 2) o.put(id((PrivateKey) kv[i]), (BigInteger) kv[i + 1]);
        return o;
    }

    DagNode commit(PrivateKey k, Commitment cm) {
        return DagNodes.create(
                k,
                CommitRevealSchemas.NAMESPACE,
                CommitRevealSchemas.COMMIT,
                List.of(),
                CommitRevealSchemas.commitPayload(cm),
                CanonicalJson.object().put("epoch", cm.epoch()),
                1);
    }

    DagNode reveal(PrivateKey k, Commitment cm, List<String> parents) {
        return DagNodes.create(
                k,
                CommitRevealSchemas.NAMESPACE,
                CommitRevealSchemas.REVEAL,
                parents,
                cm.toJson(),
                CanonicalJson.object().put("epoch", cm.epoch()),
                2);
    }

    /** Ingests and, if accepted, tells the book when it arrived. */
    Ingested arrive(DagNode n, EpochPosition when) {
        Ingested r = dag.ingest(n);
        if (r.status() == Ingested.Status.ACCEPTED) book.accepted(n, when);
        return r;
    }

    @Test
    void honestRevealsCountAndCopiesLateOnesAndUncommittedOnesDoNot() {
        long e = 7;
        BigInteger s100 = BigInteger.valueOf(100),
                s50 = BigInteger.valueOf(50),
                big = new BigInteger("1000000000000000000");
        Commitment ca = new Commitment(e, "n1", id(a), scores(b, s100, c, big, a, s100), SUBNET, 1);
        Commitment cb = new Commitment(e, "n2", id(b), scores(a, s50, c, BigInteger.ONE, copier, s100), SUBNET, 2);
        Commitment cc = new Commitment(e, "n3", id(c), scores(a, BigInteger.valueOf(51), b, s50), SUBNET, 3);
        DagNode comA = commit(a, ca), comB = commit(b, cb), comC = commit(c, cc);
        assertThat(arrive(comA, at(e, 0)).status()).isEqualTo(Ingested.Status.ACCEPTED);
        assertThat(arrive(comB, at(e - 1, LEN - 1)).status())
                .isEqualTo(Ingested.Status.ACCEPTED); // a block early: counts
        assertThat(arrive(comC, at(e, CommitWindow.commitUntil(LEN))).status())
                .isEqualTo(Ingested.Status.ACCEPTED); // late
        // the copier commits garbage in time, then reveals a's preimage as is and as its own
        Commitment junk = new Commitment(e, "x", id(copier), scores(a, s100), SUBNET, 4);
        DagNode comX = commit(copier, junk);
        arrive(comX, at(e, 1));
        long mid = CommitWindow.revealFrom(LEN);
        assertThat(arrive(reveal(a, ca, List.of(comA.id())), at(e, mid)).status())
                .isEqualTo(Ingested.Status.ACCEPTED);
        assertThat(arrive(reveal(b, cb, List.of(comB.id())), at(e + 1, 0)).status())
                .isEqualTo(Ingested.Status.ACCEPTED);
        assertThat(arrive(reveal(c, cc, List.of(comC.id())), at(e, mid)).status())
                .isEqualTo(Ingested.Status.ACCEPTED);
        // copied reveal: another peer's preimage
        Ingested copied = arrive(reveal(copier, ca, List.of(comX.id())), at(e, mid));
        assertThat(copied.reason()).isEqualTo(RejectReason.INVALID_PAYLOAD);
        assertThat(copied.rejection().detail()).contains("copied");
        // copied scores under its own name: does not hash to its commit
        Commitment stolen = new Commitment(e, ca.nonce(), id(copier), ca.scores(), SUBNET, 4);
        assertThat(arrive(reveal(copier, stolen, List.of(comX.id())), at(e, mid))
                        .rejection()
                        .detail())
                .contains("hash");
        // parented on someone else's commit
        assertThat(arrive(reveal(copier, stolen, List.of(comA.id())), at(e, mid))
                        .rejection()
                        .detail())
                .contains("another peer");
        // without a commit at all
        assertThat(arrive(reveal(copier, stolen, List.of()), at(e, mid))
                        .rejection()
                        .detail())
                .contains("exactly one parent");
        // a reveal before the middle (out of its window) is accepted in the DAG but does not count
        long e2 = 8;
        Commitment early = new Commitment(e2, "n9", id(a), scores(b, s100), SUBNET, 1);
        DagNode comE = commit(a, early);
        arrive(comE, at(e2, 0));
        arrive(reveal(a, early, List.of(comE.id())), at(e2, 2));
        assertThat(book.reveals(e2)).isEmpty();

        // what counts for epoch 7: a and b (c's commit was late, the copier has no valid reveal)
        assertThat(book.reveals(e).keySet()).containsExactlyInAnyOrder(id(a), id(b));
        Map<String, BigInteger> expected = new TreeMap<>();
        expected.put(id(a), s50); // only b's reveal scores a (a's own score of itself is ignored)
        expected.put(id(b), s100); // a gave 100
        expected.put(id(c), BigInteger.ZERO); // scored by a and b, but no valid reveal of its own
        expected.put(id(copier), BigInteger.ZERO);
        assertThat(book.scores(e)).isEqualTo(expected);
    }

    @Test
    void integerMeanRoundsDown() {
        var r = new TreeMap<String, JsonNode>();
        r.put("p1", CanonicalJson.object().put("p3", 10).put("p2", 1));
        r.put("p2", CanonicalJson.object().put("p3", 11).put("p1", -5).put("p2", 999));
        r.put("p3", CanonicalJson.object().put("p1", 7).put("p2", new BigInteger("3000000000000000000000")));
        assertThat(CommitRevealBook.meanScores(r))
                .containsEntry("p3", BigInteger.TEN) // (10 + 11) / 2 = 10
                .containsEntry("p2", new BigInteger("1500000000000000000000")) // (1 + 3e21) / 2, own 999 ignored
                .containsEntry("p1", BigInteger.valueOf(7)); // negative skipped
    }
}
