package dev.hyperj.p2p.host;

import dev.hyperj.p2p.crypto.PublicKey;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the host knows about peers: addresses (each with an expiry), supported protocols, public
 * key and agent version. Bounded: at most {@code maxPeers} peers (the least recently updated peer
 * that is not protected, i.e. not connected, is evicted to make room) and {@code maxAddressesPerPeer}
 * addresses per peer (the soonest to expire goes). {@link #sweep()} (run periodically by the host)
 * drops expired addresses and forgets unprotected peers that have no address left. Thread-safe.
 */
public final class PeerStore {
    private static final Logger log = LoggerFactory.getLogger(PeerStore.class);
    public static final int DEFAULT_MAX_PEERS = 10_000;
    public static final int DEFAULT_MAX_ADDRESSES_PER_PEER = 16;
    public static final int MAX_PROTOCOLS_PER_PEER = 128;
    public static final int MAX_PROTOCOL_LENGTH = 1024;
    public static final int MAX_AGENT_VERSION_LENGTH = 256;

    private final int maxPeers;
    private final int maxAddressesPerPeer;
    private final Clock clock;
    private volatile Predicate<PeerId> isProtected = peer -> false;
    /** Access order: the eldest entry is the least recently updated. */
    private final LinkedHashMap<PeerId, Record> peers = new LinkedHashMap<>(16, 0.75f, true);

    private static final class Record {
        final Map<Multiaddr, Instant> addresses = new LinkedHashMap<>();
        Set<String> protocols = Set.of();
        PublicKey publicKey;
        String agentVersion;
    }

    public PeerStore() {
        this(DEFAULT_MAX_PEERS, DEFAULT_MAX_ADDRESSES_PER_PEER, Clock.systemUTC());
    }

    public PeerStore(int maxPeers, int maxAddressesPerPeer, Clock clock) {
        if (maxPeers < 1 || maxAddressesPerPeer < 1) {
            throw new IllegalArgumentException("peer store limits must be at least 1");
        }
        this.maxPeers = maxPeers;
        this.maxAddressesPerPeer = maxAddressesPerPeer;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Peers for which this returns true are never evicted nor swept (the host protects connected peers). */
    void protect(Predicate<PeerId> isProtected) {
        this.isProtected = Objects.requireNonNull(isProtected);
    }

    /** Adds or refreshes addresses (a /p2p suffix is stripped); each expires {@code ttl} from now. */
    public synchronized void addAddresses(PeerId peer, Duration ttl, Collection<Multiaddr> addresses) {
        Objects.requireNonNull(peer, "peer");
        Instant expiry = clock.instant().plus(ttl);
        Record r = recordFor(peer);
        if (r == null) {
            return;
        }
        for (Multiaddr a : addresses) {
            Multiaddr plain = a.peerId().isPresent() ? a.withoutPeerId() : a;
            Instant previous = r.addresses.get(plain);
            if (previous == null || previous.isBefore(expiry)) {
                r.addresses.put(plain, expiry);
            }
        }
        while (r.addresses.size() > maxAddressesPerPeer) {
            Multiaddr soonest = null;
            Instant soonestExpiry = null;
            for (Map.Entry<Multiaddr, Instant> e : r.addresses.entrySet()) {
                if (soonestExpiry == null || e.getValue().isBefore(soonestExpiry)) {
                    soonest = e.getKey();
                    soonestExpiry = e.getValue();
                }
            }
            r.addresses.remove(soonest);
        }
    }

    public void addAddresses(PeerId peer, Duration ttl, Multiaddr... addresses) {
        addAddresses(peer, ttl, List.of(addresses));
    }

    /** Unexpired addresses, without /p2p, longest-lived first. */
    public synchronized List<Multiaddr> addresses(PeerId peer) {
        Record r = peers.get(peer);
        if (r == null) {
            return List.of();
        }
        Instant now = clock.instant();
        return r.addresses.entrySet().stream()
                .filter(e -> e.getValue().isAfter(now))
                .sorted(Map.Entry.<Multiaddr, Instant>comparingByValue().reversed())
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Replaces the peer's protocol list (as learnt from identify); over-long ids and lists are cut. */
    public synchronized void setProtocols(PeerId peer, Collection<String> protocols) {
        Record r = recordFor(peer);
        if (r == null) {
            return;
        }
        Set<String> kept = new LinkedHashSet<>();
        for (String p : protocols) {
            if (kept.size() >= MAX_PROTOCOLS_PER_PEER) {
                break;
            }
            if (p != null && !p.isEmpty() && p.length() <= MAX_PROTOCOL_LENGTH) {
                kept.add(p);
            }
        }
        r.protocols = Set.copyOf(kept);
    }

    public synchronized Set<String> protocols(PeerId peer) {
        Record r = peers.get(peer);
        return r == null ? Set.of() : r.protocols;
    }

    /** Stores the peer's key; refused (IllegalArgumentException) unless the key hashes to the peer id. */
    public synchronized void putPublicKey(PeerId peer, PublicKey key) {
        if (!PeerId.fromPublicKey(key).equals(peer)) {
            throw new IllegalArgumentException("public key does not match peer " + peer);
        }
        Record r = recordFor(peer);
        if (r != null) {
            r.publicKey = key;
        }
    }

    public synchronized Optional<PublicKey> publicKey(PeerId peer) {
        Record r = peers.get(peer);
        if (r != null && r.publicKey != null) {
            return Optional.of(r.publicKey);
        }
        return peer.publicKey();
    }

    public synchronized void setAgentVersion(PeerId peer, String agentVersion) {
        Record r = recordFor(peer);
        if (r != null) {
            r.agentVersion = agentVersion.length() > MAX_AGENT_VERSION_LENGTH
                    ? agentVersion.substring(0, MAX_AGENT_VERSION_LENGTH)
                    : agentVersion;
        }
    }

    public synchronized Optional<String> agentVersion(PeerId peer) {
        Record r = peers.get(peer);
        return r == null ? Optional.empty() : Optional.ofNullable(r.agentVersion);
    }

    public synchronized Set<PeerId> peers() {
        return Set.copyOf(peers.keySet());
    }

    public synchronized int size() {
        return peers.size();
    }

    public synchronized void remove(PeerId peer) {
        peers.remove(peer);
    }

    /** Drops expired addresses and unprotected peers left without any; returns how many peers went. */
    public int sweep() {
        Predicate<PeerId> prot = isProtected;
        int removed = 0;
        synchronized (this) {
            Instant now = clock.instant();
            for (Iterator<Map.Entry<PeerId, Record>> it = peers.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<PeerId, Record> e = it.next();
                e.getValue().addresses.values().removeIf(expiry -> !expiry.isAfter(now));
                if (e.getValue().addresses.isEmpty() && !prot.test(e.getKey())) {
                    it.remove();
                    removed++;
                }
            }
        }
        return removed;
    }

    private Record recordFor(PeerId peer) {
        Record r = peers.get(peer); // also marks it most recently used
        if (r != null) {
            return r;
        }
        if (peers.size() >= maxPeers && !evictOne()) {
            log.debug("peer store full ({} peers, all protected): not storing {}", peers.size(), peer);
            return null;
        }
        r = new Record();
        peers.put(peer, r);
        return r;
    }

    private boolean evictOne() {
        Predicate<PeerId> prot = isProtected;
        List<PeerId> order = new ArrayList<>(peers.keySet());
        for (PeerId candidate : order) {
            if (!prot.test(candidate)) {
                peers.remove(candidate);
                return true;
            }
        }
        return false;
    }
}
