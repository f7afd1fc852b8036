package dev.hyperj.examples.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.peer.PeerId;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The messages round-trip bit for bit; receipts bind the signer to its vectors; junk only raises EmbeddingsException. */
class WireTest {
    static final PrivateKey KEY = Keys.generate(KeyType.ED25519);
    static final PeerId PEER = PeerId.fromPublicKey(KEY.publicKey());

    static float[] vector(int seed) {
        float[] v = new float[Embedder.DIMENSIONS];
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian() / 20;
        v[0] = -0.0f;
        v[1] = Float.MIN_VALUE;
        return v;
    }

    @Test
    void responsesAndEvidenceRoundTripBitForBitAndReceiptsVerify() {
        List<String> texts = List.of("one", "two é 東");
        Receipt r = Receipt.sign(5, texts, new float[][] {vector(1), vector(2)}, KEY);
        assertThat(r.signedBy(PEER)).isTrue();
        Wire.Response back = Wire.decodeResponse(Wire.encode(Wire.Response.of(r)));
        Receipt again = new Receipt(5, texts, back.vectors(), back.publicKey(), back.signature());
        assertThat(Vectors.hash(again.vectors()[0])).isEqualTo(Vectors.hash(r.vectors()[0]));
        assertThat(again.signedBy(PEER)).isTrue();
        Wire.Evidence e = Wire.decodeEvidence(Wire.encode(new Wire.Evidence(3, 2, PEER.toBase58(), r)));
        assertThat(e.subnetId()).isEqualTo(3);
        assertThat(e.subnetNodeId()).isEqualTo(2);
        assertThat(e.receipt().texts()).isEqualTo(texts);
        assertThat(e.receipt().signedBy(PEER)).isTrue();
    }

    @Test
    void aReceiptDoesNotVerifyForAnotherSignerOrChangedVectorsTextsOrEpoch() {
        List<String> texts = List.of("one");
        Receipt r = Receipt.sign(5, texts, new float[][] {vector(1)}, KEY);
        PeerId other = PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
        assertThat(r.signedBy(other)).isFalse();
        float[] changed = vector(1);
        changed[100] = Math.nextUp(changed[100]); // one bit
        assertThat(new Receipt(5, texts, new float[][] {changed}, r.publicKey(), r.signature()).signedBy(PEER))
                .isFalse();
        assertThat(new Receipt(5, List.of("One"), r.vectors(), r.publicKey(), r.signature()).signedBy(PEER))
                .isFalse();
        assertThat(new Receipt(6, texts, r.vectors(), r.publicKey(), r.signature()).signedBy(PEER))
                .isFalse();
    }

    @Test
    void answersAreCheckedForShape() {
        var a = new dev.hyperj.examples.challenge.RevealedAnswers.Answer<>(1, 9, 3, Vectors.hash(vector(4)));
        assertThat(Wire.decodeAnswer(Wire.encode(a))).isEqualTo(a);
        assertThatThrownBy(() -> Wire.decodeAnswer(
                        "{\"subnet_id\":1,\"epoch\":9,\"subnet_node_id\":3,\"answer\":\"md5:00\"}".getBytes()))
                .isInstanceOf(EmbeddingsException.class);
        assertThatThrownBy(() -> Wire.decodeAnswer(
                        "{\"subnet_id\":1,\"epoch\":-9,\"subnet_node_id\":3,\"answer\":\"x\"}".getBytes()))
                .isInstanceOf(EmbeddingsException.class);
    }

    @Property(tries = 300)
    void randomBytesOnlyRaiseEmbeddingsException(@ForAll("junk") byte[] bytes) {
        for (var decoder : List.<java.util.function.Function<byte[], ?>>of(
                Wire::decodeRequest, Wire::decodeResponse, Wire::decodeAnswer, Wire::decodeEvidence)) {
            try {
                var unused = decoder.apply(bytes);
            } catch (EmbeddingsException expected) {
                // the only failure allowed
            }
        }
    }

    @Provide
    Arbitrary<byte[]> junk() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> mutated = Arbitraries.integers()
                .between(0, 200)
                .flatMap(i -> Arbitraries.bytes().map(b -> {
                    byte[] base = Wire.encode(new Wire.Evidence(
                            1, 2, PEER.toBase58(), Receipt.sign(1, List.of("x"), new float[][] {vector(1)}, KEY)));
                    base[i % base.length] = b;
                    return base;
                }));
        return Arbitraries.oneOf(raw, mutated);
    }
}
