package dev.hyperj.subnet.api.forward;

import dev.hyperj.p2p.proto.ProtoReader;
import dev.hyperj.p2p.proto.ProtoWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A request of the API protocol. On the wire (protobuf): {@code 1: route, 2: method, 3: repeated
 * Header{1: name, 2: value}, 4: body}.
 *
 * @param route   the route's name, e.g. {@code /embed}
 * @param method  the HTTP method to use towards the service
 * @param headers request headers (names in lower case)
 * @param body    the request body
 */
public record ApiCall(String route, String method, List<Header> headers, byte[] body) {
    /** One header; order and repeats are kept. */
    public record Header(String name, String value) {}

    /** Most headers one call may carry (decoding refuses more). */
    public static final int MAX_HEADERS = 64;

    public ApiCall {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(method, "method");
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public byte[] encode() {
        ProtoWriter w = new ProtoWriter(body.length + 64);
        w.writeString(1, route).writeString(2, method);
        for (Header h : headers)
            w.writeMessage(3, new ProtoWriter().writeString(1, h.name()).writeString(2, h.value()));
        if (body.length > 0) w.writeBytes(4, body);
        return w.toByteArray();
    }

    /** @throws IllegalArgumentException on bytes that are not an ApiCall */
    public static ApiCall decode(byte[] bytes) {
        ProtoReader r = new ProtoReader(bytes);
        String route = null, method = null;
        List<Header> headers = new ArrayList<>();
        byte[] body = new byte[0];
        while (r.next()) {
            switch (r.field()) {
                case 1 -> route = r.string();
                case 2 -> method = r.string();
                case 3 -> {
                    if (headers.size() >= MAX_HEADERS)
                        throw new IllegalArgumentException("more than " + MAX_HEADERS + " headers");
                    headers.add(decodeHeader(r.bytes()));
                }
                case 4 -> body = r.bytes();
                default -> r.skip();
            }
        }
        if (route == null || method == null)
            throw new IllegalArgumentException("an API call needs a route and a method");
        return new ApiCall(route, method, headers, body);
    }

    static Header decodeHeader(byte[] bytes) {
        ProtoReader r = new ProtoReader(bytes);
        String name = "", value = "";
        while (r.next()) {
            switch (r.field()) {
                case 1 -> name = r.string();
                case 2 -> value = r.string();
                default -> r.skip();
            }
        }
        return new Header(name, value);
    }
}
