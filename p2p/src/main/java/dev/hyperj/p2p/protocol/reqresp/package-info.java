/**
 * One request and one response per stream, length-prefixed and bounded: a
 * {@link dev.hyperj.p2p.protocol.reqresp.Codec} per protocol, a client side with timeouts and a
 * server side that runs {@link dev.hyperj.p2p.protocol.reqresp.RequestHandler}s on virtual threads.
 */
package dev.hyperj.p2p.protocol.reqresp;
