/**
 * A small protobuf wire reader and writer shared by every message of the stack (keys, identify,
 * Kademlia, GossipSub). No code generation: each decoder states its own limits, and a malformed
 * or oversized field is a {@link dev.hyperj.p2p.proto.ProtoException}.
 */
package dev.hyperj.p2p.proto;
