package dev.hyperj.subnet.api;

import java.util.function.Consumer;

/**
 * A source of Server-Sent Events for {@link ApiServer}: each subscriber gets a sink to which it
 * sends event data (one JSON text per event, say); the returned handle ends the subscription when
 * the client goes. A sink never blocks: a client that does not read is disconnected.
 */
@FunctionalInterface
public interface EventSource {
    AutoCloseable subscribe(Consumer<String> sink);
}
