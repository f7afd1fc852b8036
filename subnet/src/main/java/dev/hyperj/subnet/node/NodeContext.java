package dev.hyperj.subnet.node;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.p2p.gossipsub.GossipSub;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.kad.KadDht;
import dev.hyperj.subnet.api.ApiRoutes;
import dev.hyperj.subnet.consensus.HeartbeatLog;
import dev.hyperj.subnet.dag.commit.CommitReveal;
import dev.hyperj.subnet.dag.sync.DagService;
import dev.hyperj.subnet.epoch.EpochTracker;
import dev.hyperj.subnet.peers.ConnectionMaintainer;
import java.nio.file.Path;
import java.util.Optional;

/** What a {@link SubnetApplication} gets from its node. */
public interface NodeContext {
    int subnetId();

    Host host();

    KadDht dht();

    GossipSub gossip();

    ChainClient chain();

    /** Epoch events and the current position of the subnet. */
    EpochTracker epochs();

    /** Heartbeats heard per epoch (the default scorer's input). */
    HeartbeatLog heartbeats();

    /** A directory of the node's own for the application's data. */
    Path storage();

    /**
     * The node's network API: routes added here are served by the node's HTTP server next to its
     * own {@code /v1/...} routes and listed in {@code /v1/openapi.json}.
     */
    ApiRoutes api();

    /** Connection maintenance, once the node has bootstrapped (empty before, e.g. during setup). */
    default Optional<ConnectionMaintainer> maintainer() {
        return Optional.empty();
    }

    /**
     * The subnet's Merkle DAG: {@code dag().register(namespace, schema)} in setup, then
     * {@code dag().publish(...)} signed nodes, read {@code dag().dag()} (heads, nodes, state). Synced
     * with the other nodes by gossip and {@code /subnet/merkle_dag_sync_protocol/1.0.0}.
     */
    DagService dag();

    /** Commit/reveal over the DAG: {@code commit(epoch, value)} early in an epoch, {@code reveals}/{@code scores} after. */
    CommitReveal commitReveal();

    /**
     * Lets the DHT store and serve records under {@code /namespace/...}, judged by {@code validator}
     * (keys of namespaces without a validator are refused). Call it in setup; a namespace has one
     * validator ("pk" is built in).
     */
    void dhtValidator(String namespace, dev.hyperj.p2p.kad.RecordValidator validator);
}
