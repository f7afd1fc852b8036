/**
 * Proof of stake at the door: {@link dev.hyperj.subnet.pos.ProofOfStakeGate} is a host
 * connection gater that asks the chain, off the event loop, whether a peer is staked in the
 * subnet (cached, bounded, with a timeout); {@link dev.hyperj.subnet.pos.GaterChain} combines it
 * with gaters that exist only later, such as GossipSub's blacklist.
 */
package dev.hyperj.subnet.pos;
