package dev.hyperj.cli.devnet;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.node.SubnetNode;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One subnet node of a {@link Devnet}: its keys and on-chain ids (fixed at registration) and, while
 * it runs, its {@link SubnetNode} with its own chain client over the devnet's RPC.
 */
public final class DevnetNode {
    /** Where a devnet node is in its life. */
    public enum State {
        REGISTERED,
        RUNNING,
        STOPPED,
        KILLED
    }

    private final int index;
    private final PrivateKey identity;
    private final Secp256k1 coldkey;
    private final Secp256k1 hotkey;
    private final int validatorId;
    private final int subnetNodeId;
    private final BigInteger initialStake;
    private final Multiaddr listen;
    private final Path storage;
    private volatile State state = State.REGISTERED;
    private volatile SubnetNode node;
    private volatile ChainClient client;
    private volatile AutoCloseable connection;

    DevnetNode(
            int index,
            PrivateKey identity,
            Secp256k1 coldkey,
            Secp256k1 hotkey,
            int validatorId,
            int subnetNodeId,
            BigInteger initialStake,
            Multiaddr listen,
            Path storage) {
        this.index = index;
        this.identity = identity;
        this.coldkey = coldkey;
        this.hotkey = hotkey;
        this.validatorId = validatorId;
        this.subnetNodeId = subnetNodeId;
        this.initialStake = initialStake;
        this.listen = listen;
        this.storage = storage;
    }

    public int index() {
        return index;
    }

    public PeerId peerId() {
        return PeerId.fromPublicKey(identity.publicKey());
    }

    /** The libp2p identity (its peer id is the one registered on chain). */
    public PrivateKey identity() {
        return identity;
    }

    /** The validator's coldkey, which registered and owns the node. */
    public Secp256k1 coldkey() {
        return coldkey;
    }

    /** The validator's hotkey, which signs the node's proposals and attestations. */
    public Secp256k1 hotkey() {
        return hotkey;
    }

    public int validatorId() {
        return validatorId;
    }

    public int subnetNodeId() {
        return subnetNodeId;
    }

    /** The stake the node was registered with. */
    public BigInteger initialStake() {
        return initialStake;
    }

    /** The address the node listens on (a fixed port for the bootnode, node 0; port 0 = any for the others). */
    public Multiaddr listenAddress() {
        return listen;
    }

    public Path storage() {
        return storage;
    }

    public State state() {
        return state;
    }

    public boolean running() {
        return state == State.RUNNING;
    }

    /** The running node, empty unless {@link #running()}. */
    public Optional<SubnetNode> subnetNode() {
        return state == State.RUNNING ? Optional.ofNullable(node) : Optional.empty();
    }

    /** The node's own chain client, empty unless {@link #running()}. */
    public Optional<ChainClient> chainClient() {
        return state == State.RUNNING ? Optional.ofNullable(client) : Optional.empty();
    }

    /** The node's actual addresses (with /p2p/ id) while it runs. */
    public Optional<Multiaddr> address() {
        return subnetNode().map(n -> n.context().host().listenAddresses().get(0));
    }

    /** {@code c}: the node's chain client; {@code connection}: what closing its chain connection closes. */
    void started(SubnetNode n, ChainClient c, AutoCloseable connection) {
        this.node = n;
        this.client = c;
        this.connection = connection;
        this.state = State.RUNNING;
    }

    /** Stops the node; {@code abrupt}: its chain connection and sockets go first, without an orderly goodbye. */
    synchronized void stop(boolean abrupt) {
        if (state != State.RUNNING) return;
        SubnetNode n = node;
        AutoCloseable c = connection;
        state = abrupt ? State.KILLED : State.STOPPED;
        if (abrupt) {
            closeQuietly(c);
            n.context().host().close();
        }
        n.close();
        closeQuietly(c);
        node = null;
        client = null;
        connection = null;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing a connection that is already gone
        }
    }

    @Override
    public String toString() {
        return "n" + index + " (node " + subnetNodeId + ", " + peerId() + ", " + state + ")";
    }
}
