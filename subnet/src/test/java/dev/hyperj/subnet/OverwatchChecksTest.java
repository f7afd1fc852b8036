package dev.hyperj.subnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.subnet.overwatch.OverwatchChecks;
import org.junit.jupiter.api.Test;

class OverwatchChecksTest {
    @Test
    void aSubnetDeclaresItsCheckInMisc() {
        assertThat(OverwatchChecks.declared("overwatch-check=hyperj-inference/1"))
                .contains("hyperj-inference/1");
        assertThat(OverwatchChecks.declared("owner notes overwatch-check=a.b_c-1 more"))
                .contains("a.b_c-1");
        assertThat(OverwatchChecks.declared("")).isEmpty();
        assertThat(OverwatchChecks.declared(null)).isEmpty();
        assertThat(OverwatchChecks.declared("xoverwatch-check=a")).isEmpty();
        assertThat(OverwatchChecks.declared("overwatch-check=bad!id")).isEmpty();
        assertThat(OverwatchChecks.declared(OverwatchChecks.declaration("x/2"))).contains("x/2");
        assertThatThrownBy(() -> OverwatchChecks.declaration("has space")).isInstanceOf(IllegalArgumentException.class);
        // nothing on the subnet module's class path provides a check
        assertThat(OverwatchChecks.load().forMisc("overwatch-check=hyperj-inference/1"))
                .isEmpty();
    }
}
