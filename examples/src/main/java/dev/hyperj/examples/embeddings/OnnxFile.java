package dev.hyperj.examples.embeddings;

import dev.hyperj.p2p.proto.ProtoException;
import dev.hyperj.p2p.proto.ProtoReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX model file the pure-Java forward pass needs, read with our own bounded
 * protobuf reader: the float initializers (weights) by name, and for each MatMul node whose second
 * input is an initializer, that weight by the node's output name (the exporter gives such weights
 * generated names like {@code onnx::MatMul_787}; the node's output says which layer they belong to).
 */
final class OnnxFile {
    /** A float tensor: its shape and its values, row-major. */
    record Tensor(long[] dims, float[] values) {}

    private final Map<String, Tensor> initializers;
    private final Map<String, String> matMulWeights;

    private OnnxFile(Map<String, Tensor> initializers, Map<String, String> matMulWeights) {
        this.initializers = initializers;
        this.matMulWeights = matMulWeights;
    }

    /** Parses an ONNX ModelProto; malformed or unsupported (external data, non-float weights) files are refused. */
    static OnnxFile parse(byte[] model) {
        try {
            byte[] graph = null;
            ProtoReader r = new ProtoReader(model);
            while (r.next()) {
                if (r.field() == 7) graph = r.bytes(); // ModelProto.graph
            }
            if (graph == null) throw new IllegalArgumentException("ONNX file without a graph");
            Map<String, Tensor> inits = new HashMap<>();
            Map<String, String> matMuls = new HashMap<>();
            ProtoReader g = new ProtoReader(graph);
            while (g.next()) {
                switch (g.field()) {
                    case 1 -> node(g.bytes(), matMuls); // GraphProto.node
                    case 5 -> tensor(g.bytes(), inits); // GraphProto.initializer
                    default -> g.skip();
                }
            }
            Map<String, String> weights = new HashMap<>();
            matMuls.forEach((output, weight) -> {
                if (inits.containsKey(weight)) weights.put(output, weight);
            });
            return new OnnxFile(inits, weights);
        } catch (ProtoException e) {
            throw new IllegalArgumentException("malformed ONNX file: " + e.getMessage(), e);
        }
    }

    private static void node(byte[] bytes, Map<String, String> matMuls) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String op = "";
        ProtoReader r = new ProtoReader(bytes);
        while (r.next()) {
            switch (r.field()) {
                case 1 -> inputs.add(r.string());
                case 2 -> outputs.add(r.string());
                case 4 -> op = r.string();
                default -> r.skip();
            }
        }
        if (op.equals("MatMul") && inputs.size() == 2 && outputs.size() == 1)
            matMuls.put(outputs.get(0), inputs.get(1));
    }

    private static void tensor(byte[] bytes, Map<String, Tensor> out) {
        List<Long> dims = new ArrayList<>();
        int type = 0;
        String name = null;
        ByteBuffer raw = null;
        List<Float> floats = new ArrayList<>();
        ProtoReader r = new ProtoReader(bytes);
        while (r.next()) {
            switch (r.field()) {
                case 1 -> {
                    if (r.wireType() == 0) dims.add(r.varint());
                    else packedVarints(r.bytesView(), dims);
                }
                case 2 -> type = r.varintAsInt();
                case 8 -> name = r.string();
                case 9 -> raw = r.bytesView();
                case 4 -> { // float_data, packed or not
                    if (r.wireType() == 5) floats.add(Float.intBitsToFloat(r.fixed32()));
                    else {
                        ByteBuffer b = r.bytesView().order(ByteOrder.LITTLE_ENDIAN);
                        while (b.remaining() >= 4) floats.add(b.getFloat());
                    }
                }
                case 13, 14 -> throw new IllegalArgumentException("ONNX tensors with external data are not supported");
                default -> r.skip();
            }
        }
        if (name == null || type != 1) return; // only float tensors are weights we read (1 = FLOAT)
        long count = 1;
        for (long d : dims) {
            if (d < 0 || d > Integer.MAX_VALUE)
                throw new IllegalArgumentException("tensor " + name + " has dimension " + d);
            count *= d;
            if (count > Integer.MAX_VALUE) throw new IllegalArgumentException("tensor " + name + " is too large");
        }
        float[] values = new float[(int) count];
        if (raw != null) {
            if (raw.remaining() != count * 4)
                throw new IllegalArgumentException(
                        "tensor " + name + " holds " + raw.remaining() + " bytes for " + count + " floats");
            raw.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        } else {
            if (floats.size() != count)
                throw new IllegalArgumentException(
                        "tensor " + name + " holds " + floats.size() + " of " + count + " floats");
            for (int i = 0; i < values.length; i++) values[i] = floats.get(i);
        }
        out.put(name, new Tensor(dims.stream().mapToLong(Long::longValue).toArray(), values));
    }

    private static void packedVarints(ByteBuffer b, List<Long> out) {
        while (b.hasRemaining()) {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                if (!b.hasRemaining() || shift > 63) throw new IllegalArgumentException("malformed packed varint");
                int x = b.get() & 0xFF;
                v |= (long) (x & 0x7F) << shift;
                if (x < 0x80) break;
            }
            out.add(v);
        }
    }

    /** The initializer {@code name}, checked to have shape {@code dims}. */
    float[] weight(String name, long... dims) {
        Tensor t = initializers.get(name);
        if (t == null) throw new IllegalArgumentException("the model has no weight " + name);
        if (!java.util.Arrays.equals(t.dims(), dims))
            throw new IllegalArgumentException("weight " + name + " has shape " + java.util.Arrays.toString(t.dims())
                    + ", expected " + java.util.Arrays.toString(dims));
        return t.values();
    }

    /** The weight of the MatMul node whose output is {@code output}, checked to have shape {@code dims}. */
    float[] matMulWeight(String output, long... dims) {
        String name = matMulWeights.get(output);
        if (name == null) throw new IllegalArgumentException("the model has no MatMul with a weight giving " + output);
        return weight(name, dims);
    }
}
