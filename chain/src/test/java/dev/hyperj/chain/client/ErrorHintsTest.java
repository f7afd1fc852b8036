package dev.hyperj.chain.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.runtime.NetworkError;
import org.junit.jupiter.api.Test;

class ErrorHintsTest {
    /** A new runtime error without its own sentence fails here: users see the name and what to do. */
    @Test
    void everyRuntimeErrorHasItsOwnHint() {
        for (NetworkError e : NetworkError.values()) {
            String d = ErrorHints.describe(e);
            assertThat(d).startsWith(e.name() + ": ");
            assertThat(d).as(e.name()).doesNotContain("check the call's arguments against the chain's current state");
            assertThat(d.lines().count()).isEqualTo(1);
        }
    }
}
