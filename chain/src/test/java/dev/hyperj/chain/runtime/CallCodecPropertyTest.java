package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.math.U128.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.scale.Scale;
import dev.hyperj.chain.scale.ScaleException;
import dev.hyperj.p2p.bytes.Bytes;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Calls arrive as bytes (issue 7): decoding hostile bytes only ever ends in the codec's own exception. */
class CallCodecPropertyTest {
    static final List<Call> SAMPLES = List.of(
            new Call.Transfer(Scenario.account("a"), tensor(5)),
            new Call.RegisterSubnet(tensor(10), Scenario.subnetData("codec", Map.of(1, 1, 2, 1, 3, 1))),
            new Call.RegisterSubnetNode(
                    1,
                    128001,
                    Optional.of(Scenario.account("h")),
                    Model.PeerInfo.of(Scenario.peerId(3)),
                    Optional.of(new Model.PeerInfo(Scenario.peerId(4), Optional.of(Scenario.multiaddr(4001)))),
                    Optional.empty(),
                    tensor(100),
                    Optional.of(Bytes.utf8("u")),
                    Optional.empty(),
                    tensor(1)),
            new Call.ProposeAttestation(
                    128001,
                    2,
                    List.of(new Model.NodeScore(1, BigInteger.TEN), new Model.NodeScore(2, BigInteger.ONE)),
                    Optional.of(3),
                    Optional.empty(),
                    Optional.of(Bytes.utf8("args")),
                    Optional.empty()),
            new Call.CommitOverwatchSubnetWeights(
                    1, List.of(new Model.OverwatchCommit(128001, Bytes.of(new byte[32])))),
            new Call.OwnerUpdateReputationFactors(
                    128001,
                    Model.ReputationFactorUpdates.none()
                            .withAbsentDecrease(tensor(1).divide(BigInteger.TEN))),
            new Call.OwnerAddOrUpdateInitialValidators(128001, Map.of(1, 2, 7, 1)),
            new Call.CollectiveSetMaxSubnets(2));

    @Property(tries = 1000)
    void mutatedCallBytesDecodeOrFailCleanly(
            @ForAll @IntRange(min = 0, max = 7) int which,
            @ForAll int position,
            @ForAll byte xor,
            @ForAll @IntRange(min = 0, max = 3) int cut) {
        byte[] enc = Scale.encode(Call.class, SAMPLES.get(which));
        assertThat(Scale.decode(Call.class, enc)).isEqualTo(SAMPLES.get(which));
        enc[Math.floorMod(position, enc.length)] ^= (byte) (xor == 0 ? 1 : xor);
        byte[] input = java.util.Arrays.copyOf(enc, Math.max(0, enc.length - cut));
        try {
            Object decoded = Scale.decode(Call.class, input);
            assertThat(decoded).isInstanceOf(Call.class);
        } catch (ScaleException expected) {
            assertThat(expected).hasMessageNotContaining("Exception:");
        }
    }

    @Property(tries = 1000)
    void randomBytesDecodeOrFailCleanly(@ForAll @Size(max = 300) byte[] input) {
        try {
            assertThat(Scale.decode(Call.class, input)).isInstanceOf(Call.class);
        } catch (ScaleException expected) {
            // the codec's own error
        }
    }

    @Property(tries = 50)
    void everyEventOfAScenarioRoundTrips(@ForAll @IntRange(min = 1, max = 3) int epochs) {
        Scenario sc = new Scenario();
        Scenario.Activated a = sc.activatedSubnet("events", 3);
        for (int i = 0; i < epochs; i++) {
            sc.nextSubnetEpoch(a.subnetId());
            for (Event e : sc.last.events())
                assertThat(Scale.decode(Event.class, Scale.encode(Event.class, e)))
                        .isEqualTo(e);
        }
    }
}
