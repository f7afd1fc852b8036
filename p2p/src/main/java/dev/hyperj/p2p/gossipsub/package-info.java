/**
 * GossipSub v1.1 with v1.2 IDONTWANT (and floodsub peers). {@link dev.hyperj.p2p.gossipsub.GossipRouter}
 * is the protocol as a single-threaded state machine (inputs: peers, decoded RPCs, heartbeats;
 * outputs: queued RPCs and {@link dev.hyperj.p2p.gossipsub.GossipListener} calls) with peer scoring
 * ({@link dev.hyperj.p2p.gossipsub.PeerScore}); {@link dev.hyperj.p2p.gossipsub.GossipSub} binds it to
 * a Host.
 */
package dev.hyperj.p2p.gossipsub;
