/**
 * Resource accounting for the host: {@link dev.hyperj.p2p.resources.ResourceManager} keeps counts of
 * connections, streams and stream memory by scope (system, transient, per IP, per peer, per
 * protocol) and refuses, with a {@link dev.hyperj.p2p.resources.Refusal} reason, what would exceed
 * the {@link dev.hyperj.p2p.resources.ResourceLimits}. Policy only: no sockets here.
 */
package dev.hyperj.p2p.resources;
