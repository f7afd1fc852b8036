/**
 * An example subnet built on the HyperJ framework the way a user would build theirs: a small
 * decentralized inference network, and the application {@code hyperj devnet} runs.
 *
 * <ul>
 * <li><b>Useful work.</b> Every node runs the subnet's {@link dev.hyperj.examples.inference.InferenceModel}
 *     (a tiny integer MLP whose weights derive from a seed) and serves it to users on
 *     {@value dev.hyperj.examples.inference.InferenceProtocol#ID}.</li>
 * <li><b>Proof of the work.</b> Each subnet epoch has a public {@link dev.hyperj.examples.inference.Challenge}
 *     derived from (subnet id, epoch); every node commits its model's answer at the start of the
 *     epoch with the framework's commit/reveal (in the subnet's Merkle DAG) and reveals it at
 *     mid-epoch, so nobody can copy an answer before committing its own; every node checks the
 *     others' revealed answers by running the model itself.</li>
 * <li><b>Scores.</b> At the next epoch the consensus loop asks the application's scorer: nodes of
 *     class Included or higher that sent a heartbeat and a right answer get 1e18, the others are
 *     left out. The elected validator proposes these scores; the others attest when theirs are
 *     equal, which is why the scorer uses only facts every honest node sees alike.</li>
 * </ul>
 *
 * <p>The entry point is {@link dev.hyperj.examples.inference.InferenceApp}: {@code new InferenceApp()},
 * or {@code InferenceApp.faulty()} for a node that answers wrongly.
 */
package dev.hyperj.examples.inference;
