package dev.hyperj.subnet.node;

import dev.hyperj.subnet.consensus.HeartbeatScorer;
import dev.hyperj.subnet.consensus.Scorer;

/**
 * What a subnet developer writes. The node calls, in order: {@link #setup} (register protocols,
 * topics and validators; the host is listening but not yet connected to the subnet), {@link #start}
 * (connected and bootstrapped), {@link #run} on its own virtual thread until it returns or the node
 * stops (it is interrupted), and {@link #stop} once, whatever state the node reached after setup.
 */
public interface SubnetApplication {
    default void setup(NodeContext ctx) throws Exception {}

    default void start(NodeContext ctx) throws Exception {}

    default void run(NodeContext ctx) throws Exception {}

    default void stop(NodeContext ctx) throws Exception {}

    /**
     * The id of the {@link dev.hyperj.subnet.overwatch.OverwatchCheck} this subnet declares for
     * overwatch agents (written into its on-chain registration); none by default.
     */
    default java.util.Optional<String> overwatchCheck() {
        return java.util.Optional.empty();
    }

    /** How this subnet scores its nodes each epoch; by default, who sent heartbeats. */
    default Scorer scorer(NodeContext ctx) {
        return new HeartbeatScorer(ctx.heartbeats());
    }
}
