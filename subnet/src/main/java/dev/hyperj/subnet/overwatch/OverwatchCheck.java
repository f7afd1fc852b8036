package dev.hyperj.subnet.overwatch;

import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.peer.PeerId;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * How an overwatch agent judges the useful work of one node of a subnet: a request the agent
 * sends, and how to judge the answer. A subnet declares its check on chain (the
 * {@code overwatch-check=<id>} token of its registration's {@code misc}, see {@link OverwatchChecks});
 * the agent finds the implementation with {@link java.util.ServiceLoader} by that id. Without a
 * check, a subnet is judged on reachability, identify, protocols and gossip presence alone.
 *
 * <p>Implementations must be stateless and thread-safe: the agent checks many nodes at once.
 */
public interface OverwatchCheck {
    /** The id a subnet names in its registration, e.g. {@code hyperj-inference/1}: letters, digits, {@code -_./}. */
    String id();

    /** Protocols every node of the subnet must speak (the agent compares them with what identify reports). */
    Set<String> protocols();

    /**
     * Asks {@code node} (connected through {@code host}) one question and judges its answer. The
     * question should be fresh ({@code random}), so a node cannot answer from a table. Completes
     * with a verdict, also when the node answered wrongly or not at all; fails only on a bug.
     */
    CompletableFuture<Verdict> check(Host host, PeerId node, RandomGenerator random);

    /** What the agent concluded about one node's answer; {@code detail} says why, for the operator. */
    record Verdict(boolean passed, String detail) {
        public static Verdict pass(String detail) {
            return new Verdict(true, detail);
        }

        public static Verdict fail(String detail) {
            return new Verdict(false, detail);
        }
    }
}
