/**
 * libp2p for the JVM. The module's packages are by feature (keys, multiformats, the host and its
 * upgrade, muxers, protocols, Kademlia, GossipSub); this one holds only {@link
 * dev.hyperj.p2p.P2pException}, the root of their unchecked failures.
 */
package dev.hyperj.p2p;
