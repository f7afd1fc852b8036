package dev.hyperj.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.host.Connection;
import dev.hyperj.p2p.host.ConnectionListener;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.multiformats.FormatException;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.protocol.identify.Identify;
import dev.hyperj.p2p.protocol.ping.Ping;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hyperj p2p}: a bare libp2p node (TCP, Noise, Yamux, identify, ping) for people and
 * scripts. Everything it reports is one JSON object per line on stdout: {@code started} (peer id
 * and listen addresses), {@code connected}, {@code disconnected}, {@code identified}, {@code ping},
 * {@code error} and, on interrupt, {@code stopped}. Logs go to stderr.
 */
@Command(name = "p2p", mixinStandardHelpOptions = true,
        description = {"Run a bare libp2p node (TCP, Noise, Yamux, identify, ping) until interrupted.",
                "Prints one JSON object per line: started (peerId, listenAddrs), connected, disconnected, identified, ping, error, stopped."})
final class P2pCommand implements Callable<Integer> {
    static final String AGENT = "hyperj/0.1.0";

    @Option(names = "--listen", paramLabel = "MADDR", defaultValue = "/ip4/127.0.0.1/tcp/0",
            description = "Address to listen on, repeatable (default: ${DEFAULT-VALUE}, loopback on a free port; "
                    + "use /ip4/0.0.0.0/tcp/4001 to be reachable from other hosts).")
    List<String> listen;

    @Option(names = "--key", paramLabel = "FILE",
            description = "Private key file as written by 'hyperj keygen' (default: a fresh Ed25519 identity for this run).")
    Path key;

    @Option(names = "--connect", paramLabel = "MADDR", arity = "1..*",
            description = "Peers to connect to at start, e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...")
    List<String> connect = new ArrayList<>();

    @Option(names = "--ping", paramLabel = "MADDR", arity = "1..*",
            description = "Peers to connect to and ping (/ipfs/ping/1.0.0), printing each round trip.")
    List<String> ping = new ArrayList<>();

    @Option(names = "--ping-count", paramLabel = "N", defaultValue = "3",
            description = "Pings per --ping peer, one per --ping-interval (default: ${DEFAULT-VALUE}; 0 = until interrupted).")
    int pingCount;

    @Option(names = "--ping-interval", paramLabel = "MILLIS", defaultValue = "1000",
            description = "Time between pings in milliseconds (default: ${DEFAULT-VALUE}).")
    long pingIntervalMillis;

    @Option(names = "--agent", paramLabel = "STRING", defaultValue = AGENT,
            description = "Agent version announced in identify (default: ${DEFAULT-VALUE}).")
    String agent;

    private final ObjectMapper json = new ObjectMapper();
    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        PrivateKey identity = key != null ? KeyFiles.parse(key, KeyFiles.readBytes(key)) : Keys.generate(KeyType.ED25519);
        List<Multiaddr> listenAddrs = parseAll(listen, "--listen");
        List<Multiaddr> connectAddrs = parseAll(connect, "--connect");
        List<Multiaddr> pingAddrs = parseAll(ping, "--ping");

        Host.Builder builder = Host.builder().identity(identity).agentVersion(agent);
        listenAddrs.forEach(builder::listen);
        Host host = builder.build();
        Identify identify = Identify.install(host);
        Ping.install(host);
        host.connections().addListener(new ConnectionListener() {
            @Override
            public void connected(Connection c) {
                emit("connected", "peer", c.remotePeer().toBase58(), "addr", c.remoteAddress().toString(),
                        "direction", c.isInitiator() ? "outbound" : "inbound");
            }

            @Override
            public void disconnected(Connection c) {
                emit("disconnected", "peer", c.remotePeer().toBase58(), "addr", c.remoteAddress().toString());
            }
        });
        identify.addListener(r -> emit("identified", "peer", r.peer().toBase58(), "agentVersion", r.agentVersion(),
                "protocolVersion", r.protocolVersion(), "protocols", r.protocols(),
                "listenAddrs", r.listenAddrs().stream().map(Multiaddr::toString).toList(),
                "signedPeerRecord", r.signedPeerRecord().isPresent()));

        CountDownLatch stopped = new CountDownLatch(1);
        Thread shutdown = new Thread(() -> {
            host.close();
            emit("stopped", "peerId", host.peerId().toBase58());
            stopped.countDown();
        }, "hyperj-p2p-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);

        try {
            host.start().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new CliException("cannot listen on " + listen + ": " + e.getCause().getMessage(), e.getCause());
        }
        emit("started", "peerId", host.peerId().toBase58(), "listenAddrs",
                host.listenAddresses().stream().map(Multiaddr::toString).toList(), "agentVersion", agent);

        for (Multiaddr a : connectAddrs) {
            host.connect(a).whenComplete((c, e) -> {
                if (e != null) {
                    emit("error", "op", "connect", "addr", a.toString(), "error", rootMessage(e));
                }
            });
        }
        for (Multiaddr a : pingAddrs) {
            Thread.ofVirtual().name("ping-" + a).start(() -> pingLoop(host, a));
        }
        stopped.await(); // until interrupted: the shutdown hook closes the host
        return 0;
    }

    private void pingLoop(Host host, Multiaddr addr) {
        try {
            Connection c = host.connect(addr).get(30, TimeUnit.SECONDS);
            for (int i = 1; pingCount == 0 || i <= pingCount; i++) {
                try {
                    Duration rtt = Ping.ping(host, c.remotePeer()).get(30, TimeUnit.SECONDS);
                    emit("ping", "peer", c.remotePeer().toBase58(), "addr", addr.toString(), "seq", i,
                            "rttMs", rtt.toNanos() / 1e6);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    emit("error", "op", "ping", "addr", addr.toString(), "seq", i, "error", rootMessage(e));
                }
                if (pingCount == 0 || i < pingCount) {
                    Thread.sleep(pingIntervalMillis);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            emit("error", "op", "ping", "addr", addr.toString(), "error", rootMessage(e));
        }
    }

    private static List<Multiaddr> parseAll(List<String> texts, String option) {
        List<Multiaddr> out = new ArrayList<>();
        for (String t : texts) {
            try {
                out.add(Multiaddr.parse(t));
            } catch (FormatException e) {
                throw new CliException(option + " " + t + ": not a multiaddr: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** One JSON line {"event": name, k1: v1, ...}, written whole even when events race. */
    private void emit(String event, Object... fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", event);
        for (int i = 0; i < fields.length; i += 2) {
            line.put((String) fields[i], fields[i + 1]);
        }
        try {
            String text = json.writeValueAsString(line);
            synchronized (out) {
                out.println(text);
                out.flush();
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t instanceof java.util.concurrent.ExecutionException
                || t instanceof java.util.concurrent.CompletionException)) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
