package dev.hyperj.examples.inference;

import dev.hyperj.examples.challenge.RevealedAnswers;
import dev.hyperj.subnet.consensus.Scorer;
import dev.hyperj.subnet.node.NodeContext;
import dev.hyperj.subnet.node.SubnetApplication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example inference subnet, as a {@link SubnetApplication}: every node serves the subnet's
 * model on {@value InferenceProtocol#ID}, commits its answer to each epoch's {@link Challenge}
 * through the framework's commit/reveal (revealed at mid-epoch), and scores the nodes whose
 * revealed answer is right. Run it with
 * {@code SubnetNode.start(config, chain, new InferenceApp())}; one instance per node.
 */
public final class InferenceApp implements SubnetApplication {
    private static final Logger log = LoggerFactory.getLogger(InferenceApp.class);
    /** What a faulty node runs instead of the subnet's model. */
    static final String FAULTY_SEED = "hyperj/example/mlp/broken";

    private final InferenceModel served;
    private final boolean faulty;
    private volatile RevealedAnswers<Inference> answers;

    /** An honest node: serves and answers with the subnet's model. */
    public InferenceApp() {
        this(false);
    }

    private InferenceApp(boolean faulty) {
        this.faulty = faulty;
        this.served = faulty ? InferenceModel.fromSeed(FAULTY_SEED) : InferenceModel.reference();
    }

    /**
     * A node that runs the wrong model, as a broken or lazy node would: its challenge answers and
     * its users' results are wrong, so the others leave it out of the scores. It still judges the
     * others with the subnet's model, so it agrees with them on who did the work (for tests and
     * demos of a node being scored out).
     */
    public static InferenceApp faulty() {
        return new InferenceApp(true);
    }

    public boolean isFaulty() {
        return faulty;
    }

    @Override
    public void setup(NodeContext ctx) throws Exception {
        InferenceProtocol.serve(ctx.host(), served);
        answers = new RevealedAnswers<>(
                ctx.commitReveal(),
                ctx.epochs(),
                ctx.host().peerId().toBase58(),
                ev -> served.infer(Challenge.input(ev.subnetId(), ev.epoch())),
                InferenceCodec.ANSWERS,
                Runnable::run); // the model is tiny: answered on the tracker's thread
        log.info(
                "inference subnet {}: serving {} on {}{}",
                ctx.subnetId(),
                served,
                InferenceProtocol.ID,
                faulty ? " (faulty node)" : "");
    }

    /** Overwatch agents judge this subnet by asking its nodes for inferences ({@link InferenceCheck}). */
    @Override
    public java.util.Optional<String> overwatchCheck() {
        return java.util.Optional.of(InferenceCheck.ID);
    }

    @Override
    public Scorer scorer(NodeContext ctx) {
        return new InferenceScorer(ctx.heartbeats(), answers::answers, InferenceModel.reference());
    }

    @Override
    public void stop(NodeContext ctx) {
        ctx.host().removeProtocol(InferenceProtocol.ID);
        RevealedAnswers<Inference> a = answers;
        if (a != null) a.close();
    }

    /** The revealed answers this node counts (tests). */
    AnswerSource answers() {
        return answers::answers;
    }
}
