package dev.hyperj.examples.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The epoch's challenge text: a pure function of (subnet, epoch, chain randomness), the same on every JVM. */
class ChallengeTest {
    static byte[] seed(int b) {
        byte[] s = new byte[32];
        s[31] = (byte) b;
        return s;
    }

    @Test
    void theTextIsPinnedSoEveryJvmDrawsTheSameWords() {
        assertThat(Challenge.text(1, 5, seed(0))).isEqualTo(PINNED);
        assertThat(Challenge.text(1, 5, seed(0)).split(" ")).hasSize(Challenge.WORDS);
    }

    @Test
    void anotherBlockHashGivesAnotherChallengeForTheSameSubnetAndEpoch() {
        Set<String> texts = new HashSet<>();
        for (int b = 0; b < 20; b++) texts.add(Challenge.text(1, 5, seed(b)));
        assertThat(texts).as("20 block hashes, 20 challenges").hasSize(20);
        assertThat(Challenge.text(1, 6, seed(0))).isNotEqualTo(Challenge.text(1, 5, seed(0)));
        assertThat(Challenge.text(2, 5, seed(0))).isNotEqualTo(Challenge.text(1, 5, seed(0)));
    }

    @Test
    void theAnswerDependsOnTheRandomnessAndOnlyARandomnessOfABlockHashIsTaken() {
        assertThat(Challenge.answer(Models.CACHED_REFERENCE, 1, 5, seed(1)))
                .matches("sha256:[0-9a-f]{64}")
                .isNotEqualTo(Challenge.answer(Models.CACHED_REFERENCE, 1, 5, seed(2)));
        assertThatThrownBy(() -> Challenge.text(1, 5, new byte[8])).isInstanceOf(IllegalArgumentException.class);
    }

    static final String PINNED =
            "adjusted tents handled evidence century iucn sul cheek senses ukrainian instituto sealed";
}
