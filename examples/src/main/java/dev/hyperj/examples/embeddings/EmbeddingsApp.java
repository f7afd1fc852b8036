package dev.hyperj.examples.embeddings;

import dev.hyperj.examples.challenge.EpochRandomness;
import dev.hyperj.examples.challenge.RevealedAnswers;
import dev.hyperj.subnet.consensus.Scorer;
import dev.hyperj.subnet.node.NodeContext;
import dev.hyperj.subnet.node.SubnetApplication;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embeddings subnet, as a {@link SubnetApplication}: every node serves all-MiniLM-L6-v2
 * sentence embeddings to peers ({@value EmbeddingsProtocol#ID}) and to HTTP users
 * ({@code POST /v1/embeddings} on its network API); commits each epoch's {@link Challenge} answer
 * (drawn from the epoch's chain randomness), computed with the pure-Java reference, through the
 * framework's commit/reveal; spot-checks other nodes and publishes evidence of wrong answers; declares
 * {@link EmbeddingsCheck} for overwatch agents; and scores
 * the nodes that did the work right ({@link EmbeddingsScorer}). One instance per node; the models
 * are loaded once per JVM ({@link Models}).
 */
public final class EmbeddingsApp implements SubnetApplication {
    private static final Logger log = LoggerFactory.getLogger(EmbeddingsApp.class);

    private final boolean faulty;
    private volatile RevealedAnswers<String> answers;
    private volatile EpochRandomness randomness;
    private volatile EvidenceTopic evidence;
    private volatile SpotChecker checker;

    /** An honest node: serves the fp32 model, answers challenges with the reference. */
    public EmbeddingsApp() {
        this(false);
    }

    private EmbeddingsApp(boolean faulty) {
        this.faulty = faulty;
    }

    /**
     * A node that quietly serves the cheaper int8 model, to users and for its challenge answers
     * (whose vectors are about 0.02 per component off). It still judges others with the reference,
     * so it agrees with them on who did the work (for tests and demos of a node caught).
     */
    public static EmbeddingsApp faulty() {
        return new EmbeddingsApp(true);
    }

    public boolean isFaulty() {
        return faulty;
    }

    private Embedder served() {
        return faulty ? Models.int8() : Models.fp32();
    }

    @Override
    public void setup(NodeContext ctx) throws Exception {
        Embedder served = served();
        Embedder challengeModel = faulty ? served : Models.CACHED_REFERENCE;
        if (!faulty) Models.preloadReference();
        EmbeddingService service = new EmbeddingService(served, ctx.host().identity());
        EmbeddingsProtocol.serve(ctx.host(), service);
        ctx.api()
                .route(
                        "POST",
                        OpenAiEmbeddings.PATH,
                        "OpenAI-style sentence embeddings (all-MiniLM-L6-v2, 384 dimensions)",
                        new OpenAiEmbeddings(
                                service,
                                Models.tokenizer(),
                                () -> ctx.epochs()
                                        .position()
                                        .map(p -> p.epoch())
                                        .orElse(0L)));
        EpochRandomness random = new EpochRandomness(ctx.chain(), ctx.epochs());
        randomness = random;
        answers = new RevealedAnswers<>(
                ctx.commitReveal(),
                ctx.epochs(),
                ctx.host().peerId().toBase58(),
                ev -> Challenge.answer(challengeModel, ev.subnetId(), ev.epoch(), random.require(ev.epoch())),
                Wire.ANSWERS,
                Work.CHALLENGES);
        evidence = EvidenceTopic.join(ctx.gossip(), ctx.epochs(), Models.CACHED_REFERENCE)
                .get(30, TimeUnit.SECONDS);
        checker = new SpotChecker(ctx.host(), ctx.epochs(), evidence, Models.fp32(), Models.CACHED_REFERENCE);
        log.info(
                "embeddings subnet {}: serving {} on {} and POST {}{}",
                ctx.subnetId(),
                served.describe(),
                EmbeddingsProtocol.ID,
                OpenAiEmbeddings.PATH,
                faulty ? " (faulty node)" : "");
    }

    /** Overwatch agents judge this subnet by asking its nodes for embeddings ({@link EmbeddingsCheck}). */
    @Override
    public java.util.Optional<String> overwatchCheck() {
        return java.util.Optional.of(EmbeddingsCheck.ID);
    }

    @Override
    public Scorer scorer(NodeContext ctx) {
        return new EmbeddingsScorer(ctx.heartbeats(), answers::answers, evidence.caught(), this::rightAnswer);
    }

    @Override
    public void stop(NodeContext ctx) {
        ctx.host().removeProtocol(EmbeddingsProtocol.ID);
        SpotChecker c = checker;
        if (c != null) c.close();
        RevealedAnswers<String> a = answers;
        if (a != null) a.close();
        EvidenceTopic e = evidence;
        if (e != null) e.close();
    }

    /** The nodes this node holds checked evidence against, per epoch: those caught serving wrong embeddings. */
    public java.util.Map<Long, java.util.Set<Integer>> caught() {
        return evidence.caught().all();
    }

    /** The challenge answers revealed for {@code epoch} that count (committed in time), by subnet node id. */
    public java.util.Map<Integer, String> challengeAnswers(long epoch) {
        return answers.answers(epoch);
    }

    /** The right answer to {@code epoch}'s challenge, as this node scores it (the reference's, on the epoch's randomness). */
    public String rightAnswer(int subnetId, long epoch) {
        return Challenge.answer(Models.CACHED_REFERENCE, subnetId, epoch, randomness.require(epoch));
    }

    SpotChecker checker() {
        return checker;
    }
}
