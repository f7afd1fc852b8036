package dev.hyperj.examples.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerLogTest {
    private static final Inference RIGHT = new Inference(List.of(1L, 2L, 3L, 4L));
    private static final Inference WRONG = new Inference(List.of(1L, 2L, 3L, 5L));

    @Test
    void aNodesOneAnswerCountsAndRepeatsAreNoNews() {
        AnswerLog log = new AnswerLog();
        assertThat(log.isNews(3, 7, RIGHT)).isTrue();
        log.record(3, 7, RIGHT);
        assertThat(log.isNews(3, 7, RIGHT)).isFalse();
        log.record(3, 7, RIGHT);
        assertThat(log.answers(3)).containsExactly(java.util.Map.entry(7, RIGHT));
        assertThat(log.answers(4)).isEmpty();
    }

    @Test
    void twoDifferentAnswersFromOneNodeCountAsNoneWhicheverCameFirst() {
        AnswerLog a = new AnswerLog(), b = new AnswerLog();
        a.record(3, 7, RIGHT);
        assertThat(a.isNews(3, 7, WRONG))
                .as("the proof of equivocation is forwarded")
                .isTrue();
        a.record(3, 7, WRONG);
        b.record(3, 7, WRONG);
        b.record(3, 7, RIGHT);
        assertThat(a.answers(3)).isEmpty();
        assertThat(b.answers(3)).isEmpty();
        assertThat(a.isNews(3, 7, new Inference(List.of(9L))))
                .as("nothing more after the proof")
                .isFalse();
    }

    @Test
    void keepsOnlyRecentEpochs() {
        AnswerLog log = new AnswerLog();
        for (long e = 0; e < 20; e++) log.record(e, 1, RIGHT);
        assertThat(log.answers(19)).hasSize(1);
        assertThat(log.answers(19 - AnswerLog.EPOCHS_KEPT)).isEmpty();
        log.record(2, 1, RIGHT); // too old to matter
        assertThat(log.answers(2)).isEmpty();
    }
}
