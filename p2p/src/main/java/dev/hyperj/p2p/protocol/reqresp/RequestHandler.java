package dev.hyperj.p2p.protocol.reqresp;

/**
 * Answers one request. Runs on a virtual thread, so it may block; it is interrupted when the
 * request timeout passes. Throwing (anything) makes the framework reset the stream without a
 * response, which the requesting side sees as {@link RequestResponseException.Reason#NO_RESPONSE}.
 */
@FunctionalInterface
public interface RequestHandler {
    byte[] handle(RequestContext context, byte[] request) throws Exception;

    /** A handler for typed messages: requests decoded with {@code requests}, responses encoded with {@code responses}. */
    static <Q, R> RequestHandler typed(Codec<Q> requests, Codec<R> responses, Typed<Q, R> handler) {
        return (context, request) -> {
            Q decoded;
            try {
                decoded = requests.decode(request);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "undecodable request from " + context.peer() + ": " + e.getMessage(), e);
            }
            return responses.encode(handler.handle(context, decoded));
        };
    }

    /** The typed form of a handler. */
    @FunctionalInterface
    interface Typed<Q, R> {
        R handle(RequestContext context, Q request) throws Exception;
    }
}
