package dev.hyperj.p2p.kad;

import dev.hyperj.p2p.peer.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kademlia routing table: 256 buckets by common prefix length with our own key, each holding at
 * most k peers ordered from least to most recently seen, plus a bounded replacement cache.
 *
 * <p>Only peers that answered one of our requests are inserted (callers guarantee it by calling
 * {@link #peerResponded}). When a bucket is full the newcomer waits in the replacement cache and the
 * table asks its owner to probe the least-recently-seen member once: a member that answers stays
 * (old, proven peers are the most likely to stay up), one that fails is replaced by the freshest
 * replacement. Peers that fail {@code maxFailures} requests in a row are removed the same way.
 *
 * <p>Not thread-safe: the DHT confines it to its own executor.
 */
final class RoutingTable {
    /** What the caller must do after {@link #peerResponded}: probe this member, or nothing. */
    record Admission(boolean inTable, Optional<PeerInfo> probe) {}

    private static final class Entry {
        PeerInfo info;
        final KadKey key;
        long lastSeen;
        int failures;

        Entry(PeerInfo info, KadKey key, long lastSeen) {
            this.info = info;
            this.key = key;
            this.lastSeen = lastSeen;
        }
    }

    private static final class Bucket {
        final List<Entry> members = new ArrayList<>(); // index 0 = least recently seen
        final LinkedHashMap<PeerId, Entry> replacements = new LinkedHashMap<>(); // insertion = recency
        PeerId probing;
        long lastActivity;
    }

    private final PeerId self;
    private final KadKey selfKey;
    private final int k;
    private final int replacementsPerBucket;
    private final int maxFailures;
    private final Bucket[] buckets = new Bucket[KadKey.BITS];
    private final Map<PeerId, Entry> index = new HashMap<>();

    RoutingTable(PeerId self, int k, int replacementsPerBucket, int maxFailures, long now) {
        if (k < 1 || replacementsPerBucket < 0 || maxFailures < 1) {
            throw new IllegalArgumentException("bad routing table parameters");
        }
        this.self = self;
        this.selfKey = KadKey.of(self.bytes());
        this.k = k;
        this.replacementsPerBucket = replacementsPerBucket;
        this.maxFailures = maxFailures;
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new Bucket();
            buckets[i].lastActivity = now;
        }
    }

    KadKey selfKey() {
        return selfKey;
    }

    int size() {
        return index.size();
    }

    boolean contains(PeerId peer) {
        return index.containsKey(peer);
    }

    Optional<PeerInfo> get(PeerId peer) {
        Entry e = index.get(peer);
        return e == null ? Optional.empty() : Optional.of(e.info);
    }

    /** Every member, closest buckets first. */
    List<PeerInfo> peers() {
        List<PeerInfo> out = new ArrayList<>(index.size());
        for (int i = buckets.length - 1; i >= 0; i--) {
            for (Entry e : buckets[i].members) {
                out.add(e.info);
            }
        }
        return out;
    }

    int bucketIndex(KadKey key) {
        return Math.min(selfKey.commonPrefixLength(key), KadKey.BITS - 1);
    }

    /**
     * Records that {@code peer} answered a request at {@code now}: refreshes a member, inserts a
     * newcomer when its bucket has room, otherwise caches it as a replacement and may ask for a probe
     * of the bucket's least-recently-seen member.
     */
    Admission peerResponded(PeerInfo peer, long now) {
        if (peer.id().equals(self)) {
            return new Admission(false, Optional.empty());
        }
        Entry existing = index.get(peer.id());
        if (existing != null) {
            Bucket b = buckets[bucketIndex(existing.key)];
            b.members.remove(existing);
            b.members.add(existing);
            existing.lastSeen = now;
            existing.failures = 0;
            if (!peer.addrs().isEmpty()) {
                existing.info = peer;
            }
            if (peer.id().equals(b.probing)) {
                b.probing = null;
            }
            return new Admission(true, Optional.empty());
        }
        KadKey key = KadKey.of(peer.id().bytes());
        Bucket b = buckets[bucketIndex(key)];
        Entry fresh = new Entry(peer, key, now);
        if (b.members.size() < k) {
            b.members.add(fresh);
            index.put(peer.id(), fresh);
            b.replacements.remove(peer.id());
            return new Admission(true, Optional.empty());
        }
        if (replacementsPerBucket > 0) {
            b.replacements.remove(peer.id());
            b.replacements.put(peer.id(), fresh);
            if (b.replacements.size() > replacementsPerBucket) {
                Iterator<PeerId> oldest = b.replacements.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
        }
        if (b.probing == null) {
            Entry lrs = b.members.get(0);
            b.probing = lrs.info.id();
            return new Admission(false, Optional.of(lrs.info));
        }
        return new Admission(false, Optional.empty());
    }

    /**
     * Records a failed request (timeout, refused, malformed answer). Returns true if the peer was
     * removed from the table (its place going to the freshest replacement, if any).
     */
    boolean peerFailed(PeerId peer) {
        Entry e = index.get(peer);
        if (e == null) {
            // a failed replacement is simply forgotten
            buckets[bucketIndex(KadKey.of(peer.bytes()))].replacements.remove(peer);
            return false;
        }
        Bucket b = buckets[bucketIndex(e.key)];
        boolean probeFailed = peer.equals(b.probing);
        if (probeFailed) {
            b.probing = null;
        }
        e.failures++;
        if (probeFailed || e.failures >= maxFailures) {
            remove(peer);
            return true;
        }
        return false;
    }

    /** Removes a member; the freshest replacement of its bucket takes its place. */
    boolean remove(PeerId peer) {
        Entry e = index.remove(peer);
        if (e == null) {
            return false;
        }
        Bucket b = buckets[bucketIndex(e.key)];
        b.members.remove(e);
        if (peer.equals(b.probing)) {
            b.probing = null;
        }
        if (!b.replacements.isEmpty()) {
            Entry newest = null;
            for (Entry r : b.replacements.values()) {
                newest = r; // last inserted = most recently seen
            }
            b.replacements.remove(newest.info.id());
            b.members.add(newest);
            index.put(newest.info.id(), newest);
        }
        return true;
    }

    /** Empties the table (members and replacements); used when an operator resets a node. */
    void clear() {
        index.clear();
        for (Bucket b : buckets) {
            b.members.clear();
            b.replacements.clear();
            b.probing = null;
        }
    }

    /**
     * The {@code count} members closest to {@code target} by XOR distance, closest first. With c the
     * prefix {@code target} shares with us: bucket c holds the closest peers, then every deeper
     * bucket (all at the same distance order of magnitude), then buckets c-1, c-2, ... each farther
     * than the last; only as many groups as needed are sorted.
     */
    List<PeerInfo> closest(KadKey target, int count) {
        if (count <= 0 || index.isEmpty()) {
            return List.of();
        }
        int c = bucketIndex(target);
        List<PeerInfo> out = new ArrayList<>(Math.min(count, index.size()));
        List<Entry> group = new ArrayList<>(buckets[c].members);
        takeSorted(group, target, count, out);
        if (out.size() < count) {
            group.clear();
            for (int i = c + 1; i < buckets.length; i++) {
                group.addAll(buckets[i].members);
            }
            takeSorted(group, target, count, out);
        }
        for (int i = c - 1; i >= 0 && out.size() < count; i--) {
            group.clear();
            group.addAll(buckets[i].members);
            takeSorted(group, target, count, out);
        }
        return out;
    }

    private static void takeSorted(List<Entry> group, KadKey target, int count, List<PeerInfo> out) {
        if (group.isEmpty()) {
            return;
        }
        group.sort(Comparator.comparing((Entry e) -> e.key, target::compareDistance));
        for (int i = 0; i < group.size() && out.size() < count; i++) {
            out.add(group.get(i).info);
        }
    }

    /** Notes that a lookup explored {@code target}'s bucket, postponing that bucket's refresh. */
    void markActivity(KadKey target, long now) {
        buckets[bucketIndex(target)].lastActivity = now;
    }

    /**
     * Bucket indexes (common prefix lengths) not explored for {@code interval} ms: every bucket up to
     * one past the deepest non-empty bucket, capped where aiming gets too expensive.
     */
    List<Integer> bucketsDueForRefresh(long now, long interval) {
        int deepest = -1;
        for (int i = buckets.length - 1; i >= 0; i--) {
            if (!buckets[i].members.isEmpty()) {
                deepest = i;
                break;
            }
        }
        int limit = Math.min(deepest + 1, KadKey.MAX_AIMED_CPL);
        List<Integer> due = new ArrayList<>();
        for (int i = 0; i <= limit; i++) {
            if (now - buckets[i].lastActivity >= interval) {
                due.add(i);
            }
        }
        return due;
    }

    int bucketSize(int cpl) {
        return buckets[cpl].members.size();
    }

    int replacementCount(int cpl) {
        return buckets[cpl].replacements.size();
    }
}
