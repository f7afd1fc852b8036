package dev.hyperj.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.multistream.MultistreamException;
import dev.hyperj.p2p.mux.MuxedStream;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostStreamTest {
    final TestHosts hosts = new TestHosts();

    @AfterEach
    void close() {
        hosts.close();
    }

    @Test
    void newStreamDialsAKnownAddressAndNegotiatesWithFallback() throws Exception {
        Host b = hosts.startEchoServer();
        Host a = hosts.start(TestHosts.builder());
        a.peerStore().addAddresses(b.peerId(), java.time.Duration.ofMinutes(5), TestHosts.addr(b));
        TestHosts.Collector c = new TestHosts.Collector();
        PeerStream stream =
                a.newStream(b.peerId(), c, "/not/spoken/1", TestHosts.ECHO).get(10, TimeUnit.SECONDS);
        StreamInfo info = c.info.get(1, TimeUnit.SECONDS);
        assertThat(info.protocol()).isEqualTo(TestHosts.ECHO);
        assertThat(info.initiator()).isTrue();
        assertThat(info.remotePeer()).isEqualTo(b.peerId());
        assertThat(stream.protocol()).isEqualTo(TestHosts.ECHO);
        assertThat(stream.remotePeer()).isEqualTo(b.peerId());
        stream.write("fallback".getBytes(StandardCharsets.UTF_8));
        stream.closeWrite();
        assertThat(new String(c.done.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8))
                .isEqualTo("fallback");
    }

    @Test
    void unsupportedProtocolFailsTheStreamButNotTheConnection() throws Exception {
        Host b = hosts.startEchoServer();
        Host a = hosts.start(TestHosts.builder());
        Connection conn = a.connect(TestHosts.addr(b)).get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> a.newStream(b.peerId(), "/nobody/1").get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(MultistreamException.class)
                .hasMessageContaining("supports none");
        assertThat(conn.isOpen()).isTrue();
        assertThat(TestHosts.echo(a, b.peerId(), new byte[] {7})).containsExactly(7);
    }

    @Test
    void bytesThatArriveBeforeTheCallerReadsAreKept() throws Exception {
        // the server speaks first, right after the negotiation
        String greet = "/test/greet/1";
        java.util.concurrent.atomic.AtomicInteger localGreeters = new java.util.concurrent.atomic.AtomicInteger();
        Host b = hosts.start(TestHosts.builder().protocol(greet, (stream, info) -> {
            stream.writeAndFlush(Unpooled.copiedBuffer("welcome", StandardCharsets.UTF_8));
            ((MuxedStream) stream).closeWrite();
        }));
        // a's own handler for the protocol serves inbound streams only
        Host a = hosts.start(TestHosts.builder().protocol(greet, (stream, info) -> localGreeters.incrementAndGet()));
        a.connect(TestHosts.addr(b)).get(10, TimeUnit.SECONDS);
        for (int round = 0; round < 20; round++) {
            PeerStream stream = a.newStream(b.peerId(), greet).get(10, TimeUnit.SECONDS);
            if (round % 2 == 0) {
                Thread.sleep(round); // let the greeting arrive first: give the race both outcomes
            }
            assertThat(new String(stream.readAll(100).get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8))
                    .as("round %d", round)
                    .isEqualTo("welcome");
        }
        assertThat(localGreeters.get()).isZero();
    }

    @Test
    void manyConcurrentStreamsEachEchoTheirOwnBytes() throws Exception {
        Host b = hosts.startEchoServer();
        Host a = hosts.start(TestHosts.builder());
        a.connect(TestHosts.addr(b)).get(10, TimeUnit.SECONDS);
        int n = 300;
        List<CompletableFuture<byte[]>> results = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        Random rnd = new Random(42);
        for (int i = 0; i < n; i++) {
            byte[] p = new byte[1 + rnd.nextInt(20_000)];
            rnd.nextBytes(p);
            payloads.add(p);
            TestHosts.Collector c = new TestHosts.Collector();
            results.add(a.newStream(b.peerId(), c, TestHosts.ECHO).thenCompose(s -> {
                s.write(p);
                s.closeWrite();
                return c.done;
            }));
        }
        for (int i = 0; i < n; i++) {
            assertThat(Arrays.equals(results.get(i).get(60, TimeUnit.SECONDS), payloads.get(i)))
                    .as("stream %d", i)
                    .isTrue();
        }
        assertThat(a.connections().connections(b.peerId())).hasSize(1);
    }

    @Test
    void inboundStreamsGetTheRegisteredHandlerWithTheirInfo() throws Exception {
        CompletableFuture<StreamInfo> seen = new CompletableFuture<>();
        Host b = hosts.start(TestHosts.builder().protocol("/test/info/1", (stream, info) -> {
            seen.complete(info);
            stream.close();
        }));
        Host a = hosts.start(TestHosts.builder());
        Connection c = a.connect(TestHosts.addr(b)).get(10, TimeUnit.SECONDS);
        c.newStream("/test/info/1").get(10, TimeUnit.SECONDS);
        StreamInfo info = seen.get(10, TimeUnit.SECONDS);
        assertThat(info.remotePeer()).isEqualTo(a.peerId());
        assertThat(info.initiator()).isFalse();
        assertThat(info.protocol()).isEqualTo("/test/info/1");
        assertThat(info.remoteAddress())
                .isEqualTo(b.connections().connections(a.peerId()).get(0).remoteAddress());
    }

    @Test
    void newStreamWithoutConnectionOrAddressFails() throws Exception {
        Host b = hosts.startEchoServer();
        Host a = hosts.start(TestHosts.builder());
        assertThatThrownBy(() -> a.newStream(b.peerId(), TestHosts.ECHO).get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(UpgradeException.class)
                .hasMessageContaining("no known address");
    }

    @Test
    void protocolsCanBeAddedAndRemovedAtRuntime() throws Exception {
        Host b = hosts.start(TestHosts.builder());
        Host a = hosts.start(TestHosts.builder());
        a.connect(TestHosts.addr(b)).get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> a.newStream(b.peerId(), TestHosts.ECHO).get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(MultistreamException.class);
        b.addProtocol(TestHosts.ECHO, TestHosts::installEcho);
        assertThat(b.protocols()).containsExactly(TestHosts.ECHO);
        assertThat(TestHosts.echo(a, b.peerId(), new byte[] {5})).containsExactly(5);
        b.removeProtocol(TestHosts.ECHO);
        assertThatThrownBy(() -> a.newStream(b.peerId(), TestHosts.ECHO).get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(MultistreamException.class);
    }

    /** Catches: a reader that buffers without bound instead of pausing the peer while nobody reads. */
    @Test
    void aStreamNobodyReadsHoldsThePeerBackAndDeliversEverythingOnceRead() throws Exception {
        byte[] payload = new byte[8 << 20];
        new Random(7).nextBytes(payload);
        CompletableFuture<CompletableFuture<Void>> sent = new CompletableFuture<>();
        Host b = hosts.start(TestHosts.builder().protocol("/test/flood/1", (stream, info) -> {
            CompletableFuture<Void> written = new CompletableFuture<>();
            stream.writeAndFlush(Unpooled.wrappedBuffer(payload)).addListener(f -> {
                if (f.isSuccess()) written.complete(null);
                else written.completeExceptionally(f.cause());
            });
            ((MuxedStream) stream).closeWrite();
            sent.complete(written);
        }));
        Host a = hosts.start(TestHosts.builder());
        a.connect(TestHosts.addr(b)).get(10, TimeUnit.SECONDS);
        PeerStream stream = a.newStream(b.peerId(), "/test/flood/1").get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> written = sent.get(10, TimeUnit.SECONDS);
        // unread, the stream holds at most its buffer and the muxer's window: the rest waits at the writer
        assertThatThrownBy(() -> written.get(1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
        assertThat(stream.readAll(payload.length).get(30, TimeUnit.SECONDS)).isEqualTo(payload);
        assertThat(written).succeedsWithin(Duration.ofSeconds(10));
    }

    /** Catches: a reset read as a clean end of stream (a truncated answer taken for a whole one). */
    @Test
    void aResetFailsTheReadAndAReadWhileAnotherIsPendingIsRefused() throws Exception {
        CompletableFuture<io.netty.channel.Channel> served = new CompletableFuture<>();
        Host b = hosts.start(TestHosts.builder().protocol("/test/hold/1", (stream, info) -> served.complete(stream)));
        Host a = hosts.start(TestHosts.builder());
        a.connect(TestHosts.addr(b)).get(10, TimeUnit.SECONDS);
        PeerStream stream = a.newStream(b.peerId(), "/test/hold/1").get(10, TimeUnit.SECONDS);
        CompletableFuture<?> first = stream.read();
        assertThatThrownBy(() -> stream.read().get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(IllegalStateException.class);
        ((MuxedStream) served.get(10, TimeUnit.SECONDS)).reset();
        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(dev.hyperj.p2p.mux.StreamResetException.class);
        assertThat(stream.closed()).succeedsWithin(Duration.ofSeconds(10));
    }

    /** Catches: readAll past its bound (a peer could make the reader hold any amount). */
    @Test
    void readAllResetsAStreamThatSendsMoreThanAsked() throws Exception {
        Host b = hosts.startEchoServer();
        Host a = hosts.start(TestHosts.builder());
        a.connect(TestHosts.addr(b)).get(10, TimeUnit.SECONDS);
        PeerStream stream = a.newStream(b.peerId(), TestHosts.ECHO).get(10, TimeUnit.SECONDS);
        stream.write(new byte[100]);
        stream.closeWrite();
        assertThatThrownBy(() -> stream.readAll(99).get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("more than 99 bytes");
        assertThat(stream.closed()).succeedsWithin(Duration.ofSeconds(10));
    }
}
