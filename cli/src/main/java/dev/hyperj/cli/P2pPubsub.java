package dev.hyperj.cli;

import dev.hyperj.p2p.gossipsub.GossipConfig;
import dev.hyperj.p2p.gossipsub.GossipSub;
import dev.hyperj.p2p.host.ConnectionGater;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.peer.PeerId;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GossipSub part of {@code hyperj p2p --topic}: subscribes to the topics, prints every message
 * other peers publish on them, publishes each line read from stdin to all of them, and reports
 * which peers join or leave each topic, all as JSON lines.
 */
final class P2pPubsub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(P2pPubsub.class);
    /** Longest stdin line published; longer ones are dropped whole (and reported), never buffered. */
    static final int MAX_LINE_BYTES = 64 * 1024;

    static final int MAX_TOPIC_BYTES = GossipConfig.defaults().limits().maxTopicLength();
    /** The router has no event for "a peer (un)subscribed", so its view is sampled this often. */
    private static final long TOPIC_PEERS_POLL_MILLIS = 100;

    private static final long ROUTER_TIMEOUT_SECONDS = 30;

    private final GossipSub gossip;
    private final List<String> topics;
    private final JsonLines events;
    private volatile boolean closed;

    private P2pPubsub(GossipSub gossip, List<String> topics, JsonLines events) {
        this.gossip = gossip;
        this.topics = List.copyOf(topics);
        this.events = events;
    }

    static String parseTopic(String topic) {
        int bytes = topic.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_TOPIC_BYTES) {
            throw new CliException("--topic '" + topic + "': a topic name has 1 to " + MAX_TOPIC_BYTES + " bytes");
        }
        return topic;
    }

    /**
     * A gater for the host's builder that refuses the peers gossipsub has blacklisted, once
     * {@code pubsub} holds the running instance (gossipsub needs a started host, the host its gater
     * before it is built); everyone is allowed before that.
     */
    static ConnectionGater gater(AtomicReference<P2pPubsub> pubsub) {
        return (peer, remote, inbound) -> {
            P2pPubsub p = pubsub.get();
            return p == null
                    ? CompletableFuture.completedFuture(true)
                    : p.gossip.gater().allow(peer, remote, inbound);
        };
    }

    /** Starts gossipsub on the (started) host and subscribes to {@code topics}. */
    static P2pPubsub start(Host host, List<String> topics, JsonLines events) throws InterruptedException {
        P2pPubsub p = new P2pPubsub(GossipSub.start(host), topics, events);
        try {
            for (String t : p.topics) {
                p.gossip.subscribe(t, p::deliver).get(ROUTER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            p.close();
            throw new CliException("cannot subscribe to " + topics + ": " + JsonLines.rootMessage(e), e);
        }
        return p;
    }

    /** Starts the threads that publish stdin's lines and report topic peers; they end with {@link #close()}. */
    void run(InputStream stdin) {
        Thread.ofVirtual().name("hyperj-p2p-stdin").start(() -> pumpLines(stdin));
        Thread.ofVirtual().name("hyperj-p2p-topic-peers").start(this::watchTopicPeers);
    }

    private void deliver(GossipSub.Delivery d) {
        if (d.receivedFrom() == null) {
            return; // our own publication, already reported as "published"
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "message");
        line.put("topic", d.topic());
        line.put("from", author(d.message().from()));
        line.put("receivedFrom", d.receivedFrom().toBase58());
        JsonLines.putPayload(line, "data", d.message().data());
        events.emit(line);
    }

    /** The author's peer id, or null for anonymous (unsigned, author-less) messages. */
    private static String author(byte[] from) {
        if (from == null || from.length == 0) {
            return null;
        }
        try {
            return PeerId.fromBytes(from).toBase58();
        } catch (IllegalArgumentException e) {
            return null; // the router's signature policy normally rejects such messages first
        }
    }

    /**
     * Reads stdin line by line (LF or CRLF) and publishes each non-empty line to every topic,
     * waiting for each publication so a fast writer cannot queue unbounded work on the router.
     */
    private void pumpLines(InputStream stdin) {
        byte[] line = new byte[MAX_LINE_BYTES];
        int length = 0;
        long dropped = 0; // bytes of the current line beyond the limit
        try (InputStream in = new BufferedInputStream(stdin)) {
            for (int b; !closed && (b = in.read()) != -1; ) {
                if (b != '\n') {
                    if (length < line.length) {
                        line[length++] = (byte) b;
                    } else {
                        dropped++;
                    }
                    continue;
                }
                if (dropped > 0) {
                    events.emit(
                            "error",
                            "op",
                            "publish",
                            "error",
                            "stdin line of " + (length + dropped) + " bytes exceeds " + MAX_LINE_BYTES
                                    + "; not published");
                } else {
                    publish(withoutCarriageReturn(line, length));
                }
                length = 0;
                dropped = 0;
            }
            if (!closed && length > 0 && dropped == 0) {
                publish(withoutCarriageReturn(line, length)); // last line without a newline
            }
        } catch (IOException e) {
            if (!closed) {
                events.emit("error", "op", "stdin", "error", e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] withoutCarriageReturn(byte[] line, int length) {
        int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        return Arrays.copyOf(line, end);
    }

    private void publish(byte[] data) throws InterruptedException {
        if (data.length == 0) {
            return;
        }
        for (String topic : topics) {
            try {
                int peers = gossip.call(router -> {
                            router.publish(topic, data);
                            return router.topicPeers(topic).size();
                        })
                        .get(ROUTER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                events.emit("published", "topic", topic, "bytes", data.length, "peers", peers);
            } catch (ExecutionException | TimeoutException e) {
                events.emit("error", "op", "publish", "topic", topic, "error", JsonLines.rootMessage(e));
            }
        }
    }

    /** Emits peer-subscribed / peer-unsubscribed whenever a topic's set of known subscribers changes. */
    private void watchTopicPeers() {
        Map<String, Set<PeerId>> known = new HashMap<>();
        try {
            while (!closed) {
                for (String topic : topics) {
                    Set<PeerId> now = gossip.call(router -> router.topicPeers(topic))
                            .get(ROUTER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    Set<PeerId> before = known.getOrDefault(topic, Set.of());
                    for (PeerId p : now) {
                        if (!before.contains(p)) {
                            events.emit("peer-subscribed", "topic", topic, "peer", p.toBase58());
                        }
                    }
                    for (PeerId p : before) {
                        if (!now.contains(p)) {
                            events.emit("peer-unsubscribed", "topic", topic, "peer", p.toBase58());
                        }
                    }
                    known.put(topic, new HashSet<>(now));
                }
                Thread.sleep(TOPIC_PEERS_POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            if (!closed) {
                log.warn("topic peer watch stopped", e);
                events.emit("error", "op", "topic-peers", "error", JsonLines.rootMessage(e));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        gossip.close();
    }
}
