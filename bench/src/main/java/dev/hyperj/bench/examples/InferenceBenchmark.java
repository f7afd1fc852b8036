package dev.hyperj.bench.examples;

import dev.hyperj.examples.inference.Challenge;
import dev.hyperj.examples.inference.InferRequest;
import dev.hyperj.examples.inference.InferResponse;
import dev.hyperj.examples.inference.InferenceCodec;
import dev.hyperj.examples.inference.InferenceModel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The example inference subnet's per-request and per-epoch work, without the network. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InferenceBenchmark {
    private final InferenceModel model = InferenceModel.reference();
    private List<Integer> input;
    private byte[] request;

    @Setup
    public void setup() {
        input = Challenge.input(1, 42);
        request = InferenceCodec.encode(new InferRequest(input));
    }

    /** The model alone. */
    @Benchmark
    public Object infer() {
        return model.infer(input);
    }

    /** What a node does per user request: decode the JSON, run the model, encode the answer. */
    @Benchmark
    public byte[] serveRequest() {
        return InferenceCodec.encode(InferResponse.of(
                model.infer(InferenceCodec.decodeRequest(request).input())));
    }

    /** What a node does per peer and epoch to check an answer: derive the challenge and run the model. */
    @Benchmark
    public Object checkAnswer() {
        return model.infer(Challenge.input(1, 42));
    }
}
