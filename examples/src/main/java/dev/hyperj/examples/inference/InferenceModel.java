package dev.hyperj.examples.inference;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The example subnet's model: a tiny quantized two-layer perceptron ({@value #INPUTS} inputs,
 * {@value #HIDDEN} ReLU units, {@value #OUTPUTS} outputs) whose int8 weights are drawn from
 * SHA-256 of a seed, so every node builds the same model without shipping a file.
 *
 * <p>It computes in integers only: the same input gives the same output on every machine, which is
 * what lets one node check another's work by recomputing it. A real subnet would load its weights
 * (and compare outputs with a tolerance, or on a quantized model like this one).
 */
public final class InferenceModel {
    public static final int INPUTS = 8;
    public static final int HIDDEN = 16;
    public static final int OUTPUTS = 4;
    /** Inputs lie in [-MAX_INPUT, MAX_INPUT]; the bound keeps every sum far inside a long. */
    public static final int MAX_INPUT = 1 << 20;
    /** The seed of the subnet's model: the weights every honest node runs. */
    public static final String REFERENCE_SEED = "hyperj/example/mlp/1";
    /** Hidden activations are scaled down by 2^7 after the ReLU, as int8 inference rescales. */
    private static final int HIDDEN_SHIFT = 7;

    private static final InferenceModel REFERENCE = fromSeed(REFERENCE_SEED);

    private final String seed;
    private final int[][] hiddenWeights = new int[HIDDEN][INPUTS];
    private final int[] hiddenBias = new int[HIDDEN];
    private final int[][] outputWeights = new int[OUTPUTS][HIDDEN];
    private final int[] outputBias = new int[OUTPUTS];

    private InferenceModel(String seed) {
        this.seed = seed;
        WeightStream w = new WeightStream(seed);
        for (int[] row : hiddenWeights) for (int i = 0; i < INPUTS; i++) row[i] = w.next();
        for (int j = 0; j < HIDDEN; j++) hiddenBias[j] = w.next() << 8;
        for (int[] row : outputWeights) for (int j = 0; j < HIDDEN; j++) row[j] = w.next();
        for (int k = 0; k < OUTPUTS; k++) outputBias[k] = w.next() << 8;
    }

    /** The subnet's model ({@link #REFERENCE_SEED}). */
    public static InferenceModel reference() {
        return REFERENCE;
    }

    /** A model whose weights derive from {@code seed}; another seed is another model. */
    public static InferenceModel fromSeed(String seed) {
        return new InferenceModel(seed);
    }

    public String seed() {
        return seed;
    }

    /**
     * Runs the model.
     *
     * @throws IllegalArgumentException unless {@code input} has {@value #INPUTS} values in [-MAX_INPUT, MAX_INPUT]
     */
    public Inference infer(List<Integer> input) {
        if (input.size() != INPUTS)
            throw new IllegalArgumentException("the model takes " + INPUTS + " inputs, got " + input.size());
        long[] hidden = new long[HIDDEN];
        for (int j = 0; j < HIDDEN; j++) {
            long sum = hiddenBias[j];
            for (int i = 0; i < INPUTS; i++) sum += (long) hiddenWeights[j][i] * checked(input.get(i));
            hidden[j] = Math.max(0, sum) >> HIDDEN_SHIFT;
        }
        List<Long> out = new ArrayList<>(OUTPUTS);
        for (int k = 0; k < OUTPUTS; k++) {
            long sum = outputBias[k];
            for (int j = 0; j < HIDDEN; j++) sum += outputWeights[k][j] * hidden[j];
            out.add(sum);
        }
        return new Inference(out);
    }

    public Inference infer(int... input) {
        List<Integer> boxed = new ArrayList<>(input.length);
        for (int x : input) boxed.add(x);
        return infer(boxed);
    }

    private static int checked(Integer x) {
        if (x == null || x < -MAX_INPUT || x > MAX_INPUT)
            throw new IllegalArgumentException("inputs lie in [-" + MAX_INPUT + ", " + MAX_INPUT + "], got " + x);
        return x;
    }

    @Override
    public String toString() {
        return "InferenceModel[" + seed + "]";
    }

    /** Signed bytes of SHA-256(seed || counter), counter = 0, 1, ...: a portable, seedable weight source. */
    private static final class WeightStream {
        private final byte[] seed;
        private final MessageDigest sha;
        private byte[] block = new byte[0];
        private int used;
        private long counter;

        WeightStream(String seed) {
            this.seed = seed.getBytes(StandardCharsets.UTF_8);
            this.sha = sha256();
        }

        int next() {
            if (used == block.length) {
                sha.update(seed);
                sha.update(ByteBuffer.allocate(Long.BYTES).putLong(counter++).array());
                block = sha.digest();
                used = 0;
            }
            return block[used++];
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
