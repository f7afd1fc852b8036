package dev.hyperj.p2p.protocol.reqresp;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns typed messages into the bytes of one request or response and back. {@link #decode} throws
 * (any RuntimeException) on bytes it does not accept; the framework maps that to a bad request or
 * a {@link RequestResponseException.Reason#BAD_RESPONSE}.
 */
public interface Codec<T> {
    byte[] encode(T value);

    T decode(byte[] bytes);

    /** The identity codec. */
    static Codec<byte[]> bytes() {
        return of(b -> b, b -> b);
    }

    /** A codec from two functions, e.g. for protobuf messages written with dev.hyperj.p2p.proto. */
    static <T> Codec<T> of(Function<T, byte[]> encoder, Function<byte[], T> decoder) {
        Objects.requireNonNull(encoder);
        Objects.requireNonNull(decoder);
        return new Codec<>() {
            @Override
            public byte[] encode(T value) {
                return encoder.apply(value);
            }

            @Override
            public T decode(byte[] bytes) {
                return decoder.apply(bytes);
            }
        };
    }

    /** JSON with Jackson; {@code mapper} must be configured before use and not changed afterwards. */
    static <T> Codec<T> json(ObjectMapper mapper, Class<T> type) {
        Objects.requireNonNull(mapper);
        Objects.requireNonNull(type);
        return new Codec<>() {
            @Override
            public byte[] encode(T value) {
                try {
                    return mapper.writeValueAsBytes(value);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public T decode(byte[] bytes) {
                try {
                    return mapper.readValue(bytes, type);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalArgumentException(
                            "not a JSON " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
                } catch (IOException e) {
                    throw new IllegalArgumentException("not a JSON " + type.getSimpleName() + ": " + e.getMessage(), e);
                }
            }
        };
    }
}
