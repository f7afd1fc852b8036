package dev.hyperj.examples.embeddings;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * all-MiniLM-L6-v2 on ONNX Runtime: the fast path nodes serve users with. Texts go in batches of at
 * most {@link #BATCH} (padded to the longest, attention-masked), at most {@code concurrency} batches
 * run at once, and pooling is ours ({@link Vectors#meanPoolNormalize}). fp32 results are the same bit
 * for bit whether a text is embedded alone or in a batch; the int8 model's are not.
 */
public final class OnnxEmbedder implements Embedder, AutoCloseable {
    /** Texts per ONNX Runtime call. */
    public static final int BATCH = 32;

    private final ModelFiles model;
    private final WordPieceTokenizer tokenizer;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final Semaphore running;

    /**
     * Loads {@code model} ({@link ModelFiles#FP32} or {@link ModelFiles#INT8}) with {@code threads}
     * intra-op threads per run and at most {@code concurrency} runs at once.
     */
    public OnnxEmbedder(ModelFiles model, WordPieceTokenizer tokenizer, int threads, int concurrency) {
        if (model == ModelFiles.TOKENIZER) throw new IllegalArgumentException("not a model: " + model);
        this.model = model;
        this.tokenizer = tokenizer;
        this.running = new Semaphore(concurrency, true);
        this.env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
            this.session = env.createSession(model.read(), opts);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load " + model + ": " + e.getMessage(), e);
        }
    }

    public ModelFiles model() {
        return model;
    }

    @Override
    public String describe() {
        return "all-MiniLM-L6-v2 " + model.name().toLowerCase(java.util.Locale.ROOT) + " on ONNX Runtime";
    }

    @Override
    public float[][] embed(List<String> texts) {
        float[][] out = new float[texts.size()][];
        for (int from = 0; from < texts.size(); from += BATCH) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + BATCH));
            float[][] got = embedBatch(batch);
            System.arraycopy(got, 0, out, from, got.length);
        }
        return out;
    }

    private float[][] embedBatch(List<String> texts) {
        List<int[]> ids = new ArrayList<>(texts.size());
        int width = 0;
        for (String t : texts) {
            int[] i = tokenizer.encode(t);
            ids.add(i);
            width = Math.max(width, i.length);
        }
        long[][] inputIds = new long[ids.size()][width];
        long[][] mask = new long[ids.size()][width];
        long[][] types = new long[ids.size()][width];
        for (int b = 0; b < ids.size(); b++) {
            int[] i = ids.get(b);
            for (int t = 0; t < i.length; t++) {
                inputIds[b][t] = i[t];
                mask[b][t] = 1;
            }
        }
        try {
            if (!running.tryAcquire(30, TimeUnit.SECONDS))
                throw new IllegalStateException("the embedder is overloaded: no run slot within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the embedder", e);
        }
        try (OnnxTensor a = OnnxTensor.createTensor(env, inputIds);
                OnnxTensor m = OnnxTensor.createTensor(env, mask);
                OnnxTensor y = OnnxTensor.createTensor(env, types);
                OrtSession.Result r = session.run(Map.of("input_ids", a, "attention_mask", m, "token_type_ids", y))) {
            float[][][] hidden = (float[][][]) r.get(0).getValue();
            float[][] out = new float[ids.size()][];
            for (int b = 0; b < ids.size(); b++) {
                int n = ids.get(b).length;
                float[] flat = new float[n * DIMENSIONS];
                for (int t = 0; t < n; t++) System.arraycopy(hidden[b][t], 0, flat, t * DIMENSIONS, DIMENSIONS);
                out[b] = Vectors.meanPoolNormalize(flat, 0, n, DIMENSIONS);
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        } finally {
            running.release();
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing: nothing left to do
        }
    }
}
