package dev.hyperj.cli.devnet;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.overwatch.AgentEvent;
import dev.hyperj.overwatch.Enrollment;
import dev.hyperj.overwatch.OverwatchAgent;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.multiformats.Multiaddr;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The overwatch agents of a devnet ({@code hyperj devnet --overwatch N}): agent {@code i} belongs to
 * node {@code i}'s validator, which the collective whitelists; it registers as soon as the
 * validator is old enough (the devnet's genesis lowers the other qualification thresholds), then
 * runs against the chain's RPC like a separate machine would.
 */
public final class DevnetOverwatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DevnetOverwatch.class);
    /** Stake each agent registers with (the chain's minimum). */
    public static final BigInteger STAKE = dev.hyperj.chain.math.U128.tensor(100);

    /** What one agent has done so far, for the epoch table. */
    public record Status(
            int index,
            Optional<Integer> overwatchNodeId,
            Optional<AgentEvent.Committed> committed,
            Optional<AgentEvent.Revealed> revealed,
            Optional<AgentEvent.Earned> earned,
            BigInteger totalEarned,
            Optional<String> problem) {}

    private final Devnet devnet;
    private final List<Agent> agents = new ArrayList<>();
    private final List<Consumer<AgentEvent>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private final class Agent {
        final int index;
        volatile Status status;
        volatile OverwatchAgent agent;
        volatile ChainClient client;
        final Thread starter;

        Agent(int index) {
            this.index = index;
            this.status = new Status(
                    index,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    BigInteger.ZERO,
                    Optional.empty());
            this.starter = Thread.ofVirtual().name("devnet-overwatch-" + index).start(this::run);
        }

        void on(AgentEvent e) {
            Status s = status;
            status = switch (e) {
                case AgentEvent.Registered r ->
                    new Status(
                            index,
                            Optional.of(r.overwatchNodeId()),
                            s.committed(),
                            s.revealed(),
                            s.earned(),
                            s.totalEarned(),
                            s.problem());
                case AgentEvent.Committed c ->
                    new Status(
                            index,
                            s.overwatchNodeId(),
                            Optional.of(c),
                            s.revealed(),
                            s.earned(),
                            s.totalEarned(),
                            Optional.empty());
                case AgentEvent.Revealed r ->
                    new Status(
                            index,
                            s.overwatchNodeId(),
                            s.committed(),
                            Optional.of(r),
                            s.earned(),
                            s.totalEarned(),
                            Optional.empty());
                case AgentEvent.Earned r ->
                    new Status(
                            index,
                            s.overwatchNodeId(),
                            s.committed(),
                            s.revealed(),
                            Optional.of(r),
                            s.totalEarned().add(r.reward()),
                            s.problem());
                case AgentEvent.Problem p ->
                    new Status(
                            index,
                            s.overwatchNodeId(),
                            s.committed(),
                            s.revealed(),
                            s.earned(),
                            s.totalEarned(),
                            Optional.of(p.what()));
                default -> s;
            };
            for (Consumer<AgentEvent> l : listeners) l.accept(e);
        }

        void run() {
            try {
                DevnetNode node = devnet.node(index);
                Secp256k1 coldkey = node.coldkey();
                Secp256k1 hotkey = Devnet.derivedKey((byte) 0x44, index + 1);
                ChainClient admin = devnet.chain();
                admin.submit(
                                Secp256k1.fromPrivateKey(DevAccounts.ALITH.privateKey()),
                                new Call.CollectiveSetColdkeyOverwatchNodeEligibility(coldkey.account(), true))
                        .get(120, TimeUnit.SECONDS);
                client = ChainClient.connect(devnet.rpcUri());
                int id = -1;
                while (!closed && id < 0) {
                    try {
                        id = Enrollment.ensureRegistered(client, coldkey, hotkey, STAKE, this::on);
                    } catch (Enrollment.EnrollmentException e) {
                        if (!e.getMessage().contains("MinAge")) throw e;
                        // the validator is too young: try again next epoch
                        Thread.sleep(
                                devnet.config().blockTimeMs() * devnet.config().epochLength());
                    }
                }
                if (closed) return;
                agent = OverwatchAgent.start(
                        OverwatchAgent.Config.of(
                                        client,
                                        Keys.generate(KeyType.ED25519),
                                        hotkey,
                                        id,
                                        devnet.basePath().resolve("overwatch").resolve("ow" + index))
                                .withListen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                                .withGossip(devnet.config().gossip()),
                        this::on);
                if (closed) agent.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                if (!closed) {
                    log.warn("overwatch agent {} did not start: {}", index, e.getMessage());
                    on(new AgentEvent.Problem("did not start: " + e.getMessage()));
                }
            }
        }

        void close() {
            starter.interrupt();
            try {
                starter.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            OverwatchAgent a = agent;
            if (a != null) a.close();
            ChainClient c = client;
            if (c != null) c.close();
        }
    }

    DevnetOverwatch(Devnet devnet, int count) {
        if (count < 0 || count > devnet.nodes().size())
            throw new IllegalArgumentException(
                    "overwatch agents must be in [0, " + devnet.nodes().size() + "]");
        this.devnet = devnet;
        for (int i = 0; i < count; i++) agents.add(new Agent(i));
    }

    /** Every agent's status, by index. */
    public List<Status> statuses() {
        return agents.stream().map(a -> a.status).toList();
    }

    /** Calls {@code listener} with every agent's events from now on. */
    public AutoCloseable onEvent(Consumer<AgentEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        closed = true;
        agents.forEach(Agent::close);
    }
}
