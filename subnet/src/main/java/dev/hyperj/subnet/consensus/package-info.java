/**
 * A node's part in subnet consensus: the {@code heartbeat} topic
 * ({@link dev.hyperj.subnet.consensus.HeartbeatTopic}, {@link dev.hyperj.subnet.consensus.Heartbeat}),
 * the {@link dev.hyperj.subnet.consensus.Scorer} applications implement (default
 * {@link dev.hyperj.subnet.consensus.HeartbeatScorer}) and the per-epoch
 * {@link dev.hyperj.subnet.consensus.ConsensusLoop} that proposes or attests on chain.
 */
package dev.hyperj.subnet.consensus;
