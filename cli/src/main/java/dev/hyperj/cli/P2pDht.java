package dev.hyperj.cli;

import dev.hyperj.p2p.host.Connection;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.kad.HostDhtNetwork;
import dev.hyperj.p2p.kad.KadCodec;
import dev.hyperj.p2p.kad.KadConfig;
import dev.hyperj.p2p.kad.KadDht;
import dev.hyperj.p2p.kad.LookupResult;
import dev.hyperj.p2p.kad.PeerInfo;
import dev.hyperj.p2p.kad.PutResult;
import dev.hyperj.p2p.kad.RecordValidator;
import dev.hyperj.p2p.kad.Validators;
import dev.hyperj.p2p.kad.ValueResult;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Kademlia DHT of {@code hyperj p2p --dht}: a server-mode node on {@code /ipfs/kad/1.0.0}
 * that bootstraps from the {@code --connect} peers, then runs the command line's puts, gets and
 * peer searches in that order, one JSON line each.
 *
 * <p>Records need a namespace with a validator. Besides libp2p's built-in {@code /pk/}, this
 * command registers {@value #KEY_PREFIX}: any value is valid, and when peers answer with
 * different values the first one found is kept. That suits trying the DHT out; an application
 * that needs agreement registers its own namespace with a real selector.
 */
final class P2pDht implements AutoCloseable {
    static final String NAMESPACE = "hyperj";
    static final String KEY_PREFIX = "/" + NAMESPACE + "/";
    /** Longest key and value accepted on the command line: what the DHT itself accepts. */
    static final int MAX_KEY_BYTES = KadCodec.Limits.defaults().maxKeyBytes();

    static final int MAX_VALUE_BYTES = KadConfig.defaults().maxRecordValueBytes();
    /** Bound on each step; the DHT's own lookups end sooner (KadConfig.lookupTimeout). */
    private static final long STEP_TIMEOUT_SECONDS = 90;

    /** One {@code --dht-put KEY=VALUE}. */
    record Put(String key, byte[] value) {
        Put {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }
    }

    private final KadDht dht;
    private final JsonLines events;

    private P2pDht(KadDht dht, JsonLines events) {
        this.dht = dht;
        this.events = events;
    }

    /** Starts a server-mode DHT node on the (started) host, serving the kad protocol from now on. */
    static P2pDht start(Host host, JsonLines events) throws InterruptedException {
        KadDht dht = KadDht.builder(host.peerId(), new HostDhtNetwork(host))
                .validators(validators())
                .build();
        try {
            dht.start().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            dht.close();
            throw new CliException("cannot start the DHT: " + JsonLines.rootMessage(e), e);
        }
        return new P2pDht(dht, events);
    }

    /** libp2p's {@code /pk/} plus {@value #KEY_PREFIX} (any value; the first found wins). */
    static Validators validators() {
        return Validators.builder()
                .register(
                        NAMESPACE,
                        RecordValidator.of(
                                KEY_PREFIX + " (any value, first found wins)", (key, value) -> true, (a, b) -> 0))
                .build();
    }

    /** Parses {@code --dht-put KEY=VALUE} (split at the first '='; the value is stored as UTF-8). */
    static Put parsePut(String arg) {
        int eq = arg.indexOf('=');
        if (eq < 0) {
            throw new CliException("--dht-put " + arg + ": expected KEY=VALUE, e.g. " + KEY_PREFIX + "greeting=hello");
        }
        String key = parseKey(arg.substring(0, eq), "--dht-put");
        byte[] value = arg.substring(eq + 1).getBytes(StandardCharsets.UTF_8);
        if (value.length > MAX_VALUE_BYTES) {
            throw new CliException(
                    "--dht-put " + key + ": value of " + value.length + " bytes exceeds " + MAX_VALUE_BYTES);
        }
        return new Put(key, value);
    }

    /** Checks that {@code key} lies in {@value #KEY_PREFIX} and fits the DHT's key limit. */
    static String parseKey(String key, String option) {
        if (!key.startsWith(KEY_PREFIX) || key.length() == KEY_PREFIX.length()) {
            throw new CliException(option + " " + key + ": keys must look like " + KEY_PREFIX
                    + "NAME (the namespace this command validates)");
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new CliException(option + ": key of " + bytes + " bytes exceeds " + MAX_KEY_BYTES);
        }
        return key;
    }

    static PeerId parsePeer(String text) {
        try {
            return PeerId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException("--find-peer " + text + ": not a peer id: " + e.getMessage(), e);
        }
    }

    /**
     * Waits for the dials to the {@code --connect} peers, bootstraps from those that answered, then
     * runs the puts, gets and peer searches one after the other, each reported as a JSON line.
     * Call on a thread of its own: this blocks until everything is done.
     */
    void run(Map<Multiaddr, CompletableFuture<Connection>> dials, List<Put> puts, List<String> gets, List<PeerId> peers)
            throws InterruptedException {
        List<PeerInfo> seeds = new ArrayList<>();
        for (Map.Entry<Multiaddr, CompletableFuture<Connection>> d : dials.entrySet()) {
            try {
                Connection c = d.getValue().get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                seeds.add(new PeerInfo(c.remotePeer(), List.of(d.getKey().withoutPeerId())));
            } catch (ExecutionException | TimeoutException e) {
                // the failed dial is reported by its own "error" line
            }
        }
        if (!seeds.isEmpty()) {
            try {
                int table = dht.bootstrap(seeds).get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                events.emit("dht-bootstrap", "seeds", seeds.size(), "peers", table);
            } catch (ExecutionException | TimeoutException e) {
                events.emit("dht-bootstrap", "seeds", seeds.size(), "error", JsonLines.rootMessage(e));
            }
        }
        for (Put p : puts) {
            put(p);
        }
        for (String key : gets) {
            get(key);
        }
        for (PeerId peer : peers) {
            findPeer(peer);
        }
    }

    private void put(Put p) throws InterruptedException {
        try {
            PutResult r = dht.putValue(p.key().getBytes(StandardCharsets.UTF_8), p.value())
                    .get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            events.emit("dht-put", "key", p.key(), "ok", true, "peers", r.acks(), "targets", r.targets());
        } catch (ExecutionException | TimeoutException e) {
            events.emit("dht-put", "key", p.key(), "ok", false, "error", JsonLines.rootMessage(e));
        }
    }

    private void get(String key) throws InterruptedException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "dht-get");
        line.put("key", key);
        try {
            ValueResult r =
                    dht.getValue(key.getBytes(StandardCharsets.UTF_8)).get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            line.put("found", r.record().isPresent());
            if (r.record().isPresent()) {
                JsonLines.putPayload(line, "value", r.value());
                line.put("answers", r.validAnswers());
            } else {
                line.put("error", "no record found");
            }
        } catch (ExecutionException | TimeoutException e) {
            line.put("found", false);
            line.put("error", JsonLines.rootMessage(e));
        }
        events.emit(line);
    }

    private void findPeer(PeerId peer) throws InterruptedException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "find-peer");
        line.put("peer", peer.toBase58());
        try {
            LookupResult r = dht.findPeer(peer).get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            line.put("found", !r.peers().isEmpty());
            if (r.peers().isEmpty()) {
                line.put("error", "peer not found");
            } else {
                line.put(
                        "addrs",
                        r.peers().get(0).addrs().stream()
                                .map(a -> a.withoutPeerId().withPeerId(peer).toString())
                                .toList());
            }
            line.put("hops", r.stats().hops());
            line.put("queries", r.stats().queries());
        } catch (ExecutionException | TimeoutException e) {
            line.put("found", false);
            line.put("error", JsonLines.rootMessage(e));
        }
        events.emit(line);
    }

    @Override
    public void close() {
        dht.close();
    }
}
