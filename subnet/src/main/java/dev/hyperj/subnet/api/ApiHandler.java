package dev.hyperj.subnet.api;

/**
 * Answers one request to a route of the node's network API. Handlers run on virtual threads, so
 * they may block. Throw {@link ApiException} for a chosen error status; any other exception is
 * answered with 500 and logged, without its message (it may hold internals).
 */
@FunctionalInterface
public interface ApiHandler {
    ApiResponse handle(ApiRequest request) throws Exception;
}
