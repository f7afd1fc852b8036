package dev.hyperj.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.runtime.RandomRuntime.Action;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * Over random call sequences (mostly valid, some not) interleaved with epoch boundaries, every unit
 * stays accounted for after every block (checked by {@link RandomRuntime#step}, which throws at the
 * first block where it does not); bench's {@code RuntimeSoak} runs the same steps over 10,000 epochs.
 */
class ConservationPropertyTest {
    private RandomRuntime runtime;

    @BeforeTry
    void setUp() {
        runtime = new RandomRuntime();
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, Action.KINDS - 1),
                        Arbitraries.integers().between(0, Action.ACTORS - 1),
                        Arbitraries.integers().between(0, Action.TARGETS - 1),
                        Arbitraries.integers().between(1, Action.MAX_AMOUNT),
                        Arbitraries.integers().between(0, Action.MAX_SKIP))
                .as(Action::new)
                .list()
                .ofMinSize(5)
                .ofMaxSize(30);
    }

    @Property(tries = 25)
    void everyUnitIsAccountedFor(@ForAll("actions") List<Action> actions) {
        for (Action a : actions) runtime.step(a);
        assertThat(runtime.blocksChecked()).isGreaterThanOrEqualTo(actions.size());
        assertThat(runtime.reads().supply().minted()).isPositive();
    }
}
