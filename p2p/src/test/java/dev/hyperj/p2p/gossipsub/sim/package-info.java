/**
 * Test fixture (p2p test-jar, used by tests and bench): a virtual-time network of {@link dev.hyperj.p2p.gossipsub.GossipRouter}s with latency, loss and
 * adversaries, for tests and benchmarks that need hundreds of nodes without sockets.
 */
package dev.hyperj.p2p.gossipsub.sim;
