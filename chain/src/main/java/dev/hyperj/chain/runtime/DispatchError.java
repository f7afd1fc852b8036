package dev.hyperj.chain.runtime;

import dev.hyperj.chain.ChainException;

/** Thrown inside a call to abort it: every write and event of the call is discarded. */
final class DispatchError extends ChainException {
    final NetworkError error;

    DispatchError(NetworkError error) {
        super(error.name(), null, false, false);
        this.error = error;
    }
}
