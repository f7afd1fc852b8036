/**
 * The subnet's clock: {@link dev.hyperj.subnet.epoch.EpochTracker} follows the chain's new heads
 * and turns them into {@link dev.hyperj.subnet.epoch.EpochPosition}s computed with the subnet's own
 * slot, and into one {@link dev.hyperj.subnet.epoch.EpochEvent} per subnet epoch carrying a
 * {@link dev.hyperj.subnet.epoch.SubnetSnapshot} (nodes, bootnodes, overwatch peers) read once.
 */
package dev.hyperj.subnet.epoch;
