package dev.hyperj.examples.embeddings;

import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.crypto.PublicKey;
import dev.hyperj.p2p.peer.PeerId;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * A node's signed statement "in epoch E, for these texts, these are my embeddings". Every answer a
 * node serves carries one, so whoever got a wrong answer holds a proof that anyone can check: the
 * signature against the node's peer id, the vectors against the reference model. That is what
 * makes a spot check count for every validator, not just the one that made it.
 *
 * @param publicKey the signer's protobuf public key (its peer id is derived from it)
 */
public record Receipt(long epoch, List<String> texts, float[][] vectors, byte[] publicKey, byte[] signature) {
    private static final byte[] DOMAIN = "hyperj/embeddings/receipt/1".getBytes(StandardCharsets.UTF_8);

    public Receipt {
        texts = List.copyOf(texts);
        if (vectors.length != texts.size())
            throw new EmbeddingsException(vectors.length + " embeddings for " + texts.size() + " texts");
        for (float[] v : vectors)
            if (v == null || v.length != Embedder.DIMENSIONS)
                throw new EmbeddingsException(
                        "an embedding has " + (v == null ? 0 : v.length) + " dimensions, not 384");
    }

    /** Signs {@code vectors} for {@code texts} in {@code epoch} with {@code key}. */
    public static Receipt sign(long epoch, List<String> texts, float[][] vectors, PrivateKey key) {
        byte[] sig = key.sign(digest(epoch, texts, vectors));
        return new Receipt(epoch, texts, vectors, key.publicKey().marshal(), sig);
    }

    /** The signed bytes: SHA-256 over the domain, the epoch, and each text with its vector's IEEE bits. */
    static byte[] digest(long epoch, List<String> texts, float[][] vectors) {
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(buf);
            out.write(DOMAIN);
            out.writeLong(epoch);
            out.writeInt(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                byte[] t = texts.get(i).getBytes(StandardCharsets.UTF_8);
                out.writeInt(t.length);
                out.write(t);
                for (float f : vectors[i]) out.writeInt(Float.floatToRawIntBits(f));
            }
            return MessageDigest.getInstance("SHA-256").digest(buf.toByteArray());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Whether {@code signer} made this receipt: its key is the peer id's, and the signature holds. */
    public boolean signedBy(PeerId signer) {
        try {
            PublicKey key = Keys.unmarshalPublicKey(publicKey);
            return signer.matches(key) && key.verify(digest(epoch, texts, vectors), signature);
        } catch (RuntimeException e) { // a key that does not parse
            return false;
        }
    }

    /** Texts whose embedding is more than {@code tolerance} off {@code reference} in some component. */
    public List<Integer> wrong(Embedder reference, double tolerance) {
        float[][] expected = reference.embed(texts);
        List<Integer> out = new java.util.ArrayList<>();
        for (int i = 0; i < texts.size(); i++)
            if (!(Vectors.maxAbsDiff(vectors[i], expected[i]) <= tolerance)) out.add(i);
        return out;
    }
}
