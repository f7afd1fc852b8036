package dev.hyperj.subnet.dag;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** A {@link DagStore} in memory, with the same indexes as the RocksDB one. Thread-safe. */
public final class MemoryDagStore implements DagStore {
    private record Entry(DagNode node, long epoch, int bytes) {}

    private final Map<String, Entry> nodes = new HashMap<>();
    private final Map<String, TreeSet<String>> children = new HashMap<>();
    private final Map<String, TreeMap<Long, TreeSet<String>>> byNamespace = new TreeMap<>();
    private final TreeSet<String> heads = new TreeSet<>();
    private Checkpoint checkpoint;
    private long bytes;

    @Override
    public synchronized Optional<DagNode> get(String id) {
        Entry e = nodes.get(id);
        return e == null ? Optional.empty() : Optional.of(e.node());
    }

    @Override
    public synchronized boolean contains(String id) {
        return nodes.containsKey(id);
    }

    @Override
    public synchronized List<String> children(String id) {
        TreeSet<String> c = children.get(id);
        return c == null ? List.of() : List.copyOf(c);
    }

    @Override
    public synchronized List<String> ids(String namespace, long epoch) {
        TreeMap<Long, TreeSet<String>> e = byNamespace.get(namespace);
        TreeSet<String> s = e == null ? null : e.get(epoch);
        return s == null ? List.of() : List.copyOf(s);
    }

    @Override
    public synchronized NavigableSet<Long> epochs(String namespace) {
        TreeMap<Long, TreeSet<String>> e = byNamespace.get(namespace);
        return e == null ? Collections.emptyNavigableSet() : new TreeSet<>(e.keySet());
    }

    @Override
    public synchronized SortedSet<String> namespaces() {
        return new TreeSet<>(byNamespace.keySet());
    }

    @Override
    public synchronized SortedSet<String> heads() {
        return new TreeSet<>(heads);
    }

    @Override
    public synchronized long count() {
        return nodes.size();
    }

    @Override
    public synchronized long epochOf(String id) {
        Entry e = nodes.get(id);
        return e == null ? -1 : e.epoch();
    }

    @Override
    public synchronized void put(DagNode node, long epoch) {
        if (nodes.containsKey(node.id())) return;
        int size = node.encode().length;
        nodes.put(node.id(), new Entry(node, epoch, size));
        bytes += size;
        for (String p : node.header().parentIds()) {
            children.computeIfAbsent(p, k -> new TreeSet<>()).add(node.id());
            heads.remove(p);
        }
        if (!children.containsKey(node.id())) heads.add(node.id());
        byNamespace
                .computeIfAbsent(node.header().namespace(), k -> new TreeMap<>())
                .computeIfAbsent(epoch, k -> new TreeSet<>())
                .add(node.id());
    }

    @Override
    public synchronized void remove(Collection<String> ids) {
        for (String id : ids) {
            Entry e = nodes.remove(id);
            if (e == null) continue;
            bytes -= e.bytes();
            heads.remove(id); // its own children entry stays while retained children name it (the checkpoint boundary)
            for (String p : e.node().header().parentIds()) {
                TreeSet<String> c = children.get(p);
                if (c != null && c.remove(id) && c.isEmpty()) children.remove(p);
            }
            TreeMap<Long, TreeSet<String>> ns =
                    byNamespace.get(e.node().header().namespace());
            TreeSet<String> s = ns.get(e.epoch());
            s.remove(id);
            if (s.isEmpty()) ns.remove(e.epoch());
            if (ns.isEmpty()) byNamespace.remove(e.node().header().namespace());
        }
    }

    @Override
    public synchronized Optional<Checkpoint> checkpoint() {
        return Optional.ofNullable(checkpoint);
    }

    @Override
    public synchronized void checkpoint(Checkpoint c) {
        checkpoint = c;
    }

    @Override
    public synchronized long bytes() {
        return bytes + (checkpoint == null ? 0 : checkpoint.encode().length);
    }

    /** Index entries held (children lists, namespace/epoch sets): tests check these stay bounded too. */
    synchronized long indexEntries() {
        long n = 0;
        for (TreeSet<String> c : children.values()) n += c.size();
        for (TreeMap<Long, TreeSet<String>> e : byNamespace.values())
            for (TreeSet<String> s : e.values()) n += s.size();
        return n;
    }

    @Override
    public void close() {}

    static List<String> sorted(Collection<String> c) {
        List<String> l = new ArrayList<>(c);
        Collections.sort(l);
        return l;
    }
}
