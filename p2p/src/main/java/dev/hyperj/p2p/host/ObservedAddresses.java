package dev.hyperj.p2p.host;

import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Addresses other peers say they see us at (identify's observedAddr): a candidate for what to
 * advertise behind a NAT. One observation per observer peer (its latest), at most
 * {@value #MAX_OBSERVERS} observers (the least recently heard from is dropped first); an address
 * is <em>confirmed</em>, and then advertised by the host, once {@value #CONFIRMATIONS} distinct
 * peers report it. Only plain TCP addresses (/ip4 or /ip6, /tcp) are kept. Thread-safe.
 */
public final class ObservedAddresses {
    /** Distinct observers needed before an address is advertised. */
    public static final int CONFIRMATIONS = 2;
    /** Observers remembered at most. */
    public static final int MAX_OBSERVERS = 256;
    /** Confirmed addresses advertised at most (the most observed first). */
    public static final int MAX_CONFIRMED = 8;

    private final Runnable onConfirmedChange;
    private final Map<PeerId, Multiaddr> byObserver = new LinkedHashMap<>(16, 0.75f, true);
    private List<Multiaddr> confirmed = List.of();

    ObservedAddresses(Runnable onConfirmedChange) {
        this.onConfirmedChange = Objects.requireNonNull(onConfirmedChange);
    }

    /**
     * Records that {@code observer} sees us at {@code observed} (its /p2p part, if any, dropped);
     * ignored unless it is a literal TCP address. Returns true if this changed the confirmed set.
     */
    public boolean record(PeerId observer, Multiaddr observed) {
        Objects.requireNonNull(observer, "observer");
        Multiaddr addr = observed.peerId().isPresent() ? observed.withoutPeerId() : observed;
        try {
            TcpAddresses.Target t = TcpAddresses.parse(addr);
            if (t.needsResolution() || t.port() == 0) {
                return false;
            }
        } catch (IllegalArgumentException e) {
            return false;
        }
        boolean changed;
        synchronized (this) {
            byObserver.put(observer, addr);
            if (byObserver.size() > MAX_OBSERVERS) {
                Iterator<PeerId> eldest = byObserver.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
            changed = recompute();
        }
        if (changed) {
            onConfirmedChange.run();
        }
        return changed;
    }

    /** Drops what {@code observer} reported (e.g. when it disconnects). Returns true if the confirmed set changed. */
    public boolean forget(PeerId observer) {
        boolean changed;
        synchronized (this) {
            if (byObserver.remove(observer) == null) {
                return false;
            }
            changed = recompute();
        }
        if (changed) {
            onConfirmedChange.run();
        }
        return changed;
    }

    /** The addresses at least {@value #CONFIRMATIONS} peers see us at, the most observed first. */
    public synchronized List<Multiaddr> confirmed() {
        return confirmed;
    }

    /** How many observers currently report {@code addr}. */
    public synchronized int observers(Multiaddr addr) {
        Multiaddr a = addr.peerId().isPresent() ? addr.withoutPeerId() : addr;
        int n = 0;
        for (Multiaddr m : byObserver.values()) {
            if (m.equals(a)) {
                n++;
            }
        }
        return n;
    }

    private boolean recompute() {
        Map<Multiaddr, Integer> counts = new HashMap<>();
        for (Multiaddr m : byObserver.values()) {
            counts.merge(m, 1, Integer::sum);
        }
        List<Map.Entry<Multiaddr, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.removeIf(e -> e.getValue() < CONFIRMATIONS);
        entries.sort(Map.Entry.<Multiaddr, Integer>comparingByValue()
                .reversed()
                .thenComparing(e -> e.getKey().toString(), Comparator.naturalOrder()));
        List<Multiaddr> next =
                entries.stream().limit(MAX_CONFIRMED).map(Map.Entry::getKey).toList();
        if (next.equals(confirmed)) {
            return false;
        }
        confirmed = next;
        return true;
    }
}
