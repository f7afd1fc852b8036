package dev.hyperj.examples.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class InferenceCodecPropertyTest {
    private static final PeerId USER =
            PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());

    @Provide
    Arbitrary<List<Long>> outputs() {
        return Arbitraries.longs().list().ofMaxSize(InferenceCodec.MAX_VALUES);
    }

    @Property
    void requestsRoundTrip(@ForAll @Size(max = 32) List<Integer> input) {
        InferRequest r = new InferRequest(input);
        assertThat(InferenceCodec.decodeRequest(InferenceCodec.encode(r))).isEqualTo(r);
    }

    @Property
    void responsesRoundTrip(
            @ForAll("outputs") List<Long> output, @ForAll @Size(max = 200) String error, @ForAll boolean failed) {
        InferResponse r = failed ? InferResponse.error(error) : InferResponse.of(new Inference(output));
        assertThat(InferenceCodec.decodeResponse(InferenceCodec.encode(r))).isEqualTo(r);
    }

    @Property
    void answersRoundTrip(
            @ForAll @IntRange(min = 0) int subnet,
            @ForAll("epochs") long epoch,
            @ForAll @IntRange(min = 0) int node,
            @ForAll("outputs") List<Long> output) {
        EpochAnswer a = new EpochAnswer(subnet, epoch, node, new Inference(output));
        assertThat(InferenceCodec.decodeAnswer(InferenceCodec.encode(a))).isEqualTo(a);
    }

    @Provide
    Arbitrary<Long> epochs() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE);
    }

    @Property(tries = 2000)
    void randomBytesOnlyEverThrowTheCodecsException(@ForAll @Size(max = 1100) byte[] bytes) {
        decodeAllOrFormatError(bytes);
    }

    @Property(tries = 2000)
    void mutatedMessagesOnlyEverThrowTheCodecsException(
            @ForAll("valid") byte[] message,
            @ForAll @IntRange(min = 0, max = 10_000) int at,
            @ForAll byte value,
            @ForAll @IntRange(min = 0, max = 2) int how) {
        int i = at % message.length;
        byte[] mutated = switch (how) {
            case 0 -> {
                byte[] m = message.clone();
                m[i] = value;
                yield m;
            }
            case 1 -> java.util.Arrays.copyOf(message, i); // truncated
            default -> { // a byte inserted
                byte[] m = new byte[message.length + 1];
                System.arraycopy(message, 0, m, 0, i);
                m[i] = value;
                System.arraycopy(message, i, m, i + 1, message.length - i);
                yield m;
            }
        };
        decodeAllOrFormatError(mutated);
    }

    @Provide
    Arbitrary<byte[]> valid() {
        Arbitrary<byte[]> requests =
                Arbitraries.integers().list().ofMaxSize(12).map(x -> InferenceCodec.encode(new InferRequest(x)));
        Arbitrary<byte[]> responses = outputs().map(o -> InferenceCodec.encode(InferResponse.of(new Inference(o))));
        Arbitrary<byte[]> answers =
                outputs().map(o -> InferenceCodec.encode(new EpochAnswer(1, 5, 2, new Inference(o))));
        return Arbitraries.oneOf(requests, responses, answers).filter(b -> b.length > 0);
    }

    /** Whatever the bytes, the node's handler answers with a response a client can decode. */
    @Property(tries = 1000)
    void theHandlerAnswersAnyBytesWithADecodableResponse(@ForAll("anyRequest") byte[] bytes) {
        InferResponse r = InferenceCodec.decodeResponse(
                InferenceCodec.encode(InferenceProtocol.answer(InferenceModel.reference(), bytes, USER)));
        try {
            InferRequest q = InferenceCodec.decodeRequest(bytes);
            if (q.input().size() == InferenceModel.INPUTS
                    && q.input().stream().allMatch(v -> Math.abs((long) v) <= InferenceModel.MAX_INPUT)) {
                assertThat(r.inference()).contains(InferenceModel.reference().infer(q.input()));
                return;
            }
        } catch (InferenceFormatException e) {
            // not a request: the answer must be an error
        }
        assertThat(r.error()).isPresent();
    }

    @Provide
    Arbitrary<byte[]> anyRequest() {
        Arbitrary<byte[]> good = Arbitraries.integers()
                .between(-InferenceModel.MAX_INPUT, InferenceModel.MAX_INPUT)
                .list()
                .ofSize(InferenceModel.INPUTS)
                .map(x -> InferenceCodec.encode(new InferRequest(x)));
        Arbitrary<byte[]> wrong =
                Arbitraries.integers().list().ofMaxSize(12).map(x -> InferenceCodec.encode(new InferRequest(x)));
        return Arbitraries.oneOf(
                good, wrong, Arbitraries.bytes().array(byte[].class).ofMaxSize(64));
    }

    @Example
    void hostileShapesAreRefusedWithReasons() {
        assertFormatError("{\"input\":[1,2],\"input\":[3]}", "Duplicate field");
        assertFormatError("{\"input\":[1,2],\"extra\":1}", "fields");
        assertFormatError("{\"input\":[1.5]}", "integer");
        assertFormatError("{\"input\":[99999999999]}", "range");
        assertFormatError("{\"input\":\"1,2\"}", "array");
        assertFormatError("[1,2,3]", "object");
        assertFormatError("{\"input\":[1]} {}", "JSON");
        assertFormatError("{\"input\":[[[[[[1]]]]]]}", "");
        String many = "{\"input\":[" + "1,".repeat(InferenceCodec.MAX_VALUES) + "1]}";
        assertFormatError(many, "at most");
        byte[] big = ("{\"input\":[" + "0,".repeat(600) + "0]}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> InferenceCodec.decodeRequest(big))
                .isInstanceOf(InferenceFormatException.class)
                .hasMessageContaining("at most");
        assertThatThrownBy(() -> InferenceCodec.decodeResponse(
                        "{\"output\":[1],\"error\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InferenceFormatException.class);
        assertThatThrownBy(() ->
                        InferenceCodec.decodeAnswer("{\"subnet_id\":-1,\"epoch\":1,\"subnet_node_id\":1,\"output\":[]}"
                                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InferenceFormatException.class);
    }

    private static void assertFormatError(String json, String reason) {
        assertThatThrownBy(() -> InferenceCodec.decodeRequest(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InferenceFormatException.class)
                .hasMessageContaining(reason);
    }

    private static void decodeAllOrFormatError(byte[] bytes) {
        for (java.util.function.Function<byte[], ?> decoder : List.<java.util.function.Function<byte[], ?>>of(
                InferenceCodec::decodeRequest, InferenceCodec::decodeResponse, InferenceCodec::decodeAnswer)) {
            try {
                var unused = decoder.apply(bytes);
            } catch (InferenceFormatException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }
}
