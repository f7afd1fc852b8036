/**
 * The framework a subnet is built from: implement {@link dev.hyperj.subnet.node.SubnetApplication},
 * start it with {@link dev.hyperj.subnet.node.SubnetNode#start}; the node brings up the gated host,
 * identify, GossipSub, the DHT, the epoch tracker, heartbeats and consensus, and hands the
 * application a {@link dev.hyperj.subnet.node.NodeContext}.
 */
package dev.hyperj.subnet.node;
