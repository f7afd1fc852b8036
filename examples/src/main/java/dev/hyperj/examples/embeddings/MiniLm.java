package dev.hyperj.examples.embeddings;

import java.util.List;

/**
 * all-MiniLM-L6-v2 in plain Java: the subnet's reference, which every node computes bit for bit
 * alike. Weights come from the pinned ONNX file's initializers; the arithmetic is Java's, which is
 * IEEE 754 without fused multiply-add or extended precision, in a fixed order, with
 * {@link StrictMath} for exp and sqrt, so any JVM on any machine and any thread gets the same bits.
 *
 * <p>The network (BERT, 6 layers, 384 wide, 12 heads of 32, GELU feed-forward of 1536): word +
 * position + token-type embeddings, LayerNorm; per layer self-attention, residual, LayerNorm,
 * feed-forward, residual, LayerNorm. Then the canonical pooling ({@link Vectors#meanPoolNormalize}).
 * Matrix products accumulate in float in input order (what ONNX Runtime does, in its own order);
 * LayerNorm, softmax and GELU work in double.
 *
 * <p>One text at a time (no padding, so no masking); several threads may embed at once.
 */
public final class MiniLm implements Embedder {
    static final int LAYERS = 6;
    static final int WIDTH = 384;
    static final int HEADS = 12;
    static final int HEAD = WIDTH / HEADS;
    static final int FF = 1536;
    static final int VOCAB = 30522;
    static final int POSITIONS = 512;
    static final double LAYER_NORM_EPS = 1e-12;

    private final WordPieceTokenizer tokenizer;
    private final float[] wordEmb;
    private final float[] posEmb;
    private final float[] typeEmb;
    private final float[] embLnG;
    private final float[] embLnB;
    private final Layer[] layers = new Layer[LAYERS];

    private record Layer(
            float[] wq,
            float[] bq,
            float[] wk,
            float[] bk,
            float[] wv,
            float[] bv,
            float[] wo,
            float[] bo,
            float[] ln1g,
            float[] ln1b,
            float[] wi,
            float[] bi,
            float[] wf,
            float[] bf,
            float[] ln2g,
            float[] ln2b) {}

    /** The subnet's reference: the pinned fp32 ONNX file's weights and tokenizer. */
    public static MiniLm load(WordPieceTokenizer tokenizer) {
        return new MiniLm(OnnxFile.parse(ModelFiles.FP32.read()), tokenizer);
    }

    MiniLm(OnnxFile f, WordPieceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
        wordEmb = f.weight("embeddings.word_embeddings.weight", VOCAB, WIDTH);
        posEmb = f.weight("embeddings.position_embeddings.weight", POSITIONS, WIDTH);
        typeEmb = f.weight("embeddings.token_type_embeddings.weight", 2, WIDTH);
        embLnG = f.weight("embeddings.LayerNorm.weight", WIDTH);
        embLnB = f.weight("embeddings.LayerNorm.bias", WIDTH);
        for (int l = 0; l < LAYERS; l++) {
            String p = "encoder.layer." + l + ".";
            String n = "/encoder/layer." + l + "/";
            layers[l] = new Layer(
                    f.matMulWeight(n + "attention/self/query/MatMul_output_0", WIDTH, WIDTH),
                    f.weight(p + "attention.self.query.bias", WIDTH),
                    f.matMulWeight(n + "attention/self/key/MatMul_output_0", WIDTH, WIDTH),
                    f.weight(p + "attention.self.key.bias", WIDTH),
                    f.matMulWeight(n + "attention/self/value/MatMul_output_0", WIDTH, WIDTH),
                    f.weight(p + "attention.self.value.bias", WIDTH),
                    f.matMulWeight(n + "attention/output/dense/MatMul_output_0", WIDTH, WIDTH),
                    f.weight(p + "attention.output.dense.bias", WIDTH),
                    f.weight(p + "attention.output.LayerNorm.weight", WIDTH),
                    f.weight(p + "attention.output.LayerNorm.bias", WIDTH),
                    f.matMulWeight(n + "intermediate/dense/MatMul_output_0", WIDTH, FF),
                    f.weight(p + "intermediate.dense.bias", FF),
                    f.matMulWeight(n + "output/dense/MatMul_output_0", FF, WIDTH),
                    f.weight(p + "output.dense.bias", WIDTH),
                    f.weight(p + "output.LayerNorm.weight", WIDTH),
                    f.weight(p + "output.LayerNorm.bias", WIDTH));
        }
    }

    @Override
    public String describe() {
        return "all-MiniLM-L6-v2 fp32, pure-Java reference";
    }

    @Override
    public float[][] embed(List<String> texts) {
        float[][] out = new float[texts.size()][];
        for (int i = 0; i < out.length; i++) out[i] = embed(texts.get(i));
        return out;
    }

    public float[] embed(String text) {
        return embedIds(tokenizer.encode(text));
    }

    /** The sentence embedding of token ids (with [CLS] and [SEP]; at most 512). */
    float[] embedIds(int[] ids) {
        int n = ids.length;
        if (n < 1 || n > POSITIONS) throw new IllegalArgumentException("1 to 512 tokens, not " + n);
        float[] x = new float[n * WIDTH];
        for (int t = 0; t < n; t++) {
            int id = ids[t];
            if (id < 0 || id >= VOCAB) throw new IllegalArgumentException("token id out of range: " + id);
            for (int j = 0; j < WIDTH; j++)
                x[t * WIDTH + j] = wordEmb[id * WIDTH + j] + typeEmb[j] + posEmb[t * WIDTH + j];
        }
        layerNorm(x, n, embLnG, embLnB);
        for (Layer l : layers) x = layer(x, n, l);
        return Vectors.meanPoolNormalize(x, 0, n, WIDTH);
    }

    private static float[] layer(float[] x, int n, Layer l) {
        float[] q = linear(x, n, WIDTH, l.wq, l.bq, WIDTH);
        float[] k = linear(x, n, WIDTH, l.wk, l.bk, WIDTH);
        float[] v = linear(x, n, WIDTH, l.wv, l.bv, WIDTH);
        float[] ctx = attention(q, k, v, n);
        float[] a = linear(ctx, n, WIDTH, l.wo, l.bo, WIDTH);
        for (int i = 0; i < a.length; i++) a[i] += x[i];
        layerNorm(a, n, l.ln1g, l.ln1b);
        float[] h = linear(a, n, WIDTH, l.wi, l.bi, FF);
        for (int i = 0; i < h.length; i++) h[i] = gelu(h[i]);
        float[] o = linear(h, n, FF, l.wf, l.bf, WIDTH);
        for (int i = 0; i < o.length; i++) o[i] += a[i];
        layerNorm(o, n, l.ln2g, l.ln2b);
        return o;
    }

    /**
     * x (n rows of {@code in}) times w ({@code in} x {@code out}, row-major), plus b. Every output
     * sums its products in input order from 0; rows go four at a time so that each row of w is read
     * once per four tokens (the order of each sum does not change).
     */
    static float[] linear(float[] x, int n, int in, float[] w, float[] b, int out) {
        float[] y = new float[n * out];
        float[] a0 = new float[out], a1 = new float[out], a2 = new float[out], a3 = new float[out];
        int t = 0;
        for (; t + 4 <= n; t += 4) {
            java.util.Arrays.fill(a0, 0f);
            java.util.Arrays.fill(a1, 0f);
            java.util.Arrays.fill(a2, 0f);
            java.util.Arrays.fill(a3, 0f);
            for (int i = 0; i < in; i++) {
                float x0 = x[t * in + i], x1 = x[(t + 1) * in + i], x2 = x[(t + 2) * in + i], x3 = x[(t + 3) * in + i];
                int wr = i * out;
                for (int j = 0; j < out; j++) {
                    float wj = w[wr + j];
                    a0[j] += x0 * wj;
                    a1[j] += x1 * wj;
                    a2[j] += x2 * wj;
                    a3[j] += x3 * wj;
                }
            }
            for (int j = 0; j < out; j++) {
                y[t * out + j] = a0[j] + b[j];
                y[(t + 1) * out + j] = a1[j] + b[j];
                y[(t + 2) * out + j] = a2[j] + b[j];
                y[(t + 3) * out + j] = a3[j] + b[j];
            }
        }
        for (; t < n; t++) {
            java.util.Arrays.fill(a0, 0f);
            for (int i = 0; i < in; i++) {
                float xi = x[t * in + i];
                int wr = i * out;
                for (int j = 0; j < out; j++) a0[j] += xi * w[wr + j];
            }
            for (int j = 0; j < out; j++) y[t * out + j] = a0[j] + b[j];
        }
        return y;
    }

    private static float[] attention(float[] q, float[] k, float[] v, int n) {
        float[] ctx = new float[n * WIDTH];
        float scale = (float) StrictMath.sqrt(HEAD);
        double[] p = new double[n];
        for (int h = 0; h < HEADS; h++) {
            int off = h * HEAD;
            for (int t = 0; t < n; t++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s < n; s++) {
                    float dot = 0f;
                    for (int d = 0; d < HEAD; d++) dot += q[t * WIDTH + off + d] * k[s * WIDTH + off + d];
                    p[s] = dot / scale;
                    if (p[s] > max) max = p[s];
                }
                double sum = 0;
                for (int s = 0; s < n; s++) {
                    p[s] = StrictMath.exp(p[s] - max);
                    sum += p[s];
                }
                for (int d = 0; d < HEAD; d++) {
                    float acc = 0f;
                    for (int s = 0; s < n; s++) acc += (float) (p[s] / sum) * v[s * WIDTH + off + d];
                    ctx[t * WIDTH + off + d] = acc;
                }
            }
        }
        return ctx;
    }

    /** LayerNorm of each of the n rows of x, in place: (x - mean) / sqrt(var + eps) * g + b. */
    private static void layerNorm(float[] x, int n, float[] g, float[] b) {
        for (int t = 0; t < n; t++) {
            int r = t * WIDTH;
            double mean = 0;
            for (int j = 0; j < WIDTH; j++) mean += x[r + j];
            mean /= WIDTH;
            double var = 0;
            for (int j = 0; j < WIDTH; j++) {
                double d = x[r + j] - mean;
                var += d * d;
            }
            var /= WIDTH;
            double inv = 1 / StrictMath.sqrt(var + LAYER_NORM_EPS);
            for (int j = 0; j < WIDTH; j++) x[r + j] = (float) ((x[r + j] - mean) * inv * g[j] + b[j]);
        }
    }

    /** GELU as BERT defines it: x/2 (1 + erf(x/sqrt 2)). */
    static float gelu(float x) {
        double xd = x;
        return (float) (0.5 * xd * (1 + erf(xd / StrictMath.sqrt(2))));
    }

    private static final double TWO_OVER_SQRT_PI = 2 / StrictMath.sqrt(StrictMath.PI);

    /**
     * erf, to about 1e-15, from the series erf(x) = 2/sqrt(pi) exp(-x^2) sum 2^n x^(2n+1) / (2n+1)!!
     * whose terms are all positive (no cancellation); |erf(x)| is 1 in double beyond 6.
     */
    static double erf(double x) {
        double ax = Math.abs(x);
        if (ax >= 6) return Math.signum(x);
        double x2 = ax * ax;
        double term = ax;
        double sum = ax;
        for (int n = 1; n < 400; n++) {
            term = term * (2 * x2) / (2 * n + 1);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        double r = TWO_OVER_SQRT_PI * StrictMath.exp(-x2) * sum;
        return x < 0 ? -r : r;
    }
}
