package dev.hyperj.cli;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.host.Connection;
import dev.hyperj.p2p.host.ConnectionListener;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.multiformats.FormatException;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.protocol.identify.Identify;
import dev.hyperj.p2p.protocol.ping.Ping;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hyperj p2p}: a libp2p node (TCP, Noise, Yamux, identify, ping; optionally the Kademlia DHT
 * and GossipSub) for people and scripts. Everything it reports is one JSON object per line on
 * stdout: {@code started} (peer id and listen addresses), {@code connected}, {@code disconnected},
 * {@code identified}, {@code ping}, the DHT's {@code dht-bootstrap}, {@code dht-put},
 * {@code dht-get}, {@code find-peer}, GossipSub's {@code message}, {@code published},
 * {@code peer-subscribed}, {@code peer-unsubscribed}, {@code error} and, on interrupt,
 * {@code stopped}. Logs go to stderr.
 */
@Command(
        name = "p2p",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run a libp2p node (TCP, Noise, Yamux, identify, ping; with --dht the Kademlia DHT, "
                    + "with --topic GossipSub) until interrupted.",
            "Prints one JSON object per line: started (peerId, listenAddrs), connected, disconnected, identified, ping, "
                    + "dht-bootstrap, dht-put, dht-get, find-peer, message, published, peer-subscribed, peer-unsubscribed, "
                    + "error, stopped."
        },
        footer = {
            "",
            "DHT (--dht: /ipfs/kad/1.0.0, server mode). The --connect peers are the bootstrap peers (dht-bootstrap: "
                    + "seeds, peers in the table); then the --dht-put, --dht-get and --find-peer operations run in that "
                    + "order, one line each:",
            "  dht-put    key, ok, peers (that stored it), targets; or ok=false and error",
            "  dht-get    key, found, value (valueBase64 if not UTF-8), answers; or error",
            "  find-peer  peer, found, addrs, hops, queries; or found=false and error",
            "Record keys must lie in the namespace " + P2pDht.KEY_PREFIX + " (e.g. " + P2pDht.KEY_PREFIX
                    + "greeting), which this command registers: any value up to 10 KiB is valid, and when peers hold "
                    + "different values the first one found wins.",
            "",
            "GossipSub (--topic: /meshsub/1.0.0 to 2.0.0, signed messages). Every --topic is subscribed; each message "
                    + "another peer publishes is printed as a message line (topic, from = author, receivedFrom, data, "
                    + "or dataBase64 if not UTF-8). Each non-empty stdin line (at most 64 KiB) is published to every "
                    + "--topic (a published line per topic: topic, bytes, peers). peer-subscribed and "
                    + "peer-unsubscribed (topic, peer) tell which peers are on a topic."
        })
final class P2pCommand implements Callable<Integer> {
    static final String AGENT = "hyperj/0.1.0";

    @Option(
            names = "--listen",
            paramLabel = "MADDR",
            defaultValue = "/ip4/127.0.0.1/tcp/0",
            description = "Address to listen on, repeatable (default: ${DEFAULT-VALUE}, loopback on a free port; "
                    + "use /ip4/0.0.0.0/tcp/4001 to be reachable from other hosts).")
    List<String> listen;

    @Option(
            names = "--key",
            paramLabel = "FILE",
            description =
                    "Private key file as written by 'hyperj keygen' (default: a fresh Ed25519 identity for this run).")
    Path key;

    @Option(
            names = "--connect",
            paramLabel = "MADDR",
            arity = "1..*",
            description = "Peers to connect to at start, e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW... "
                    + "With --dht they are the bootstrap peers.")
    List<String> connect = new ArrayList<>();

    @Option(
            names = "--ping",
            paramLabel = "MADDR",
            arity = "1..*",
            description = "Peers to connect to and ping (/ipfs/ping/1.0.0), printing each round trip.")
    List<String> ping = new ArrayList<>();

    @Option(
            names = "--ping-count",
            paramLabel = "N",
            defaultValue = "3",
            description =
                    "Pings per --ping peer, one per --ping-interval (default: ${DEFAULT-VALUE}; 0 = until interrupted).")
    int pingCount;

    @Option(
            names = "--ping-interval",
            paramLabel = "MILLIS",
            defaultValue = "1000",
            description = "Time between pings in milliseconds (default: ${DEFAULT-VALUE}).")
    long pingIntervalMillis;

    @Option(
            names = "--agent",
            paramLabel = "STRING",
            defaultValue = AGENT,
            description = "Agent version announced in identify (default: ${DEFAULT-VALUE}).")
    String agent;

    @Option(
            names = "--dht",
            description =
                    "Run a Kademlia DHT node in server mode (/ipfs/kad/1.0.0), bootstrapping from the --connect peers.")
    boolean dht;

    @Option(
            names = "--dht-put",
            paramLabel = "KEY=VALUE",
            description = "With --dht: store VALUE (UTF-8) under KEY, e.g. " + P2pDht.KEY_PREFIX + "greeting=hello; "
                    + "repeatable. Prints a dht-put line with the number of peers that stored it.")
    List<String> dhtPuts = new ArrayList<>();

    @Option(
            names = "--dht-get",
            paramLabel = "KEY",
            description = "With --dht: look KEY up (after the puts), e.g. " + P2pDht.KEY_PREFIX
                    + "greeting; repeatable. " + "Prints a dht-get line with the value or an error.")
    List<String> dhtGets = new ArrayList<>();

    @Option(
            names = "--find-peer",
            paramLabel = "PEERID",
            description = "With --dht: find the addresses of PEERID through the DHT (after the gets); repeatable. "
                    + "Prints a find-peer line.")
    List<String> findPeers = new ArrayList<>();

    @Option(
            names = "--topic",
            paramLabel = "NAME",
            description = "Subscribe to GossipSub topic NAME, print its messages and publish each stdin line to it; "
                    + "repeatable (every stdin line goes to every topic).")
    List<String> topics = new ArrayList<>();

    private final JsonLines events = new JsonLines(System.out);

    @Override
    public Integer call() throws Exception {
        PrivateKey identity =
                key != null ? KeyFiles.parse(key, KeyFiles.readBytes(key)) : Keys.generate(KeyType.ED25519);
        List<Multiaddr> listenAddrs = parseAll(listen, "--listen");
        List<Multiaddr> connectAddrs = parseAll(connect, "--connect");
        List<Multiaddr> pingAddrs = parseAll(ping, "--ping");
        List<P2pDht.Put> puts = dhtPuts.stream().map(P2pDht::parsePut).toList();
        List<String> gets =
                dhtGets.stream().map(k -> P2pDht.parseKey(k, "--dht-get")).toList();
        List<PeerId> wanted = findPeers.stream().map(P2pDht::parsePeer).toList();
        List<String> topicNames =
                topics.stream().map(P2pPubsub::parseTopic).distinct().toList();
        if (!dht && (!puts.isEmpty() || !gets.isEmpty() || !wanted.isEmpty())) {
            throw new CliException("--dht-put, --dht-get and --find-peer need --dht");
        }

        AtomicReference<P2pPubsub> pubsubRef = new AtomicReference<>();
        Host.Builder builder = Host.builder().identity(identity).agentVersion(agent);
        if (!topicNames.isEmpty()) {
            builder.gater(P2pPubsub.gater(pubsubRef));
        }
        listenAddrs.forEach(builder::listen);
        Host host = builder.build();
        Identify identify = Identify.install(host);
        Ping.install(host);
        host.connections().addListener(new ConnectionListener() {
            @Override
            public void connected(Connection c) {
                events.emit(
                        "connected",
                        "peer",
                        c.remotePeer().toBase58(),
                        "addr",
                        c.remoteAddress().toString(),
                        "direction",
                        c.isInitiator() ? "outbound" : "inbound");
            }

            @Override
            public void disconnected(Connection c) {
                events.emit(
                        "disconnected",
                        "peer",
                        c.remotePeer().toBase58(),
                        "addr",
                        c.remoteAddress().toString());
            }
        });
        identify.addListener(r -> events.emit(
                "identified",
                "peer",
                r.peer().toBase58(),
                "agentVersion",
                r.agentVersion(),
                "protocolVersion",
                r.protocolVersion(),
                "protocols",
                r.protocols(),
                "listenAddrs",
                r.listenAddrs().stream().map(Multiaddr::toString).toList(),
                "signedPeerRecord",
                r.signedPeerRecord().isPresent()));

        AtomicReference<P2pDht> dhtRef = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread shutdown = new Thread(
                () -> {
                    // the protocols first, so they stop cleanly before their connections go
                    P2pPubsub p = pubsubRef.get();
                    if (p != null) {
                        p.close();
                    }
                    P2pDht d = dhtRef.get();
                    if (d != null) {
                        d.close();
                    }
                    host.close();
                    events.emit("stopped", "peerId", host.peerId().toBase58());
                    stopped.countDown();
                },
                "hyperj-p2p-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);

        try {
            host.start().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new CliException(
                    "cannot listen on " + listen + ": " + e.getCause().getMessage(), e.getCause());
        }
        // DHT and topics are served before "started", so a peer that reacts to that line finds them
        if (dht) {
            dhtRef.set(P2pDht.start(host, events));
        }
        if (!topicNames.isEmpty()) {
            pubsubRef.set(P2pPubsub.start(host, topicNames, events));
        }
        events.emit(
                "started",
                "peerId",
                host.peerId().toBase58(),
                "listenAddrs",
                host.listenAddresses().stream().map(Multiaddr::toString).toList(),
                "agentVersion",
                agent,
                "dht",
                dht,
                "topics",
                topicNames);

        Map<Multiaddr, CompletableFuture<Connection>> dials = new LinkedHashMap<>();
        for (Multiaddr a : connectAddrs) {
            CompletableFuture<Connection> dial = host.connect(a);
            dials.put(a, dial);
            dial.whenComplete((c, e) -> {
                if (e != null) {
                    events.emit("error", "op", "connect", "addr", a.toString(), "error", JsonLines.rootMessage(e));
                }
            });
        }
        for (Multiaddr a : pingAddrs) {
            Thread.ofVirtual().name("ping-" + a).start(() -> pingLoop(host, a));
        }
        P2pDht dhtNode = dhtRef.get();
        if (dhtNode != null) {
            Thread.ofVirtual().name("hyperj-p2p-dht").start(() -> {
                try {
                    dhtNode.run(dials, puts, gets, wanted);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        P2pPubsub pubsub = pubsubRef.get();
        if (pubsub != null) {
            pubsub.run(System.in);
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
                    events.emit(
                            "ping",
                            "peer",
                            c.remotePeer().toBase58(),
                            "addr",
                            addr.toString(),
                            "seq",
                            i,
                            "rttMs",
                            rtt.toNanos() / 1e6);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    events.emit(
                            "error",
                            "op",
                            "ping",
                            "addr",
                            addr.toString(),
                            "seq",
                            i,
                            "error",
                            JsonLines.rootMessage(e));
                }
                if (pingCount == 0 || i < pingCount) {
                    Thread.sleep(pingIntervalMillis);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            events.emit("error", "op", "ping", "addr", addr.toString(), "error", JsonLines.rootMessage(e));
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
}
