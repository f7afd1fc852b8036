package dev.hyperj.bench.transport;

import dev.hyperj.p2p.host.Connection;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.interop.Bulk;
import dev.hyperj.p2p.interop.JsPeer;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The HyperJ rows of the benchmark: Java->Java, Java->JS, JS->Java and connection setups per second. */
final class JavaStack {
    private static String handshakeLine = "";

    private JavaStack() {}

    static Host receiverHost() throws Exception {
        Host h = Host.builder()
                .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                .agentVersion("hyperj-bench/1.0")
                .build();
        h.addProtocol(Bulk.DISCARD, Bulk.receiver(false));
        h.start().get(30, TimeUnit.SECONDS);
        return h;
    }

    /** Sends {@code bytes} from {@code from} to {@code to}'s discard protocol on one stream; returns seconds. */
    static double send(Host from, PeerId to, long bytes) throws Exception {
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        long start = System.nanoTime();
        from.newStream(to, Bulk.sender(bytes, answer), Bulk.DISCARD).get(30, TimeUnit.SECONDS);
        byte[] count = answer.get(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (count.length != 8 || ByteBuffer.wrap(count).getLong() != bytes) {
            throw new IllegalStateException(
                    "sent " + bytes + " bytes, the receiver answered " + count.length + " bytes");
        }
        return seconds;
    }

    /** A started receiver host and the thread-name prefix of its event loops (for CPU accounting). */
    record NamedHost(Host host, String loops) implements AutoCloseable {
        static NamedHost start() throws Exception {
            Set<String> before = CpuMeter.sample().groupNanos().keySet();
            Host h = receiverHost();
            Set<String> added = new HashSet<>(CpuMeter.sample().groupNanos().keySet());
            added.removeAll(before);
            if (added.size() != 1) throw new IllegalStateException("cannot tell the new host's event loops: " + added);
            return new NamedHost(h, added.iterator().next());
        }

        @Override
        public void close() {
            host.close();
        }
    }

    static void addJavaRow(List<TransportBench.Row> rows, long bytes, int runs) throws Exception {
        try (NamedHost s = NamedHost.start();
                NamedHost c = NamedHost.start()) {
            Host server = s.host(), client = c.host();
            client.connect(server.listenAddresses().getFirst()).get(30, TimeUnit.SECONDS);
            send(client, server.peerId(), bytes); // warm-up: C2 keeps compiling the hot path for ~100 MB
            rows.add(TransportBench.best(
                    "Java -> Java noise+yamux",
                    bytes,
                    runs,
                    Map.of("send", c.loops(), "recv", s.loops()),
                    () -> send(client, server.peerId(), bytes)));
        }
    }

    static void addRows(List<TransportBench.Row> rows, long bytes, int runs, int handshakes) throws Exception {
        try (NamedHost s = NamedHost.start();
                NamedHost c = NamedHost.start()) {
            Host server = s.host(), client = c.host();
            Multiaddr serverAddr = server.listenAddresses().getFirst();
            client.connect(serverAddr).get(30, TimeUnit.SECONDS);
            send(client, server.peerId(), bytes); // warm-up: C2 keeps compiling the hot path for ~100 MB
            rows.add(TransportBench.best(
                    "Java -> Java noise+yamux",
                    bytes,
                    runs,
                    Map.of("send", c.loops(), "recv", s.loops()),
                    () -> send(client, server.peerId(), bytes)));

            try (JsPeer js = JsPeer.start()) {
                PeerId jsId = PeerId.parse(js.peerId());
                client.connect(Multiaddr.parse(js.address())).get(30, TimeUnit.SECONDS);
                send(client, jsId, bytes / 4);
                rows.add(TransportBench.best(
                        "Java -> JS noise+yamux",
                        bytes,
                        runs,
                        Map.of("send", c.loops()),
                        () -> send(client, jsId, bytes)));
                js.call(
                        Duration.ofSeconds(30),
                        "dial",
                        "addr",
                        server.listenAddresses().getFirst().toString());
                rows.add(TransportBench.best(
                        "JS -> Java noise+yamux",
                        bytes,
                        runs,
                        Map.of("recv", s.loops()),
                        () -> TransportBench.jsSend(js, server.peerId().toBase58(), bytes)));
            }
            handshakeLine = connectionSetups(client, serverAddr.withoutPeerId(), handshakes);
        }
    }

    /** Sequential connection setups (TCP + multistream + Noise XX + Yamux), each closed before the next. */
    private static String connectionSetups(Host client, Multiaddr server, int n) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int i = 0; i < Math.min(200, n); i++) { // warm-up
            client.connect(server).get(30, TimeUnit.SECONDS).close().get(30, TimeUnit.SECONDS);
        }
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Connection c = client.connect(server).get(30, TimeUnit.SECONDS);
            c.close().get(30, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuMsEach = (os.getProcessCpuTime() - cpu0) / 1e6 / n;
        return String.format(
                Locale.ROOT,
                "Java<->Java connection setups (TCP + multistream + Noise XX + Yamux, then close), "
                        + "%d sequential: %.0f/s, %.2f ms wall each, %.2f ms CPU each for both sides together",
                n,
                n / seconds,
                1000 * seconds / n,
                cpuMsEach);
    }

    static void printHandshakes() {
        System.out.println();
        System.out.println(handshakeLine);
    }
}
