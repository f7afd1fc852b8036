package dev.hyperj.p2p.protocol.reqresp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.proto.ProtoReader;
import dev.hyperj.p2p.proto.ProtoWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The request/response API between two real hosts over TCP + Noise + Yamux on loopback. */
class RequestResponseHostTest {
    private final Host client =
            Host.builder().listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).build();
    private final Host server =
            Host.builder().listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).build();

    /** A protobuf message written with dev.hyperj.p2p.proto: {string name = 1; uint64 n = 2;}. */
    record Item(String name, long n) {
        static final Codec<Item> CODEC = Codec.of(
                i -> new ProtoWriter()
                        .writeString(1, i.name())
                        .writeVarint(2, i.n())
                        .toByteArray(),
                bytes -> {
                    String name = "";
                    long n = 0;
                    ProtoReader r = new ProtoReader(bytes);
                    while (r.next()) {
                        switch (r.field()) {
                            case 1 -> name = r.string();
                            case 2 -> n = r.varint();
                            default -> r.skip();
                        }
                    }
                    return new Item(name, n);
                });
    }

    @BeforeEach
    void start() throws Exception {
        RequestResponse.register(server, "/echo/1", (ctx, req) -> {
            assertThat(ctx.peer()).isEqualTo(client.peerId());
            return req;
        });
        RequestResponse.register(
                server,
                "/item/1",
                RequestHandler.typed(
                        Item.CODEC,
                        Item.CODEC,
                        (ctx, item) -> new Item(item.name().toUpperCase(), item.n() + 1)));
        RequestResponse.register(server, "/fail/1", (ctx, req) -> {
            throw new IllegalStateException("no");
        });
        RequestResponse.register(server, "/slow/1", (ctx, req) -> {
            Thread.sleep(5_000);
            return req;
        });
        client.start().get(10, TimeUnit.SECONDS);
        server.start().get(10, TimeUnit.SECONDS);
        client.connect(server.listenAddresses().getFirst()).get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        client.close();
        server.close();
    }

    private static RequestResponseException.Reason reason(CompletableFuture<?> f) throws Exception {
        try {
            f.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(RequestResponseException.class);
            return ((RequestResponseException) e.getCause()).reason();
        }
        throw new AssertionError("request succeeded");
    }

    @Test
    void bytesAndProtobufRequestsAreAnswered() throws Exception {
        assertThat(RequestResponse.request(client, server.peerId(), "/echo/1", "hi".getBytes())
                        .get(10, TimeUnit.SECONDS))
                .isEqualTo("hi".getBytes());
        assertThat(RequestResponse.request(
                                client, server.peerId(), "/item/1", new Item("abc", 41), Item.CODEC, Item.CODEC)
                        .get(10, TimeUnit.SECONDS))
                .isEqualTo(new Item("ABC", 42));
    }

    @Test
    void manyConcurrentRequestsOnOneConnection() throws Exception {
        List<CompletableFuture<byte[]>> all = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            all.add(RequestResponse.request(client, server.peerId(), "/echo/1", ("r" + i).getBytes()));
        }
        for (int i = 0; i < 500; i++) {
            assertThat(new String(all.get(i).get(30, TimeUnit.SECONDS))).isEqualTo("r" + i);
        }
        assertThat(client.connections().connections(server.peerId())).hasSize(1);
    }

    @Test
    void failuresMapToClearReasons() throws Exception {
        assertThat(reason(RequestResponse.request(client, server.peerId(), "/fail/1", new byte[1])))
                .isEqualTo(RequestResponseException.Reason.NO_RESPONSE);
        assertThatThrownBy(() -> RequestResponse.request(client, server.peerId(), "/unknown/1", new byte[1])
                        .get(20, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(RequestResponseException.class)
                .hasMessageContaining("supports none of [/unknown/1]")
                .satisfies(e -> assertThat(((RequestResponseException) e).reason())
                        .isEqualTo(RequestResponseException.Reason.STREAM_FAILED));
        assertThat(reason(RequestResponse.request(
                        client,
                        server.peerId(),
                        "/slow/1",
                        new byte[1],
                        RequestOptions.defaults().withTimeout(Duration.ofMillis(500)))))
                .isEqualTo(RequestResponseException.Reason.TIMEOUT);
        assertThat(reason(RequestResponse.request(
                        client,
                        server.peerId(),
                        "/echo/1",
                        new byte[2000],
                        RequestOptions.defaults().withMaxFrame(1000))))
                .isEqualTo(RequestResponseException.Reason.SEND_FAILED);
        Codec<String> text = Codec.of(String::getBytes, String::new);
        assertThat(reason(RequestResponse.request(client, server.peerId(), "/item/1", "x", text, text)))
                .isEqualTo(
                        RequestResponseException.Reason.NO_RESPONSE); // "x" is not a valid Item: the server refuses it
        Codec<Item> refusing = Codec.of(Item.CODEC::encode, b -> {
            throw new IllegalArgumentException("unexpected bytes");
        });
        assertThat(reason(RequestResponse.request(
                        client, server.peerId(), "/item/1", new Item("a", 1), Item.CODEC, refusing)))
                .isEqualTo(RequestResponseException.Reason.BAD_RESPONSE);
        // and the connection survived all of that
        assertThat(RequestResponse.request(client, server.peerId(), "/echo/1", "ok".getBytes())
                        .get(10, TimeUnit.SECONDS))
                .isEqualTo("ok".getBytes());
    }
}
