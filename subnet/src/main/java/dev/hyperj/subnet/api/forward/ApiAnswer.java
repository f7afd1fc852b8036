package dev.hyperj.subnet.api.forward;

import dev.hyperj.p2p.proto.ProtoReader;
import dev.hyperj.p2p.proto.ProtoWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer of the API protocol: the service's status, headers and body, or a typed error (then
 * {@code error} names it, e.g. {@code unknown_route}, and {@code status} is the HTTP status the
 * bridge answers with). On the wire: {@code 1: status, 2: repeated Header, 3: body, 4: error, 5:
 * message}.
 */
public record ApiAnswer(int status, List<ApiCall.Header> headers, byte[] body, String error, String message) {
    public ApiAnswer {
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body;
        error = error == null ? "" : error;
        message = message == null ? "" : message;
    }

    public static ApiAnswer of(int status, List<ApiCall.Header> headers, byte[] body) {
        return new ApiAnswer(status, headers, body, "", "");
    }

    public static ApiAnswer error(ForwardError e, String message) {
        return new ApiAnswer(e.status(), List.of(), new byte[0], e.code(), message);
    }

    public boolean isError() {
        return !error.isEmpty();
    }

    public byte[] encode() {
        ProtoWriter w = new ProtoWriter(body.length + 64);
        w.writeVarint(1, status);
        for (ApiCall.Header h : headers)
            w.writeMessage(2, new ProtoWriter().writeString(1, h.name()).writeString(2, h.value()));
        if (body.length > 0) w.writeBytes(3, body);
        if (!error.isEmpty()) w.writeString(4, error).writeString(5, message);
        return w.toByteArray();
    }

    public static ApiAnswer decode(byte[] bytes) {
        ProtoReader r = new ProtoReader(bytes);
        int status = 0;
        List<ApiCall.Header> headers = new ArrayList<>();
        byte[] body = new byte[0];
        String error = "", message = "";
        while (r.next()) {
            switch (r.field()) {
                case 1 -> status = r.varintAsInt();
                case 2 -> {
                    if (headers.size() >= ApiCall.MAX_HEADERS)
                        throw new IllegalArgumentException("more than " + ApiCall.MAX_HEADERS + " headers");
                    headers.add(ApiCall.decodeHeader(r.bytes()));
                }
                case 3 -> body = r.bytes();
                case 4 -> error = r.string();
                case 5 -> message = r.string();
                default -> r.skip();
            }
        }
        if (status < 100 || status > 599) throw new IllegalArgumentException("not an HTTP status: " + status);
        return new ApiAnswer(status, headers, body, error, message);
    }
}
