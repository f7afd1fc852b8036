/**
 * {@code /ipfs/ping/1.0.0}: 32 random bytes echoed back, for liveness and round-trip time.
 */
package dev.hyperj.p2p.protocol.ping;
