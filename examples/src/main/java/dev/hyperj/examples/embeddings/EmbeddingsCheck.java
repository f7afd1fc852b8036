package dev.hyperj.examples.embeddings;

import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.overwatch.OverwatchCheck;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/**
 * The embeddings subnet's {@link OverwatchCheck}: what an overwatch agent, outside the subnet, can
 * check of a node's useful work. It asks the node, as any user would, to embed {@link #TEXTS}
 * fresh texts of random vocabulary words (a node cannot tell it from a user's request, nor answer
 * from a table), checks that the answer is signed by the node's own key, and recomputes the
 * vectors: with ONNX Runtime first, and when that disagrees, with the pure-Java reference that
 * decides. A node passes if every component is within {@value #TOLERANCE} of the reference; a node
 * that refuses, does not answer, signs with another key or serves another model (the int8 one is
 * about 0.02 off) fails.
 */
public final class EmbeddingsCheck implements OverwatchCheck {
    /** The id the embeddings subnet declares on chain. */
    public static final String ID = "hyperj-embeddings/1";

    static final int TEXTS = 2;
    static final double TOLERANCE = EvidenceTopic.TOLERANCE;

    /** Judging runs a model: never on the network thread that completed the request. */
    private static final Executor JUDGE =
            r -> Thread.ofVirtual().name("embeddings-check").start(r);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<String> protocols() {
        return Set.of(EmbeddingsProtocol.ID);
    }

    @Override
    public CompletableFuture<Verdict> check(Host host, PeerId node, RandomGenerator random) {
        List<String> texts = SpotChecker.randomTexts(random, TEXTS);
        return EmbeddingsProtocol.embed(host, node, 0, texts)
                .handleAsync(
                        (receipt, err) -> {
                            if (err != null) {
                                Throwable cause = err instanceof CompletionException && err.getCause() != null
                                        ? err.getCause()
                                        : err;
                                return Verdict.fail("no embeddings: " + cause.getMessage());
                            }
                            return judge(receipt);
                        },
                        JUDGE);
    }

    /** The verdict on a signed answer (its signature was checked when it arrived). */
    static Verdict judge(Receipt receipt) {
        if (receipt.wrong(Models.fp32(), TOLERANCE).isEmpty())
            return Verdict.pass("embeddings within " + TOLERANCE + " of the reference");
        float[][] expected = Models.CACHED_REFERENCE.embed(receipt.texts());
        double worst = 0;
        for (int i = 0; i < expected.length; i++)
            worst = Math.max(worst, Vectors.maxAbsDiff(receipt.vectors()[i], expected[i]));
        return worst <= TOLERANCE
                ? Verdict.pass("embeddings within " + TOLERANCE + " of the reference")
                : Verdict.fail(String.format(
                        Locale.ROOT,
                        "wrong embeddings: a component %.4f off the reference (tolerance %s): another model",
                        worst,
                        TOLERANCE));
    }
}
