package dev.hyperj.examples.challenge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.rpc.RpcServer;
import dev.hyperj.subnet.DevChain;
import dev.hyperj.subnet.epoch.EpochPosition;
import dev.hyperj.subnet.epoch.EpochTracker;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An epoch's randomness on a real dev chain, read by two nodes over different connections (one in
 * process, one over JSON-RPC on a socket): both read the same bytes, the hash of the epoch's first
 * block; nothing before that block exists; every epoch's differs.
 */
@Timeout(60)
class EpochRandomnessTest {
    static final int EPOCH = 10;

    @Test
    void everyNodeReadsTheHashOfTheEpochsFirstBlockAndNothingBeforeItExists() throws Exception {
        try (DevChain chain = DevChain.start(EPOCH)) {
            List<Integer> vs = chain.registerValidators(3);
            int sid = chain.registerSubnet(DevChain.oneNodeEach(vs), Map.of());
            try (RpcServer server = RpcServer.start(
                            chain.node, new InetSocketAddress("127.0.0.1", 0), RpcServer.Limits.defaults());
                    ChainClient remote = ChainClient.connect(URI.create("ws://127.0.0.1:" + server.port()));
                    EpochTracker here = EpochTracker.start(chain.client, sid);
                    EpochTracker there = EpochTracker.start(remote, sid)) {
                long e = here.awaitEpoch(0).get(30, TimeUnit.SECONDS).epoch() + 1;
                there.awaitEpoch(e - 1).get(30, TimeUnit.SECONDS);
                EpochRandomness a = new EpochRandomness(chain.client, here);
                EpochRandomness b = new EpochRandomness(remote, there);
                EpochPosition at = here.position().orElseThrow();
                long first = EpochRandomness.firstBlock(at, e);
                assertThat(first).isEqualTo(at.nextEpochBlock());

                // epoch e has not begun: its randomness does not exist yet, for anyone
                assertThat(a.of(e)).isEmpty();
                assertThat(b.of(e)).isEmpty();
                assertThatThrownBy(() -> a.require(e)).hasMessageContaining("block " + first);

                chain.advanceTo(first);
                here.awaitEpoch(e).get(30, TimeUnit.SECONDS);
                there.awaitEpoch(e).get(30, TimeUnit.SECONDS);
                byte[] seed = a.require(e);
                assertThat(seed)
                        .hasSize(32)
                        .isEqualTo(chain.client.header(first).orElseThrow().hash());
                assertThat(b.require(e)).as("the same bytes over JSON-RPC").isEqualTo(seed);
                assertThat(chain.client.subnetEpoch(sid)).isEqualTo(e);

                // later blocks of the epoch change nothing; the next epoch's randomness differs
                chain.produce(EPOCH - 1);
                assertThat(a.require(e)).isEqualTo(seed);
                chain.produce(1);
                there.awaitEpoch(e + 1).get(30, TimeUnit.SECONDS);
                assertThat(b.require(e + 1)).isNotEqualTo(seed).isEqualTo(a.require(e + 1));
                assertThat(b.require(e)).isEqualTo(seed);
            }
        }
    }
}
