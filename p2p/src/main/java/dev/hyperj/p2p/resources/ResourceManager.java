package dev.hyperj.p2p.resources;

import dev.hyperj.p2p.peer.PeerId;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Accounts for connections, streams and memory by scope (system, transient, per IP, per peer, per
 * protocol) and refuses what would exceed a {@link ResourceLimits}. Pure bookkeeping without I/O:
 * the host asks before it accepts, authenticates or opens, and closes the returned scopes when the
 * socket or stream closes. Thread-safe.
 *
 * <p>The transient scope is what keeps strangers from locking peers out: an inbound connection
 * counts there (and against its IP) only until its secure handshake names the peer, then it moves
 * to the system and peer scopes. When the transient scope is full the oldest unauthenticated
 * connection is evicted, never the newcomer, so a flood of idle sockets delays an honest
 * handshake at most until the flood has cycled through the whole scope.
 */
public final class ResourceManager {
    /** Told of every refusal and eviction (on the thread that asked: keep it short). */
    public interface RefusalListener {
        void refused(Refusal reason, String detail);
    }

    private final ResourceLimits limits;
    private final LinkedHashSet<ConnectionScope> transientScopes = new LinkedHashSet<>();
    private final Map<InetAddress, Integer> transientByIp = new HashMap<>();
    private final Map<PeerId, PeerUsage> peers = new HashMap<>();
    private final Map<String, Integer> inboundByProtocol = new HashMap<>();
    private final EnumMap<Refusal, Long> refusals = new EnumMap<>(Refusal.class);
    private final List<RefusalListener> listeners = new CopyOnWriteArrayList<>();
    private int connections;
    private int streams;
    private long memory;

    public ResourceManager(ResourceLimits limits) {
        this.limits = Objects.requireNonNull(limits);
        for (Refusal r : Refusal.values()) {
            refusals.put(r, 0L);
        }
    }

    public ResourceLimits limits() {
        return limits;
    }

    public void addListener(RefusalListener l) {
        listeners.add(Objects.requireNonNull(l));
    }

    public void removeListener(RefusalListener l) {
        listeners.remove(l);
    }

    public synchronized ResourceUsage usage() {
        return new ResourceUsage(transientScopes.size(), connections, peers.size(), streams, memory, refusals);
    }

    /**
     * An inbound connection from {@code ip}, in the transient scope. If the scope is full its oldest
     * member is evicted: removed here and {@code evict} of that member run (outside the lock) to
     * close its socket.
     *
     * @throws ResourceLimitException {@link Refusal#IP_TRANSIENT_CONNECTIONS}
     */
    public ConnectionScope openInbound(InetAddress ip, Runnable evict) throws ResourceLimitException {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(evict, "evict");
        ConnectionScope evicted = null;
        ResourceLimitException refused = null;
        ConnectionScope scope = null;
        synchronized (this) {
            int fromIp = transientByIp.getOrDefault(ip, 0);
            if (fromIp >= limits.transientPerIp()) {
                refused = refuse(
                        Refusal.IP_TRANSIENT_CONNECTIONS,
                        fromIp + " connections from " + ip.getHostAddress() + " still handshaking (limit "
                                + limits.transientPerIp() + ")");
            } else {
                if (transientScopes.size() >= limits.transientConnections()) {
                    Iterator<ConnectionScope> oldest = transientScopes.iterator();
                    evicted = oldest.next();
                    oldest.remove();
                    releaseTransientIp(evicted.ip);
                    evicted.state = State.CLOSED;
                    count(Refusal.TRANSIENT_EVICTED);
                }
                scope = new ConnectionScope(ip, evict, State.TRANSIENT);
                transientScopes.add(scope);
                transientByIp.merge(ip, 1, Integer::sum);
            }
        }
        if (evicted != null) {
            tell(
                    Refusal.TRANSIENT_EVICTED,
                    "closed the oldest unauthenticated connection, from " + evicted.ip.getHostAddress()
                            + ", to admit one from " + ip.getHostAddress());
            evicted.evict.run();
        }
        if (refused != null) {
            tell(refused.refusal(), refused.getMessage());
            throw refused;
        }
        return scope;
    }

    /**
     * A connection we dial: it counts in the system scope from now on.
     *
     * @throws ResourceLimitException {@link Refusal#SYSTEM_CONNECTIONS}
     */
    public ConnectionScope openOutbound() throws ResourceLimitException {
        ResourceLimitException refused;
        synchronized (this) {
            if (connections < limits.systemConnections()) {
                connections++;
                return new ConnectionScope(null, () -> {}, State.SYSTEM);
            }
            refused = refuse(Refusal.SYSTEM_CONNECTIONS, systemFull());
        }
        tell(refused.refusal(), refused.getMessage());
        throw refused;
    }

    private String systemFull() {
        return "connection limit (" + limits.systemConnections() + ") reached";
    }

    private ResourceLimitException refuse(Refusal r, String message) {
        count(r);
        return new ResourceLimitException(r, message);
    }

    private void count(Refusal r) {
        refusals.merge(r, 1L, Long::sum);
    }

    private void tell(Refusal r, String detail) {
        for (RefusalListener l : listeners) {
            try {
                l.refused(r, detail);
            } catch (RuntimeException ignored) {
                // a listener's failure must not change what we admit
            }
        }
    }

    private void releaseTransientIp(InetAddress ip) {
        transientByIp.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
    }

    private void releasePeerIfUnused(PeerId peer, PeerUsage u) {
        if (u.connections == 0 && u.streams == 0 && u.memory == 0) {
            peers.remove(peer);
        }
    }

    private enum State {
        TRANSIENT,
        SYSTEM,
        AUTHENTICATED,
        CLOSED
    }

    private static final class PeerUsage {
        int connections;
        int streams;
        long memory;
    }

    /** One connection's reservation; {@link #close()} gives everything back (idempotent). */
    public final class ConnectionScope implements AutoCloseable {
        private final InetAddress ip;
        private final Runnable evict;
        private State state;
        private PeerId peer;

        private ConnectionScope(InetAddress ip, Runnable evict, State state) {
            this.ip = ip;
            this.evict = evict;
            this.state = state;
        }

        /** Still in the transient scope (inbound, not yet authenticated). */
        public boolean isTransient() {
            synchronized (ResourceManager.this) {
                return state == State.TRANSIENT;
            }
        }

        /** Evicted or closed. */
        public boolean isClosed() {
            synchronized (ResourceManager.this) {
                return state == State.CLOSED;
            }
        }

        /**
         * The secure handshake named the peer: leave the transient scope for the system and peer
         * scopes. On refusal nothing moves; close the connection (and this scope).
         *
         * @throws ResourceLimitException {@link Refusal#SYSTEM_CONNECTIONS} or {@link Refusal#PEER_CONNECTIONS}
         */
        public void authenticate(PeerId remote) throws ResourceLimitException {
            Objects.requireNonNull(remote, "remote");
            ResourceLimitException refused;
            synchronized (ResourceManager.this) {
                if (state == State.CLOSED) {
                    throw new IllegalStateException("connection scope is closed");
                }
                if (state == State.AUTHENTICATED) {
                    throw new IllegalStateException("already authenticated as " + peer);
                }
                PeerUsage u = peers.get(remote);
                int ofPeer = u == null ? 0 : u.connections;
                if (state == State.TRANSIENT && connections >= limits.systemConnections()) {
                    refused = refuse(Refusal.SYSTEM_CONNECTIONS, systemFull());
                } else if (ofPeer >= limits.connectionsPerPeer()) {
                    refused = refuse(
                            Refusal.PEER_CONNECTIONS,
                            "per-peer connection limit (" + limits.connectionsPerPeer() + ") reached for " + remote);
                } else {
                    if (state == State.TRANSIENT) {
                        transientScopes.remove(this);
                        releaseTransientIp(ip);
                        connections++;
                    }
                    peers.computeIfAbsent(remote, p -> new PeerUsage()).connections++;
                    peer = remote;
                    state = State.AUTHENTICATED;
                    return;
                }
            }
            tell(refused.refusal(), refused.getMessage());
            throw refused;
        }

        /**
         * A stream on this authenticated connection, reserving {@code memory} bytes (what the
         * remote may make us buffer on it).
         *
         * @throws ResourceLimitException a SYSTEM_/PEER_ STREAMS or MEMORY refusal
         */
        public StreamScope openStream(boolean inbound, long memory) throws ResourceLimitException {
            if (memory < 0) {
                throw new IllegalArgumentException("negative memory");
            }
            ResourceLimitException refused;
            synchronized (ResourceManager.this) {
                if (state != State.AUTHENTICATED) {
                    throw new IllegalStateException("streams need an authenticated connection, not " + state);
                }
                PeerUsage u = peers.get(peer);
                if (streams >= limits.systemStreams()) {
                    refused = refuse(Refusal.SYSTEM_STREAMS, "stream limit (" + limits.systemStreams() + ") reached");
                } else if (u.streams >= limits.streamsPerPeer()) {
                    refused = refuse(
                            Refusal.PEER_STREAMS,
                            "per-peer stream limit (" + limits.streamsPerPeer() + ") reached for " + peer);
                } else if (ResourceManager.this.memory + memory > limits.systemMemory()) {
                    refused = refuse(
                            Refusal.SYSTEM_MEMORY, "stream memory limit (" + limits.systemMemory() + " bytes) reached");
                } else if (u.memory + memory > limits.memoryPerPeer()) {
                    refused = refuse(
                            Refusal.PEER_MEMORY,
                            "per-peer stream memory limit (" + limits.memoryPerPeer() + " bytes) reached for " + peer);
                } else {
                    streams++;
                    ResourceManager.this.memory += memory;
                    u.streams++;
                    u.memory += memory;
                    return new StreamScope(this, inbound, memory);
                }
            }
            tell(refused.refusal(), refused.getMessage());
            throw refused;
        }

        @Override
        public void close() {
            synchronized (ResourceManager.this) {
                switch (state) {
                    case TRANSIENT -> {
                        transientScopes.remove(this);
                        releaseTransientIp(ip);
                    }
                    case SYSTEM -> connections--;
                    case AUTHENTICATED -> {
                        connections--;
                        PeerUsage u = peers.get(peer);
                        u.connections--;
                        releasePeerIfUnused(peer, u);
                    }
                    case CLOSED -> {}
                }
                state = State.CLOSED;
            }
        }
    }

    /** One stream's reservation; {@link #close()} gives it back (idempotent). */
    public final class StreamScope implements AutoCloseable {
        private final ConnectionScope connection;
        private final boolean inbound;
        private final long memory;
        private String protocol;
        private boolean closed;

        private StreamScope(ConnectionScope connection, boolean inbound, long memory) {
            this.connection = connection;
            this.inbound = inbound;
            this.memory = memory;
        }

        /**
         * The stream's protocol is agreed; an inbound stream counts against that protocol's limit.
         *
         * @throws ResourceLimitException {@link Refusal#PROTOCOL_STREAMS}
         */
        public void setProtocol(String id) throws ResourceLimitException {
            Objects.requireNonNull(id, "id");
            ResourceLimitException refused;
            synchronized (ResourceManager.this) {
                if (closed || protocol != null) {
                    return;
                }
                if (!inbound) {
                    protocol = id; // our own streams: we chose to open them
                    return;
                }
                int n = inboundByProtocol.getOrDefault(id, 0);
                int limit = limits.streamsFor(id);
                if (n < limit) {
                    inboundByProtocol.put(id, n + 1);
                    protocol = id;
                    return;
                }
                refused =
                        refuse(Refusal.PROTOCOL_STREAMS, "inbound stream limit of " + id + " (" + limit + ") reached");
            }
            tell(refused.refusal(), refused.getMessage());
            throw refused;
        }

        @Override
        public void close() {
            synchronized (ResourceManager.this) {
                if (closed) {
                    return;
                }
                closed = true;
                streams--;
                ResourceManager.this.memory -= memory;
                PeerUsage u = peers.get(connection.peer);
                u.streams--;
                u.memory -= memory;
                releasePeerIfUnused(connection.peer, u);
                if (inbound && protocol != null) {
                    inboundByProtocol.computeIfPresent(protocol, (k, n) -> n <= 1 ? null : n - 1);
                }
            }
        }
    }

    /** For tests: the protocols with inbound streams open. */
    synchronized Map<String, Integer> inboundStreamsByProtocol() {
        return Map.copyOf(inboundByProtocol);
    }

    /** For tests: IPs with connections handshaking. */
    synchronized List<InetAddress> transientIps() {
        return new ArrayList<>(transientByIp.keySet());
    }
}
