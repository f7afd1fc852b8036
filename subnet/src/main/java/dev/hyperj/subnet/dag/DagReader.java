package dev.hyperj.subnet.dag;

import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.SortedSet;

/** Read access to accepted nodes, every lookup through an index (never a scan of the whole store). */
public interface DagReader {
    Optional<DagNode> get(String id);

    boolean contains(String id);

    /** Accepted nodes that list {@code id} as a parent. */
    List<String> children(String id);

    /** Ids of the nodes of {@code namespace} filed under {@code epoch}, sorted. */
    List<String> ids(String namespace, long epoch);

    /** The epochs under which {@code namespace} has nodes, ascending. */
    NavigableSet<Long> epochs(String namespace);

    /** Namespaces with nodes. */
    SortedSet<String> namespaces();

    /** Accepted nodes without accepted children, sorted. */
    SortedSet<String> heads();

    /** Accepted nodes held. */
    long count();

    /** The epoch a node is filed under (its metadata's, else its parents' latest, else 0). */
    long epochOf(String id);
}
