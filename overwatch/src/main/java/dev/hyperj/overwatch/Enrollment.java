package dev.hyperj.overwatch;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.TxResult;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Event;
import dev.hyperj.chain.runtime.NetworkReads.OverwatchNodeInfo;
import dev.hyperj.chain.tx.Secp256k1;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** Registers a validator's overwatch node, if it has none, and its peer id per subnet. */
public final class Enrollment {
    private Enrollment() {}

    /** Why enrollment could not go on (the chain's refusal, with its hint). */
    public static final class EnrollmentException extends Exception {
        public EnrollmentException(String message) {
            super(message);
        }
    }

    /** The overwatch node of {@code coldkey}'s validator, if registered. */
    public static Optional<OverwatchNodeInfo> find(ChainClient chain, Secp256k1 coldkey) {
        return chain.overwatchNodes().stream()
                .filter(o -> coldkey.account().equals(o.coldkey()))
                .findFirst();
    }

    /**
     * Returns the id of the overwatch node of {@code coldkey}'s validator, registering it first with
     * {@code hotkey} and {@code stake} if there is none. The hotkey signs commits and reveals.
     */
    public static int ensureRegistered(
            ChainClient chain, Secp256k1 coldkey, Secp256k1 hotkey, BigInteger stake, Consumer<AgentEvent> events)
            throws EnrollmentException, InterruptedException {
        Optional<OverwatchNodeInfo> have = find(chain, coldkey);
        if (have.isPresent()) {
            OverwatchNodeInfo o = have.get();
            if (!o.node().hotkey().equals(hotkey.account()))
                throw new EnrollmentException("overwatch node " + o.node().id() + " has hotkey "
                        + o.node().hotkey() + ", not the agent's " + hotkey.account() + ": give the agent that hotkey");
            events.accept(new AgentEvent.Registered(
                    o.node().id(),
                    o.node().validatorId(),
                    o.node().hotkey().toString(),
                    o.node().stake(),
                    false));
            return o.node().id();
        }
        int validator = chain.validatorIdOf(coldkey.account())
                .orElseThrow(() -> new EnrollmentException("coldkey " + coldkey.account()
                        + " has no validator: register one first ('hyperj tx validator register')"));
        TxResult r = await(
                chain,
                coldkey,
                new Call.RegisterOverwatchNode(validator, hotkey.account(), stake),
                "RegisterOverwatchNode");
        int id = r.events(Event.OverwatchNodeRegistered.class).get(0).overwatchNodeId();
        events.accept(new AgentEvent.Registered(id, validator, hotkey.account().toString(), stake, true));
        return id;
    }

    /** Puts {@code peerId} on chain as the overwatch node's peer id in {@code subnetId}, unless it is there already. */
    public static void ensurePeerId(
            ChainClient chain,
            Secp256k1 hotkey,
            int overwatchNodeId,
            int subnetId,
            String peerId,
            Consumer<AgentEvent> events)
            throws EnrollmentException, InterruptedException {
        boolean set = chain.overwatchNodes().stream()
                .anyMatch(o -> o.node().id() == overwatchNodeId
                        && peerId.equals(o.peerIds().get(subnetId)));
        if (!set)
            await(
                    chain,
                    hotkey,
                    new Call.SetOverwatchNodePeerId(subnetId, overwatchNodeId, peerId),
                    "SetOverwatchNodePeerId");
        events.accept(new AgentEvent.PeerIdSet(subnetId, peerId, !set));
    }

    static TxResult await(ChainClient chain, Secp256k1 signer, Call call, String what)
            throws EnrollmentException, InterruptedException {
        return await(chain, signer, call, what, Duration.ofSeconds(60));
    }

    static TxResult await(ChainClient chain, Secp256k1 signer, Call call, String what, Duration timeout)
            throws EnrollmentException, InterruptedException {
        TxResult r;
        try {
            r = chain.submit(signer, call).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new EnrollmentException(what + " refused: " + SubnetProbe.rootMessage(e));
        } catch (TimeoutException e) {
            throw new EnrollmentException(what + " not in a block after " + timeout.toSeconds() + " s");
        }
        if (!r.ok())
            throw new EnrollmentException(
                    what + " failed: " + r.message().orElse(r.error().orElse("?")));
        return r;
    }
}
