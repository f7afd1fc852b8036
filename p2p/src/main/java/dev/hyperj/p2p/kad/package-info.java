/**
 * Kademlia DHT (libp2p kad-dht): {@link dev.hyperj.p2p.kad.RoutingTable} of k-buckets,
 * {@link dev.hyperj.p2p.kad.Lookup} as a pure iterator over the closest peers (it says whom to
 * contact; it never sends), records and provider records with validators, and
 * {@link dev.hyperj.p2p.kad.KadDht}, which owns all I/O and runs each node on one
 * {@link dev.hyperj.p2p.kad.DhtScheduler}. {@link dev.hyperj.p2p.kad.HostDhtNetwork} binds it to a
 * Host; {@code SimulatedDhtNetwork} (p2p test fixtures, the test-jar) runs whole networks in virtual time.
 */
package dev.hyperj.p2p.kad;
