package dev.hyperj.p2p.host;

import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.resources.ResourceManager;
import dev.hyperj.p2p.resources.ResourceUsage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's established connections and their connect/disconnect/refused events (what is
 * admitted is the {@link ResourceManager}'s business).
 * Thread-safe; listeners are called outside its lock on the connection's event loop.
 */
public final class ConnectionManager {
    private static final Logger log = LoggerFactory.getLogger(ConnectionManager.class);

    private final ConnectionLimits limits;
    private final ResourceManager resources;
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<PeerId, List<HostConnection>> established = new HashMap<>();

    ConnectionManager(ConnectionLimits limits, ResourceManager resources) {
        this.limits = Objects.requireNonNull(limits);
        this.resources = Objects.requireNonNull(resources);
    }

    public ConnectionLimits limits() {
        return limits;
    }

    public void addListener(ConnectionListener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    public void removeListener(ConnectionListener listener) {
        listeners.remove(listener);
    }

    /** All established connections. */
    public synchronized List<Connection> connections() {
        List<Connection> all = new ArrayList<>();
        established.values().forEach(all::addAll);
        return all;
    }

    /** Established connections to {@code peer}, oldest first. */
    public synchronized List<Connection> connections(PeerId peer) {
        List<HostConnection> list = established.get(peer);
        return list == null ? List.of() : List.copyOf(list);
    }

    public synchronized boolean isConnected(PeerId peer) {
        return established.containsKey(peer);
    }

    public synchronized List<PeerId> connectedPeers() {
        return List.copyOf(established.keySet());
    }

    /** Established connections. */
    public synchronized int size() {
        return established.values().stream().mapToInt(List::size).sum();
    }

    /** Connections open at the socket level, including those still upgrading. */
    public int openCount() {
        ResourceUsage u = resources.usage();
        return u.transientConnections() + u.connections();
    }

    synchronized Optional<HostConnection> anyOpen(PeerId peer) {
        List<HostConnection> list = established.get(peer);
        if (list == null) {
            return Optional.empty();
        }
        // the connection carrying the fewest streams spreads load over simultaneous-dial duplicates
        return list.stream()
                .filter(HostConnection::isOpen)
                .min((a, b) -> Integer.compare(a.streamCount(), b.streamCount()));
    }

    void register(HostConnection c) {
        synchronized (this) {
            established.computeIfAbsent(c.remotePeer(), p -> new ArrayList<>(2)).add(c);
        }
        for (ConnectionListener l : listeners) {
            try {
                l.connected(c);
            } catch (RuntimeException e) {
                log.warn("connection listener failed on connect of {}", c, e);
            }
        }
    }

    void unregister(HostConnection c) {
        boolean removed;
        synchronized (this) {
            List<HostConnection> list = established.get(c.remotePeer());
            removed = list != null && list.remove(c);
            if (list != null && list.isEmpty()) {
                established.remove(c.remotePeer());
            }
        }
        if (!removed) {
            return;
        }
        for (ConnectionListener l : listeners) {
            try {
                l.disconnected(c);
            } catch (RuntimeException e) {
                log.warn("connection listener failed on disconnect of {}", c, e);
            }
        }
    }

    void refused(Multiaddr remote, boolean inbound, String reason) {
        for (ConnectionListener l : listeners) {
            try {
                l.refused(remote, inbound, reason);
            } catch (RuntimeException e) {
                log.warn("connection listener failed on refusal of {}", remote, e);
            }
        }
    }
}
