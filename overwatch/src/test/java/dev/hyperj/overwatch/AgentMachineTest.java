package dev.hyperj.overwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.overwatch.AgentMachine.Facts;
import dev.hyperj.overwatch.AgentMachine.Step;
import org.junit.jupiter.api.Test;

class AgentMachineTest {
    // overwatch epoch of 10 * 16 = 160 blocks: commits in blocks [0, 128), reveals in [128, 160)
    static OverwatchWindow at(long block) {
        return OverwatchWindow.at(block, 10, 16);
    }

    final AgentMachine m = new AgentMachine(0.5, 3);

    static Facts facts(boolean measured, boolean journaled, boolean committed, boolean revealed) {
        return new Facts(false, measured, journaled, committed, revealed, false);
    }

    @Test
    void calendarFollowsTheChain() {
        OverwatchWindow w = at(330);
        assertThat(w.epoch()).isEqualTo(2);
        assertThat(w.start()).isEqualTo(320);
        assertThat(w.commitEnd()).isEqualTo(448);
        assertThat(at(447).inCommitWindow()).isTrue();
        assertThat(at(448).inCommitWindow()).isFalse();
    }

    @Test
    void measuresHalfWayThenJournalsThenCommits() {
        assertThat(m.decide(at(10), Facts.nothing())).isEqualTo(Step.WAIT);
        assertThat(m.decide(at(80), Facts.nothing())).isEqualTo(Step.MEASURE);
        assertThat(m.decide(at(81), facts(true, false, false, false))).isEqualTo(Step.JOURNAL_AND_COMMIT);
        assertThat(m.decide(at(82), facts(true, true, true, false))).isEqualTo(Step.WAIT);
    }

    @Test
    void aJournaledCommitNotOnChainIsSentAgainNotRemeasured() {
        // e.g. the agent was killed between the journal write and the commit's block
        assertThat(m.decide(at(100), facts(false, true, false, false))).isEqualTo(Step.COMMIT);
    }

    @Test
    void revealsAfterTheCutoffOnlyWhatTheJournalAndChainHold() {
        assertThat(m.decide(at(128), facts(false, true, true, false))).isEqualTo(Step.REVEAL);
        assertThat(m.decide(at(150), facts(false, true, true, true))).isEqualTo(Step.WAIT);
        // a restarted agent with its journal, no memory: still reveals
        assertThat(m.decide(at(159), facts(false, true, true, false))).isEqualTo(Step.REVEAL);
        // committed but the journal was lost: nothing it can reveal
        assertThat(m.decide(at(140), facts(false, false, true, false))).isEqualTo(Step.WAIT);
        assertThat(m.decide(at(140), facts(false, true, false, false))).isEqualTo(Step.MISSED);
    }

    @Test
    void tooLateToMeasureIsMissedAndBusyWaits() {
        assertThat(m.decide(at(125), Facts.nothing())).isEqualTo(Step.MISSED);
        assertThat(m.decide(at(124), Facts.nothing())).isEqualTo(Step.MEASURE);
        assertThat(m.decide(at(130), Facts.nothing())).isEqualTo(Step.MISSED);
        assertThat(m.decide(at(90), new Facts(true, false, false, false, false, false)))
                .isEqualTo(Step.WAIT);
        assertThat(m.decide(at(130), new Facts(false, false, true, true, false, true)))
                .isEqualTo(Step.WAIT);
    }
}
