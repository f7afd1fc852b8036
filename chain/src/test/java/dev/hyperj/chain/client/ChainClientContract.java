package dev.hyperj.chain.client;

import static dev.hyperj.chain.math.U128.percent;
import static dev.hyperj.chain.math.U128.tensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.db.BlockHeader;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Event;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.NodeScore;
import dev.hyperj.chain.runtime.Model.PeerInfo;
import dev.hyperj.chain.runtime.Model.SubnetRegistrationData;
import dev.hyperj.chain.runtime.Model.SubnetState;
import dev.hyperj.chain.runtime.Model.ValidatorIdentity;
import dev.hyperj.chain.runtime.NetworkError;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.chain.tx.Signer;
import dev.hyperj.chain.tx.TxException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The behaviour every {@link ChainClient} must have, run against the embedded client and the
 * remote one (over real JSON-RPC on loopback). Each implementation gets its own fresh node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ChainClientContract {
    abstract ChainClient client();

    /** Produces empty blocks (instant-seal node); returns the new best number. */
    abstract long produce(int count);

    TxResult ok(Signer s, Call c) throws Exception {
        TxResult r = client().submit(s, c).get(60, TimeUnit.SECONDS);
        assertThat(r.error())
                .as("%s -> %s", c.getClass().getSimpleName(), r.message())
                .isEmpty();
        return r;
    }

    void advanceTo(long block) {
        long now = client().blockNumber();
        if (block > now) assertThat(produce((int) (block - now))).isEqualTo(block);
    }

    @Test
    void transferMovesBalanceAndReportsEvents() throws Exception {
        Secp256k1 fresh = TestChain.key(900);
        BigInteger before = client().balance(TestChain.BALTATHAR.account());
        TxResult r = ok(TestChain.ETHAN, new Call.Transfer(fresh.account(), tensor(10)));
        assertThat(r.events(Event.Transfer.class))
                .containsExactly(new Event.Transfer(TestChain.ETHAN.account(), fresh.account(), tensor(10)));
        assertThat(client().balance(fresh.account())).isEqualTo(tensor(10));
        assertThat(client().header(r.blockNumber()).orElseThrow().hash()).isEqualTo(r.blockHash());
        // the fresh account can now sign its own transactions
        ok(fresh, new Call.Transfer(TestChain.BALTATHAR.account(), tensor(1)));
        assertThat(client().balance(TestChain.BALTATHAR.account())).isEqualTo(before.add(tensor(1)));
        assertThat(client().nextNonce(fresh.account())).isEqualTo(1);
    }

    @Test
    void runtimeErrorsComeBackAsNamedResults() throws Exception {
        TxResult r = client().submit(TestChain.key(901), new Call.Transfer(TestChain.ALITH.account(), tensor(1)))
                .get(60, TimeUnit.SECONDS);
        assertThat(r.ok()).isFalse();
        assertThat(r.networkError()).isPresent();
        assertThat(r.message().orElseThrow())
                .startsWith(r.error().orElseThrow() + ": ")
                .hasSizeGreaterThan(r.error().get().length() + 20);
        assertThat(r.events()).isEmpty();
    }

    @Test
    void badSignaturesAreRefusedBeforeABlock() {
        Signer liar = new Signer() {
            public AccountId account() {
                return TestChain.ALITH.account();
            }

            public byte[] sign(byte[] payload) {
                return TestChain.key(902).sign(payload);
            }
        };
        assertThatThrownBy(
                        () -> client().submit(liar, new Call.ClaimUnbondings()).get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(TxException.class)
                .satisfies(e -> assertThat(((TxException) e).reason()).isEqualTo(TxException.Reason.BadSignature));
    }

    @Test
    void newHeadsArriveInOrderAndLinkToTheirParents() throws Exception {
        List<BlockHeader> seen = new CopyOnWriteArrayList<>();
        CountDownLatch three = new CountDownLatch(3);
        try (AutoCloseable sub = client().subscribeNewHeads(h -> {
            seen.add(h);
            three.countDown();
        })) {
            produce(3);
            assertThat(three.await(30, TimeUnit.SECONDS)).isTrue();
        }
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i).number()).isEqualTo(seen.get(i - 1).number() + 1);
            assertThat(seen.get(i).parentHash()).isEqualTo(seen.get(i - 1).hash());
        }
        assertThat(client().header(seen.get(0).number()).orElseThrow()).isEqualTo(seen.get(0));
    }

    @Test
    void concurrentSubmitsFromOneSignerGetDistinctNonces() throws Exception {
        List<CompletableFuture<TxResult>> fs = new ArrayList<>();
        for (int i = 0; i < 20; i++)
            fs.add(client().submit(
                            TestChain.DOROTHY,
                            new Call.Transfer(TestChain.key(903).account(), tensor(1))));
        for (CompletableFuture<TxResult> f : fs)
            assertThat(f.get(60, TimeUnit.SECONDS).ok()).isTrue();
        assertThat(client().balance(TestChain.key(903).account())).isEqualTo(tensor(20));
    }

    /**
     * The whole life of a subnet through signed transactions: three validators, a subnet with them
     * as initial validators, one node each, activation, an epoch of propose/attest, rewards paid.
     */
    @Test
    void subnetLifecycleFromRegistrationToRewards() throws Exception {
        Secp256k1[] coldkeys = {TestChain.ALITH, TestChain.BALTATHAR, TestChain.CHARLETH};
        Secp256k1[] hotkeys = {TestChain.key(1), TestChain.key(2), TestChain.key(3)};
        List<Integer> validators = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TxResult r = ok(
                    coldkeys[i],
                    new Call.RegisterValidator(
                            hotkeys[i].account(), percent(10), Optional.empty(), ValidatorIdentity.named("v" + i)));
            validators.add(r.events(Event.ValidatorRegistered.class).get(0).validatorId());
        }
        assertThat(client().validatorIdOf(TestChain.BALTATHAR.account())).contains(validators.get(1));
        Map<Integer, Integer> initial = new LinkedHashMap<>();
        validators.forEach(v -> initial.put(v, 1));
        TxResult reg = ok(
                TestChain.ALITH,
                new Call.RegisterSubnet(
                        tensor(1_000_000),
                        new SubnetRegistrationData(
                                "alpha",
                                "github.com/hyperj/alpha",
                                "e2e",
                                "",
                                tensor(100),
                                tensor(1000),
                                percent(10),
                                initial,
                                Map.of(TestChain.peerId(1), TestChain.multiaddr(9000)))));
        int sid = reg.events(Event.SubnetRegistered.class).get(0).subnetId();
        List<Integer> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TxResult r = ok(
                    coldkeys[i],
                    new Call.RegisterSubnetNode(
                            validators.get(i),
                            sid,
                            Optional.empty(),
                            new PeerInfo(TestChain.peerId(10 + i), Optional.of(TestChain.multiaddr(9001 + i))),
                            Optional.empty(),
                            Optional.empty(),
                            tensor(100),
                            Optional.empty(),
                            Optional.empty(),
                            tensor(1)));
            nodes.add(r.events(Event.SubnetNodeRegistered.class).get(0).subnetNodeId());
        }
        assertThat(client().subnetNodes(sid)).hasSize(3);
        assertThat(client().proofOfStake(sid, TestChain.peerId(10), NodeClass.Validator, Optional.empty()))
                .isTrue();
        assertThat(client().proofOfStake(sid, TestChain.peerId(99), NodeClass.Registered, Optional.empty()))
                .isFalse();
        ok(TestChain.FAITH, new Call.AddDelegateStake(sid, tensor(1000)));
        assertThat(client().delegateStakes(TestChain.FAITH.account())).hasSize(1);
        int epoch = TestChain.EPOCH;
        advanceTo((reg.blockNumber() / epoch + 1) * epoch + 1); // MinSubnetRegistrationEpochs = 1
        TxResult activation = ok(TestChain.ALITH, new Call.ActivateSubnet(sid));
        assertThat(client().subnet(sid).orElseThrow().subnet().state()).isEqualTo(SubnetState.Active);
        int slot = client().subnet(sid).orElseThrow().subnet().slot();
        // the subnet starts in the next general epoch: that epoch's slot block elects the first validator
        long e = activation.blockNumber() / epoch + 1;
        advanceTo(e * epoch + slot);
        assertThat(client().subnetEpoch(sid)).isEqualTo(e);
        SubnetNodeInfo elected = client().electedValidator(sid, e).orElseThrow().node();
        int proposer = elected.node().id();
        Secp256k1 proposerKey = hotkeys[nodes.indexOf(proposer)];
        assertThat(elected.signingKey()).isEqualTo(proposerKey.account());
        List<NodeScore> scores =
                nodes.stream().map(n -> new NodeScore(n, tensor(1))).toList();
        ok(
                proposerKey,
                new Call.ProposeAttestation(
                        sid, proposer, scores, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        for (int i = 0; i < 3; i++) {
            if (nodes.get(i) != proposer) ok(hotkeys[i], new Call.Attest(sid, nodes.get(i), Optional.empty()));
        }
        // a second proposal in the same epoch is refused by the runtime, by name
        TxResult again = client().submit(
                        proposerKey,
                        new Call.ProposeAttestation(
                                sid,
                                proposer,
                                scores,
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty()))
                .get(60, TimeUnit.SECONDS);
        assertThat(again.networkError()).isPresent();
        assertThat(client().validatorsAndAttestors(sid, e)
                        .orElseThrow()
                        .submission()
                        .attests())
                .hasSize(3);
        BigInteger[] before = nodes.stream()
                .map(n -> client().subnetNode(sid, n).orElseThrow().stake())
                .toArray(BigInteger[]::new);
        advanceTo((e + 1) * epoch + slot); // settles epoch e
        for (int i = 0; i < 3; i++) {
            assertThat(client().subnetNode(sid, nodes.get(i)).orElseThrow().stake())
                    .as("node %s stake grew by its reward", nodes.get(i))
                    .isGreaterThan(before[i]);
        }
        assertThat(client().validatorStakes(validators.get(0))).hasSize(1);
        assertThat(client().delegateStakes(TestChain.FAITH.account()).get(0).balance())
                .isGreaterThan(tensor(1000).subtract(BigInteger.valueOf(2000)));
        assertThat(client().epochInfo().epoch()).isEqualTo(client().blockNumber() / epoch);
        // reads of absent things are empty, not errors
        assertThat(client().subnet(999)).isEmpty();
        assertThat(client().subnetNode(sid, 999)).isEmpty();
        assertThat(client().electedValidator(sid, 999)).isEmpty();
        assertThat(client().overwatchNodes()).isEmpty();
        assertThat(client().bootnodes(sid)).containsKey(TestChain.peerId(1));
        assertThat(NetworkError.valueOf(again.error().orElseThrow()))
                .isEqualTo(again.networkError().orElseThrow());
    }
}
