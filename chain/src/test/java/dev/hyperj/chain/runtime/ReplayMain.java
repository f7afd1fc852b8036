package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.math.U128.tensor;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Runs a fixed scenario and prints the state root after every block: the determinism tests run it in and out of process. */
final class ReplayMain {
    private ReplayMain() {}

    static List<String> roots() {
        Scenario sc = new Scenario();
        List<String> roots = new ArrayList<>();
        Scenario.Activated a = sc.activatedSubnet("replay", 3);
        int sid = a.subnetId();
        sc.ok(Scenario.coldkey(4), new Call.AddDelegateStake(sid, tensor(777)));
        for (int epoch = 0; epoch < 4; epoch++) {
            sc.nextSubnetEpoch(sid);
            roots.add(HexFormat.of().formatHex(sc.last.stateRoot()));
            sc.consensus(sid, Scenario.scores(a.nodes(), 3, 1 + epoch, 2), a.nodes());
            roots.add(HexFormat.of().formatHex(sc.last.stateRoot()));
            sc.ok(
                    Scenario.coldkey(epoch % 3),
                    new Call.AddNodeStake(sid, a.nodes().get(epoch % 3), tensor(1 + epoch)));
            roots.add(HexFormat.of().formatHex(sc.last.stateRoot()));
        }
        roots.add(HexFormat.of().formatHex(sc.chain.stateRoot()));
        return roots;
    }

    public static void main(String[] args) {
        for (String r : roots()) System.out.println(r);
    }
}
