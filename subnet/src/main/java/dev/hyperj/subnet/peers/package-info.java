/**
 * Connection maintenance (SUBNET.md): {@link dev.hyperj.subnet.peers.ConnectionMaintainer} keeps a
 * node connected to the peers the chain lists for its subnet, prunes peers the chain does not list
 * and peers with a graylisted gossip score, redials lost peers with per-peer exponential backoff,
 * and reacts at once when a node falls below a quarter of its peer target; its decisions are
 * {@link dev.hyperj.subnet.peers.ConnectionPlan}'s, a pure function of a snapshot;
 * {@link dev.hyperj.subnet.peers.MaintenanceConfig} holds its numbers.
 */
package dev.hyperj.subnet.peers;
