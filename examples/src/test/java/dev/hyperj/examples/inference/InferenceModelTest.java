package dev.hyperj.examples.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class InferenceModelTest {
    private static final List<Integer> SAMPLE = List.of(1, -2, 3, -4, 5, -6, 7, -8);

    @Test
    void theSameSeedBuildsTheSameModelAndAnotherSeedAnother() {
        InferenceModel a = InferenceModel.fromSeed(InferenceModel.REFERENCE_SEED),
                b = InferenceModel.fromSeed(InferenceModel.REFERENCE_SEED);
        InferenceModel other = InferenceModel.fromSeed(InferenceApp.FAULTY_SEED);
        for (long epoch = 0; epoch < 50; epoch++) {
            List<Integer> x = Challenge.input(7, epoch);
            assertThat(a.infer(x))
                    .isEqualTo(b.infer(x))
                    .isEqualTo(InferenceModel.reference().infer(x));
            assertThat(other.infer(x)).as("epoch %d", epoch).isNotEqualTo(a.infer(x));
        }
    }

    @Test
    void theReferenceModelsOutputsArePinned() {
        // Changing the weights, the arithmetic or the challenge changes the subnet's model: every node must upgrade
        // together.
        assertThat(InferenceModel.reference().infer(SAMPLE).output()).containsExactly(GOLDEN_SAMPLE);
        assertThat(InferenceModel.reference().infer(Challenge.input(1, 3)).output())
                .containsExactly(GOLDEN_CHALLENGE);
        assertThat(Challenge.input(1, 3)).containsExactly(GOLDEN_INPUT);
    }

    private static final Long[] GOLDEN_SAMPLE = {-54003L, -8392L, 22598L, 80207L};
    private static final Long[] GOLDEN_CHALLENGE = {359446952L, -291981354L, 249411534L, 556894331L};
    private static final Integer[] GOLDEN_INPUT = {788308, 189593, 241449, 822252, 771438, 879611, 861080, 518733};

    @Test
    void extremeInputsStayExactAndOutputsVary() {
        InferenceModel m = InferenceModel.reference();
        List<Integer> max = Collections.nCopies(InferenceModel.INPUTS, InferenceModel.MAX_INPUT);
        List<Integer> min = Collections.nCopies(InferenceModel.INPUTS, -InferenceModel.MAX_INPUT);
        assertThat(m.infer(max).output())
                .hasSize(InferenceModel.OUTPUTS)
                .isNotEqualTo(m.infer(min).output());
        List<Integer> labels = new ArrayList<>();
        for (long e = 0; e < 200; e++) labels.add(m.infer(Challenge.input(1, e)).label());
        assertThat(new java.util.HashSet<>(labels))
                .as("a model that always says the same is no test")
                .hasSizeGreaterThan(2);
    }

    @Test
    void inputsTheModelDoesNotTakeAreRefusedWithAReason() {
        InferenceModel m = InferenceModel.reference();
        assertThatThrownBy(() -> m.infer(1, 2, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes 8 inputs");
        assertThatThrownBy(() -> m.infer(0, 0, 0, 0, 0, 0, 0, InferenceModel.MAX_INPUT + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputs lie in");
        assertThatThrownBy(() -> m.infer(java.util.Arrays.asList(0, 0, 0, 0, null, 0, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void challengesAreInRangeAndDifferBySubnetAndEpoch() {
        java.util.Set<List<Integer>> seen = new java.util.HashSet<>();
        for (int subnet = 1; subnet <= 5; subnet++) {
            for (long epoch = 0; epoch < 100; epoch++) {
                List<Integer> x = Challenge.input(subnet, epoch);
                assertThat(x).hasSize(InferenceModel.INPUTS).allMatch(v -> Math.abs(v) <= InferenceModel.MAX_INPUT);
                assertThat(x).isEqualTo(Challenge.input(subnet, epoch));
                seen.add(x);
            }
        }
        assertThat(seen).hasSize(500);
    }

    @Test
    void theLabelIsTheIndexOfTheFirstLargestLogit() {
        assertThat(new Inference(List.of(3L, 9L, 9L, -1L)).label()).isEqualTo(1);
        assertThat(new Inference(List.of(-5L, -7L, -9L, -6L)).label()).isEqualTo(0);
    }
}
