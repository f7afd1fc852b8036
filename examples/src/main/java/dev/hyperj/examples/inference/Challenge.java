package dev.hyperj.examples.inference;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The work every node proves each subnet epoch: run the model on an input derived from
 * (subnet id, epoch) alone, so every node knows the question and can check anyone's answer by
 * computing it too. Public and predictable by design: it proves a node runs the model, not that it
 * did so late; a subnet that cares would mix in something unknown before the epoch (a block hash).
 */
public final class Challenge {
    private static final byte[] DOMAIN = "hyperj/example/challenge/1".getBytes(StandardCharsets.UTF_8);

    private Challenge() {}

    /** The model input of the subnet's {@code epoch}: {@value InferenceModel#INPUTS} values in [-MAX_INPUT, MAX_INPUT]. */
    public static List<Integer> input(int subnetId, long epoch) {
        MessageDigest sha = InferenceModel.sha256();
        sha.update(DOMAIN);
        sha.update(ByteBuffer.allocate(Integer.BYTES + Long.BYTES)
                .putInt(subnetId)
                .putLong(epoch)
                .array());
        ByteBuffer digest = ByteBuffer.wrap(sha.digest()); // 32 bytes: one int per input
        List<Integer> input = new ArrayList<>(InferenceModel.INPUTS);
        for (int i = 0; i < InferenceModel.INPUTS; i++) {
            input.add(Math.floorMod(digest.getInt(), 2 * InferenceModel.MAX_INPUT + 1) - InferenceModel.MAX_INPUT);
        }
        return List.copyOf(input);
    }
}
