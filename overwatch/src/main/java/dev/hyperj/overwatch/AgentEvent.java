package dev.hyperj.overwatch;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** What the agent tells its operator, one JSON line each ({@code hyperj overwatch}). */
public sealed interface AgentEvent {
    /** The event's name in the JSON line. */
    String event();

    /** The overwatch node is registered (now or before). */
    record Registered(int overwatchNodeId, int validatorId, String hotkey, BigInteger stake, boolean now)
            implements AgentEvent {
        public String event() {
            return "registered";
        }
    }

    /** The agent's peer id is on chain for a subnet (set now, or already). */
    record PeerIdSet(int subnetId, String peerId, boolean now) implements AgentEvent {
        public String event() {
            return "peer_id";
        }
    }

    /** One subnet measured and weighed. */
    record Measured(
            long overwatchEpoch,
            int subnetId,
            double weight,
            double service,
            Double attestation,
            String check,
            List<NodeLine> nodes)
            implements AgentEvent {
        public String event() {
            return "measured";
        }
    }

    /** A node of a {@link Measured} subnet. */
    record NodeLine(
            String peerId,
            Integer subnetNodeId,
            boolean reachable,
            boolean identified,
            List<String> missingProtocols,
            Double heartbeats,
            Boolean checkPassed,
            double health,
            String problem) {}

    /** Weights committed (salts kept in the journal). */
    record Committed(long overwatchEpoch, long block, Map<Integer, BigInteger> weights, boolean resent)
            implements AgentEvent {
        public String event() {
            return "committed";
        }
    }

    /** Weights revealed. */
    record Revealed(long overwatchEpoch, long block, Map<Integer, BigInteger> weights) implements AgentEvent {
        public String event() {
            return "revealed";
        }
    }

    /**
     * The payout of a scored overwatch epoch: the growth of the overwatch stake across the chain's
     * scoring of it (stake the operator added or removed meanwhile shows here too).
     */
    record Earned(long overwatchEpoch, BigInteger reward, BigInteger stake) implements AgentEvent {
        public String event() {
            return "earned";
        }
    }

    /** An overwatch epoch the agent could not take part in, and why. */
    record Missed(long overwatchEpoch, String reason) implements AgentEvent {
        public String event() {
            return "missed";
        }
    }

    /** Something went wrong; the agent carries on at the next block (a failure repeated at every block is told once). */
    record Problem(String what) implements AgentEvent {
        public String event() {
            return "problem";
        }
    }
}
