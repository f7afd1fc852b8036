package dev.hyperj.examples.embeddings;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The canonical pooling, and the comparisons the checks make. */
public final class Vectors {
    private Vectors() {}

    /**
     * Mean of the {@code tokens} rows of {@code hidden} (row-major, {@code dims} wide, from
     * {@code offset}), then divided by its L2 norm; summed in double, token by token, in order.
     */
    static float[] meanPoolNormalize(float[] hidden, int offset, int tokens, int dims) {
        double[] sum = new double[dims];
        for (int t = 0; t < tokens; t++) {
            int row = offset + t * dims;
            for (int j = 0; j < dims; j++) sum[j] += hidden[row + j];
        }
        double norm = 0;
        for (int j = 0; j < dims; j++) {
            sum[j] /= tokens;
            norm += sum[j] * sum[j];
        }
        norm = Math.max(StrictMath.sqrt(norm), 1e-12);
        float[] out = new float[dims];
        for (int j = 0; j < dims; j++) out[j] = (float) (sum[j] / norm);
        return out;
    }

    /** Largest |a[i] - b[i]| (infinite if the lengths differ or a component is not finite). */
    public static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) return Double.POSITIVE_INFINITY;
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (!(d <= max)) max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
        }
        return max;
    }

    public static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** "sha256:" + hex of SHA-256 over the components' IEEE 754 bits, big-endian: equal iff bit-identical. */
    public static String hash(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4);
        for (float f : v) b.putInt(Float.floatToRawIntBits(f));
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
