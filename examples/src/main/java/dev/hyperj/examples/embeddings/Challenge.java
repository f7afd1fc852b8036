package dev.hyperj.examples.embeddings;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Each epoch's proof of work: a text of {@link #WORDS} vocabulary words drawn from SHA-256 of
 * (subnet id, epoch, the epoch's chain randomness). The randomness is the hash of the epoch's first
 * block ({@link dev.hyperj.examples.challenge.EpochRandomness}): unknown before the epoch begins,
 * so no node can compute its answer ahead, and read alike by every node once it does. Every node
 * embeds the text and publishes the hash of the vector's bits; with the pure-Java reference the
 * hash is the same on every JVM, so honest nodes agree exactly, and a node that runs another model
 * (even one a hair off, like int8) does not.
 */
public final class Challenge {
    static final int WORDS = 12;
    private static final byte[] DOMAIN = "hyperj/embeddings/challenge/2".getBytes(StandardCharsets.UTF_8);

    private Challenge() {}

    /** The challenge text of {@code epoch} on subnet {@code subnetId}, whose randomness is {@code seed} (32 bytes). */
    public static String text(int subnetId, long epoch, byte[] seed) {
        if (seed.length != 32) throw new IllegalArgumentException("an epoch's randomness is a 32-byte block hash");
        List<String> words = Models.tokenizer().words();
        StringBuilder out = new StringBuilder();
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < WORDS; i++) {
                sha.update(DOMAIN);
                sha.update(seed);
                byte[] h = sha.digest(ByteBuffer.allocate(16)
                        .putInt(subnetId)
                        .putLong(epoch)
                        .putInt(i)
                        .array());
                long pick = Integer.toUnsignedLong(ByteBuffer.wrap(h).getInt());
                if (i > 0) out.append(' ');
                out.append(words.get((int) (pick % words.size())));
            }
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        return out.toString();
    }

    /** The answer {@code model} gives: the hash of its embedding of the challenge text. */
    public static String answer(Embedder model, int subnetId, long epoch, byte[] seed) {
        return Vectors.hash(model.embed(List.of(text(subnetId, epoch, seed)))[0]);
    }
}
