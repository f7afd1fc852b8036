/**
 * {@code /ipfs/id/1.0.0} and {@code /ipfs/id/push/1.0.0}: what a peer tells about itself (keys,
 * listen and observed addresses, protocols, agent), with signed peer records in signed envelopes.
 */
package dev.hyperj.p2p.protocol.identify;
