/**
 * The DAG on the network: {@code node_gossip} and {@code announcement} on the {@code merkle_dag_sync}
 * topic, the {@code /subnet/merkle_dag_sync_protocol/1.0.0} stream ({@link dev.hyperj.subnet.dag.sync.SyncResponder},
 * bounded and rate limited per peer), and catching up by itself ({@link dev.hyperj.subnet.dag.sync.DagService#syncWith}).
 */
package dev.hyperj.subnet.dag.sync;
