package dev.hyperj.subnet.consensus;

import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.subnet.epoch.SubnetSnapshot;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The default scorer: 1e18 for every node of class Included or higher that sent a heartbeat in the scored epoch. */
public final class HeartbeatScorer implements Scorer {
    public static final BigInteger FULL_SCORE = BigInteger.TEN.pow(18);
    private final HeartbeatLog log;

    public HeartbeatScorer(HeartbeatLog log) {
        this.log = log;
    }

    @Override
    public List<NodeScore> score(long epoch, SubnetSnapshot snapshot) {
        Set<Integer> alive = log.nodes(epoch);
        List<NodeScore> out = new ArrayList<>();
        for (var n : snapshot.nodesAtLeast(NodeClass.Included)) {
            if (alive.contains(n.node().id())) out.add(new NodeScore(n.node().id(), FULL_SCORE));
        }
        return out;
    }
}
