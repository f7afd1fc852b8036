package dev.hyperj.subnet.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP server's bounds and refusals, over real sockets. */
@Timeout(60)
class ApiServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private ApiServer server;

    @AfterEach
    void close() {
        if (server != null) server.close();
        http.close();
    }

    private ApiServer serve(ApiServerConfig c, ApiHandler h) {
        server = ApiServer.start(c, h);
        return server;
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String raw(InetSocketAddress a, String request, int readTimeoutMs) throws Exception {
        try (Socket s = new Socket(a.getAddress(), a.getPort())) {
            s.setSoTimeout(readTimeoutMs);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void servesTheHandlerWithQueryHeadersBodyAndRemoteAddress() throws Exception {
        serve(
                ApiServerConfig.loopback(0),
                r -> ApiResponse.json(java.util.Map.of(
                        "method", r.method(),
                        "path", r.path(),
                        "q", r.query("q").orElse(""),
                        "h", r.header("X-Thing").orElse(""),
                        "body", r.bodyText(),
                        "remote", r.remote().getAddress().getHostAddress())));
        HttpResponse<String> resp = http.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/v1/x?q=a%20b"))
                        .header("x-thing", "1")
                        .POST(HttpRequest.BodyPublishers.ofString("hello"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).isEqualTo(200);
        assertThat(resp.body())
                .contains(
                        "\"method\":\"POST\"",
                        "\"path\":\"/v1/x\"",
                        "\"q\":\"a b\"",
                        "\"h\":\"1\"",
                        "\"body\":\"hello\"")
                .contains("\"remote\":\"127.0.0.1\"");
    }

    @Test
    void refusesAddressesOutsideTheAllowList() throws Exception {
        serve(
                ApiServerConfig.loopback(0).withAllow(IpAllowList.parse(List.of("10.0.0.0/8"))),
                r -> ApiResponse.text(200, "secret"));
        HttpResponse<String> resp = get("/v1/status");
        assertThat(resp.statusCode()).isEqualTo(403);
        assertThat(resp.body()).contains("address_not_allowed").doesNotContain("secret");
        assertThat(server.refusals()).containsEntry("address", 1L);
        IpAllowList l = IpAllowList.parse(List.of("192.168.1.0/24", "::1"));
        assertThat(l.allows(InetAddress.getByName("192.168.1.77"))).isTrue();
        assertThat(l.allows(InetAddress.getByName("192.168.2.1"))).isFalse();
        assertThat(l.allows(InetAddress.getByName("::1"))).isTrue();
        assertThat(l.allows(InetAddress.getByName("::ffff:192.168.1.3"))).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IpAllowList.parse(List.of("example.com")))
                .hasMessageContaining("example.com");
    }

    @Test
    void aTokenIsRequiredAndCheckedWhenConfigured() throws Exception {
        serve(ApiServerConfig.loopback(0).withToken("correct-horse-battery"), r -> ApiResponse.text(200, "in"));
        assertThat(get("/v1/status").statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = get("/v1/status", "Authorization", "Bearer correct-horse-battery-staple");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("not valid");
        assertThat(wrong.headers().firstValue("www-authenticate")).contains("Bearer");
        HttpResponse<String> ok = get("/v1/status", "Authorization", "Bearer correct-horse-battery");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("in");
        assertThat(server.refusals()).containsEntry("token", 2L);
    }

    @Test
    void oversizedBodiesAndHeadersAreRefusedWithTheirStatus() throws Exception {
        serve(ApiServerConfig.loopback(0).withLimits(1024, 1024, 16, 16), r -> ApiResponse.text(200, "ok"));
        HttpResponse<String> big = http.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/x"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[4096]))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(big.body()).contains("body_too_large");
        String answer =
                raw(server.address(), "GET /x HTTP/1.1\r\nHost: a\r\nX-Big: " + "a".repeat(4000) + "\r\n\r\n", 5000);
        assertThat(answer).startsWith("HTTP/1.1 431").contains("headers_too_large");
        assertThat(server.refusals()).containsEntry("body_size", 1L).containsEntry("header_size", 1L);
    }

    @Test
    void aSlowBodyIsCutOffWith408AndASlowHandlerWith504() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        serve(
                ApiServerConfig.loopback(0)
                        .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(30)),
                r -> {
                    try {
                        Thread.sleep(r.path().equals("/slow") ? 10_000 : 0);
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                    }
                    return ApiResponse.text(200, "ok");
                });
        long t0 = System.nanoTime();
        String answer =
                raw(server.address(), "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nonly-part", 10_000);
        assertThat(answer).startsWith("HTTP/1.1 408").contains("request_timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));

        HttpResponse<String> slow = get("/slow");
        assertThat(slow.statusCode()).isEqualTo(504);
        assertThat(slow.body()).contains("handler_timeout");
        assertThat(interrupted.await(5, TimeUnit.SECONDS))
                .as("the timed-out handler is interrupted")
                .isTrue();
        assertThat(server.inFlight()).isZero();
    }

    @Test
    void connectionsAndRequestsInFlightAreBoundedAndNothingLeaks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        serve(ApiServerConfig.loopback(0).withLimits(1024, 1024, 3, 1), r -> {
            if (r.path().equals("/hold")) {
                entered.countDown();
                release.await();
            }
            return ApiResponse.text(200, "ok");
        });
        try (HttpClient other = HttpClient.newHttpClient()) {
            var held = other.sendAsync(
                    HttpRequest.newBuilder(URI.create(server.url() + "/hold")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            HttpResponse<String> busy = get("/x");
            assertThat(busy.statusCode()).isEqualTo(503);
            assertThat(busy.body()).contains("\"busy\"");
            release.countDown();
            assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        // beyond maxConnections, a new connection is closed at accept
        Socket[] open = new Socket[3];
        for (int i = 0; i < 3; i++)
            open[i] = new Socket(server.address().getAddress(), server.address().getPort());
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.openConnections() < 3 && System.nanoTime() < deadline) Thread.sleep(10);
            String answer = raw(server.address(), "GET /x HTTP/1.1\r\nHost: a\r\n\r\n", 5000);
            assertThat(answer).isEmpty();
            assertThat(server.refusals()).containsKey("connections");
        } finally {
            for (Socket s : open) s.close();
        }
        http.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.openConnections() > 0 && System.nanoTime() < deadline)
            Thread.sleep(10); // no close event to await
        assertThat(server.openConnections())
                .as("connections are released when clients go")
                .isZero();
        assertThat(server.inFlight()).isZero();
    }

    @Test
    void serverSentEventsReachASubscriberUntilItLeaves() throws Exception {
        java.util.List<java.util.function.Consumer<String>> sinks = new java.util.concurrent.CopyOnWriteArrayList<>();
        serve(ApiServerConfig.loopback(0), r -> ApiResponse.text(200, "ok"));
        server.stream("/events", sink -> {
            sinks.add(sink);
            return () -> sinks.remove(sink);
        });
        try (Socket s =
                new Socket(server.address().getAddress(), server.address().getPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET /events HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sinks.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
            sinks.forEach(k -> k.accept("{\"block\":7}"));
            StringBuilder got = new StringBuilder();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[1024];
            while (!got.toString().contains("data: {\"block\":7}")) {
                int n = in.read(buf);
                if (n < 0) break;
                got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            assertThat(got.toString()).contains("text/event-stream").contains("data: {\"block\":7}");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!sinks.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(sinks).as("the subscription ends with the connection").isEmpty();
    }
}
