/**
 * Commit/reveal over the DAG as a framework service ({@link dev.hyperj.subnet.dag.commit.CommitReveal}):
 * the schemas that refuse copied and uncommitted reveals, the windows in which commits and reveals
 * count ({@link dev.hyperj.subnet.dag.commit.CommitWindow}), and the integer-mean scores
 * ({@link dev.hyperj.subnet.dag.commit.CommitRevealBook}).
 */
package dev.hyperj.subnet.dag.commit;
