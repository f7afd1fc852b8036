/**
 * A whole HyperJ network on one machine: {@link dev.hyperj.cli.devnet.Devnet} starts a dev chain
 * with its JSON-RPC, registers a subnet and its nodes through signed transactions, runs the nodes
 * (each with its own RPC client) and reports every subnet epoch as the chain saw it
 * ({@link dev.hyperj.cli.devnet.EpochReport}). {@code hyperj devnet} and the end-to-end tests drive it.
 */
package dev.hyperj.cli.devnet;
