package dev.hyperj.examples.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The pure-Java forward pass against ONNX Runtime, its determinism, and its semantics. */
class MiniLmTest {
    static final List<String> SENTENCES = List.of(
            "A man is eating food.",
            "A man is eating a piece of bread.",
            "The girl is carrying a baby.",
            "A man is riding a horse.",
            "A woman is playing violin.",
            "Two men pushed carts through the woods.",
            "A man is riding a white horse on an enclosed ground.",
            "A monkey is playing drums.",
            "Crème brûlée, naïve café, Ångström, façade, résumé",
            "東京は日本の首都です。我爱北京天安门！",
            "emoji 😀🚀👍🏽 and punctuation!!! ... ???",
            "",
            "x",
            "The decentralized network pays for useful work that others can check. ".repeat(40));

    @Test
    void agreesWithOnnxRuntimeOnEverySentence() {
        float[][] ort = Models.fp32().embed(SENTENCES);
        for (int i = 0; i < SENTENCES.size(); i++) {
            float[] ours = Models.reference().embed(SENTENCES.get(i));
            assertThat(ours).hasSize(Embedder.DIMENSIONS);
            assertThat(Vectors.cosine(ours, ort[i])).as(SENTENCES.get(i)).isGreaterThanOrEqualTo(0.9999);
            assertThat(Vectors.maxAbsDiff(ours, ort[i])).as(SENTENCES.get(i)).isLessThan(1e-4);
        }
    }

    @Test
    void onnxRuntimeFp32GivesTheSameBitsAloneOrInABatchAndInt8DoesNot() {
        List<String> texts = SENTENCES.subList(0, 3);
        float[][] fp32 = Models.fp32().embed(texts);
        float[][] int8 = Models.int8().embed(texts);
        int int8Changed = 0;
        for (int i = 0; i < texts.size(); i++) {
            assertThat(Vectors.hash(Models.fp32().embed(List.of(texts.get(i)))[0]))
                    .isEqualTo(Vectors.hash(fp32[i]));
            if (!Vectors.hash(Models.int8().embed(List.of(texts.get(i)))[0]).equals(Vectors.hash(int8[i])))
                int8Changed++;
        }
        assertThat(int8Changed)
                .as("int8 answers that depend on the rest of the batch")
                .isPositive();
    }

    @Test
    void theInt8ModelIsOutsideTheCheckTolerance() {
        float[][] fp32 = Models.fp32().embed(SENTENCES.subList(0, 4));
        float[][] int8 = Models.int8().embed(SENTENCES.subList(0, 4));
        for (int i = 0; i < 4; i++) {
            assertThat(Vectors.maxAbsDiff(fp32[i], int8[i])).isGreaterThan(1e-3);
            assertThat(Vectors.cosine(fp32[i], int8[i])).isGreaterThan(0.9); // still the same model, roughly
        }
    }

    @Test
    void bitIdenticalAcrossRunsAndThreads() throws Exception {
        List<String> texts = SENTENCES.subList(0, 6);
        List<String> first = new ArrayList<>();
        for (String t : texts) first.add(Vectors.hash(Models.reference().embed(t)));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<String>> later = new ArrayList<>();
            for (int round = 0; round < 2; round++)
                for (String t : texts)
                    later.add(pool.submit(() -> Vectors.hash(Models.reference().embed(t))));
            for (int i = 0; i < later.size(); i++)
                assertThat(later.get(i).get()).isEqualTo(first.get(i % texts.size()));
        } finally {
            pool.shutdownNow();
        }
        // pinned: the same bits on every JVM and machine (a change of arithmetic order shows here)
        assertThat(first.get(0)).isEqualTo(PINNED_FIRST);
    }

    static final String PINNED_FIRST = "sha256:769a9822c9c892279134d2ad7b4892486781c9e4b3f0c13333b7a59e82208e17";

    @Test
    void paraphrasesAreCloserThanUnrelatedSentences() {
        MiniLm m = Models.reference();
        float[] eat = m.embed("A man is eating food.");
        float[] eatToo = m.embed("A man is eating a piece of bread.");
        float[] horse = m.embed("A man is riding a horse.");
        float[] horseToo = m.embed("A man is riding a white horse on an enclosed ground.");
        float[] monkey = m.embed("A monkey is playing drums.");
        assertThat(Vectors.cosine(eat, eatToo)).isGreaterThan(Vectors.cosine(eat, horse));
        assertThat(Vectors.cosine(eat, eatToo)).isGreaterThan(Vectors.cosine(eat, monkey));
        assertThat(Vectors.cosine(horse, horseToo)).isGreaterThan(Vectors.cosine(horse, eat));
        assertThat(Vectors.cosine(horse, horseToo)).isGreaterThan(Vectors.cosine(horse, monkey));
        assertThat(Vectors.cosine(horse, horseToo)).isGreaterThan(0.6);
        assertThat(Vectors.cosine(eat, monkey)).isLessThan(0.3);
    }

    @Test
    void erfMatchesKnownValues() {
        assertThat(MiniLm.erf(0)).isEqualTo(0.0);
        assertThat(MiniLm.erf(0.5)).isCloseTo(0.5204998778130465, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(MiniLm.erf(1)).isCloseTo(0.8427007929497149, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(MiniLm.erf(-2)).isCloseTo(-0.9953222650189527, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(MiniLm.erf(3.5)).isCloseTo(0.9999992569016276, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(MiniLm.erf(7)).isEqualTo(1.0);
    }
}
