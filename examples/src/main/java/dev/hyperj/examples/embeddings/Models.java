package dev.hyperj.examples.embeddings;

/**
 * The models, loaded once per JVM and shared by every node in it (a devnet runs its nodes in one
 * JVM: loading 90 MB of weights per node would make it slow to start). Each is loaded on first use.
 */
public final class Models {
    private Models() {}

    /** ONNX Runtime threads per run, and runs at once, per JVM. */
    private static final int THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());

    private static final class Tokenizer {
        static final WordPieceTokenizer INSTANCE = WordPieceTokenizer.load();
    }

    private static final class Fp32 {
        static final OnnxEmbedder INSTANCE = new OnnxEmbedder(ModelFiles.FP32, tokenizer(), THREADS, 2);
    }

    private static final class Int8 {
        static final OnnxEmbedder INSTANCE = new OnnxEmbedder(ModelFiles.INT8, tokenizer(), THREADS, 2);
    }

    private static final class Reference {
        static final MiniLm INSTANCE = MiniLm.load(tokenizer());
    }

    public static WordPieceTokenizer tokenizer() {
        return Tokenizer.INSTANCE;
    }

    /** The subnet's model on ONNX Runtime: what honest nodes serve. */
    public static OnnxEmbedder fp32() {
        return Fp32.INSTANCE;
    }

    /** The int8 model on ONNX Runtime: what a faulty node serves. */
    public static OnnxEmbedder int8() {
        return Int8.INSTANCE;
    }

    /** The pure-Java reference, bit-exact on every JVM: epoch challenges and checks of evidence. */
    public static MiniLm reference() {
        return Reference.INSTANCE;
    }

    private static final java.util.concurrent.atomic.AtomicBoolean PRELOADING =
            new java.util.concurrent.atomic.AtomicBoolean();

    /** Loads the reference in the background, once per JVM, so that it is ready for the first challenge. */
    static void preloadReference() {
        if (PRELOADING.compareAndSet(false, true))
            Thread.ofVirtual().name("embeddings-preload").start(Models::reference);
    }

    private static final int CACHED = 256;
    private static final java.util.Map<String, java.util.concurrent.CompletableFuture<float[]>> REFERENCE_CACHE =
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(
                        java.util.Map.Entry<String, java.util.concurrent.CompletableFuture<float[]>> e) {
                    return size() > CACHED;
                }
            };

    /** The reference embedding of {@code text}, computed once per JVM however many threads ask at once. */
    private static float[] cachedReference(String text) {
        java.util.concurrent.CompletableFuture<float[]> f;
        boolean mine = false;
        synchronized (REFERENCE_CACHE) {
            f = REFERENCE_CACHE.get(text);
            if (f == null) {
                f = new java.util.concurrent.CompletableFuture<>();
                REFERENCE_CACHE.put(text, f);
                mine = true;
            }
        }
        if (mine) {
            try {
                f.complete(reference().embed(text));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
                synchronized (REFERENCE_CACHE) {
                    REFERENCE_CACHE.remove(text);
                }
            }
        }
        return f.join().clone();
    }

    /**
     * The reference embeddings of {@code texts}, remembered for the last 256 texts: the nodes of one
     * JVM (a devnet) all compute the same challenge and check the same evidence, and the result is
     * the same bits wherever it is computed, so computing it once is enough.
     */
    public static final Embedder CACHED_REFERENCE = new Embedder() {
        @Override
        public float[][] embed(java.util.List<String> texts) {
            float[][] out = new float[texts.size()][];
            for (int i = 0; i < out.length; i++) out[i] = cachedReference(texts.get(i));
            return out;
        }

        @Override
        public String describe() {
            return reference().describe() + " (cached)";
        }
    };
}
