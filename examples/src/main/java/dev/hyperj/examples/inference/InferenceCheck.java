package dev.hyperj.examples.inference;

import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.overwatch.OverwatchCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.random.RandomGenerator;

/**
 * The inference subnet's {@link OverwatchCheck}: ask the node to run the subnet's model on a fresh
 * random input and compare its output with the reference model's, recomputed by the agent (the
 * model is integer-only, so an honest answer is exactly equal). A node that refuses, times out or
 * answers with other numbers fails.
 */
public final class InferenceCheck implements OverwatchCheck {
    /** The id the inference subnet declares on chain. */
    public static final String ID = "hyperj-inference/1";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<String> protocols() {
        return Set.of(InferenceProtocol.ID);
    }

    @Override
    public CompletableFuture<Verdict> check(Host host, PeerId node, RandomGenerator random) {
        List<Integer> input = new ArrayList<>(InferenceModel.INPUTS);
        for (int i = 0; i < InferenceModel.INPUTS; i++)
            input.add(random.nextInt(-InferenceModel.MAX_INPUT, InferenceModel.MAX_INPUT + 1));
        Inference expected = InferenceModel.reference().infer(input);
        return InferenceProtocol.infer(host, node, input).handle((got, err) -> {
            if (err != null) {
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                return Verdict.fail("no answer: " + cause.getMessage());
            }
            return got.equals(expected)
                    ? Verdict.pass("model output matches the reference")
                    : Verdict.fail("wrong model output " + got.output() + ", expected " + expected.output());
        });
    }
}
