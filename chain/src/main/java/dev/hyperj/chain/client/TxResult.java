package dev.hyperj.chain.client;

import dev.hyperj.chain.runtime.Event;
import dev.hyperj.chain.runtime.NetworkError;
import java.util.List;
import java.util.Optional;

/**
 * A transaction in a block: where, and what it did. {@code error} is the runtime's error name
 * (the call had no effect but its nonce is used), {@code message} the name plus what to do.
 */
public record TxResult(
        long blockNumber,
        byte[] blockHash,
        byte[] txHash,
        Optional<String> error,
        Optional<String> message,
        List<Event> events) {
    public TxResult {
        blockHash = blockHash.clone();
        txHash = txHash.clone();
        events = List.copyOf(events);
    }

    @Override
    public byte[] blockHash() {
        return blockHash.clone();
    }

    @Override
    public byte[] txHash() {
        return txHash.clone();
    }

    public boolean ok() {
        return error.isEmpty();
    }

    /** The error as HyperJ's runtime names it; empty when the chain's runtime has an error HyperJ's has not. */
    public Optional<NetworkError> networkError() {
        return error.flatMap(name -> java.util.Arrays.stream(NetworkError.values())
                .filter(e -> e.name().equals(name))
                .findFirst());
    }

    /** The events of one type, in order. */
    public <E extends Event> List<E> events(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
