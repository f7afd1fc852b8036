/**
 * The subnet's Merkle DAG (SUBNET.md, "Merkle DAG"): canonical JSON ({@link dev.hyperj.subnet.dag.CanonicalJson}),
 * signed nodes ({@link dev.hyperj.subnet.dag.DagNodes}), ingest as a state machine
 * ({@link dev.hyperj.subnet.dag.MerkleDag}: accepted, duplicate, orphan, pending body, rejected with a
 * {@link dev.hyperj.subnet.dag.RejectReason}), per-namespace schemas with deterministic replay, and storage
 * behind {@link dev.hyperj.subnet.dag.DagStore} (memory, RocksDB with indexed prefixes) with pruning to a
 * signed {@link dev.hyperj.subnet.dag.Checkpoint}. Sync is in {@code dag.sync}, commit/reveal in {@code dag.commit}.
 */
package dev.hyperj.subnet.dag;
