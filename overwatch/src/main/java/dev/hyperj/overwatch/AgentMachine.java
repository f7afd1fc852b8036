package dev.hyperj.overwatch;

/**
 * What the agent does next in an overwatch epoch, decided from facts alone (no sockets, no chain):
 * measure -> weigh -> commit in the commit window -> reveal after it. The I/O loop
 * ({@link OverwatchAgent}) gathers the facts at every block, asks {@link #decide}, and carries the
 * step out; tests drive the same function with made-up facts.
 *
 * <p>The durable journal is what makes a commit revealable: a commit is only ever sent from a
 * journal entry written (and synced) before it, so an agent that restarts in the reveal window
 * reveals what it committed, and one that restarts in the commit window resends the same commit
 * rather than a new one.
 */
public final class AgentMachine {
    /** Steps the I/O loop carries out. */
    public enum Step {
        /** Nothing to do at this block. */
        WAIT,
        /** Measure every active subnet now (then weigh and commit). */
        MEASURE,
        /** Write the weights and fresh salts to the journal (synced), then send the commit. */
        JOURNAL_AND_COMMIT,
        /** The journal holds this epoch's commit, the chain does not: send it (again). */
        COMMIT,
        /** The chain holds this epoch's commit and the reveal window is open: reveal the journal's weights. */
        REVEAL,
        /** This epoch cannot be committed any more (measured or journaled too late); wait for the next. */
        MISSED
    }

    /**
     * What is known about the current overwatch epoch.
     *
     * @param measuring        a measurement is running
     * @param measured         measured and weighed, weights in memory, not yet journaled
     * @param journaled        the journal holds a commit (weights and salts) for the epoch
     * @param committedOnChain the chain holds this node's commit for the epoch
     * @param revealedOnChain  the chain holds this node's reveal for the epoch
     * @param txPending        a commit or reveal of this agent is waiting for its block
     */
    public record Facts(
            boolean measuring,
            boolean measured,
            boolean journaled,
            boolean committedOnChain,
            boolean revealedOnChain,
            boolean txPending) {
        public static Facts nothing() {
            return new Facts(false, false, false, false, false, false);
        }
    }

    private final double measureAt;
    private final long commitMarginBlocks;

    /**
     * @param measureAt          how far through the overwatch epoch to measure, in [0, 0.8): later
     *                           means more gossip observed, earlier more room to commit
     * @param commitMarginBlocks blocks before the cutoff under which a measurement is not started
     *                           (it would not land its commit in time)
     */
    public AgentMachine(double measureAt, long commitMarginBlocks) {
        if (!(measureAt >= 0 && measureAt < OverwatchWindow.COMMIT_PERCENT / 100.0))
            throw new IllegalArgumentException("measureAt must lie in [0, 0.8)");
        if (commitMarginBlocks < 1) throw new IllegalArgumentException("commit margin must be at least one block");
        this.measureAt = measureAt;
        this.commitMarginBlocks = commitMarginBlocks;
    }

    public Step decide(OverwatchWindow w, Facts f) {
        if (f.txPending() || f.measuring()) return Step.WAIT;
        if (w.inCommitWindow()) {
            if (f.committedOnChain()) return Step.WAIT;
            if (f.journaled()) return Step.COMMIT;
            if (f.measured()) return Step.JOURNAL_AND_COMMIT;
            if (w.commitBlocksLeft() <= commitMarginBlocks) return Step.MISSED;
            return w.progress() >= measureAt ? Step.MEASURE : Step.WAIT;
        }
        if (f.journaled() && f.committedOnChain() && !f.revealedOnChain()) return Step.REVEAL;
        return f.committedOnChain() ? Step.WAIT : Step.MISSED;
    }
}
