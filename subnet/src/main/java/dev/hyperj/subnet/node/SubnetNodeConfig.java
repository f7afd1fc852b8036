package dev.hyperj.subnet.node;

import dev.hyperj.chain.tx.Signer;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.gossipsub.GossipConfig;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.subnet.api.NodeApiConfig;
import dev.hyperj.subnet.peers.MaintenanceConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a subnet node runs.
 *
 * @param subnetId   the subnet
 * @param identity   the libp2p key (its peer id is the one registered on chain)
 * @param signer     the chain key of the node (its hotkey, or its validator's) for propose/attest
 * @param listen     listen addresses, e.g. /ip4/0.0.0.0/tcp/38960
 * @param bootstrap  peers to dial first (with /p2p/ ids); they are admitted by the stake gate
 * @param storage    the application's directory
 * @param gossip     gossipsub parameters
 * @param stakeCheckTimeout how long the chain may take to answer a stake check (deny after)
 * @param maintenance connection maintenance (SUBNET.md's numbers by default)
 * @param api        the network API (HTTP) and the API-protocol routes served to peers (none by default)
 */
public record SubnetNodeConfig(
        int subnetId,
        PrivateKey identity,
        Signer signer,
        List<Multiaddr> listen,
        List<Multiaddr> bootstrap,
        Path storage,
        GossipConfig gossip,
        Duration stakeCheckTimeout,
        MaintenanceConfig maintenance,
        NodeApiConfig api) {
    public SubnetNodeConfig {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(gossip, "gossip");
        Objects.requireNonNull(maintenance, "maintenance");
        listen = List.copyOf(listen);
        bootstrap = List.copyOf(bootstrap);
        for (Multiaddr b : bootstrap) {
            if (b.peerId().isEmpty())
                throw new IllegalArgumentException("a bootstrap address needs /p2p/<peer id>: " + b);
        }
        if (listen.isEmpty()) throw new IllegalArgumentException("listen on at least one address");
    }

    /** Without a network API. */
    public SubnetNodeConfig(
            int subnetId,
            PrivateKey identity,
            Signer signer,
            List<Multiaddr> listen,
            List<Multiaddr> bootstrap,
            Path storage,
            GossipConfig gossip,
            Duration stakeCheckTimeout,
            MaintenanceConfig maintenance) {
        this(
                subnetId,
                identity,
                signer,
                listen,
                bootstrap,
                storage,
                gossip,
                stakeCheckTimeout,
                maintenance,
                NodeApiConfig.disabled());
    }

    /** As before connection maintenance was configurable: its defaults. */
    public SubnetNodeConfig(
            int subnetId,
            PrivateKey identity,
            Signer signer,
            List<Multiaddr> listen,
            List<Multiaddr> bootstrap,
            Path storage,
            GossipConfig gossip,
            Duration stakeCheckTimeout) {
        this(
                subnetId,
                identity,
                signer,
                listen,
                bootstrap,
                storage,
                gossip,
                stakeCheckTimeout,
                MaintenanceConfig.defaults());
    }

    /** Loopback on a free port, SUBNET.md's gossip parameters, 3 s stake checks. */
    public static SubnetNodeConfig of(int subnetId, PrivateKey identity, Signer signer, Path storage) {
        return new SubnetNodeConfig(
                subnetId,
                identity,
                signer,
                List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")),
                List.of(),
                storage,
                GossipConfig.defaults(),
                Duration.ofSeconds(3),
                MaintenanceConfig.defaults());
    }

    public SubnetNodeConfig withBootstrap(List<Multiaddr> peers) {
        return new SubnetNodeConfig(
                subnetId, identity, signer, listen, peers, storage, gossip, stakeCheckTimeout, maintenance, api);
    }

    public SubnetNodeConfig withListen(List<Multiaddr> addresses) {
        return new SubnetNodeConfig(
                subnetId, identity, signer, addresses, bootstrap, storage, gossip, stakeCheckTimeout, maintenance, api);
    }

    public SubnetNodeConfig withStakeCheckTimeout(Duration timeout) {
        return new SubnetNodeConfig(
                subnetId, identity, signer, listen, bootstrap, storage, gossip, timeout, maintenance, api);
    }

    public SubnetNodeConfig withGossip(GossipConfig g) {
        return new SubnetNodeConfig(
                subnetId, identity, signer, listen, bootstrap, storage, g, stakeCheckTimeout, maintenance, api);
    }

    public SubnetNodeConfig withMaintenance(MaintenanceConfig m) {
        return new SubnetNodeConfig(
                subnetId, identity, signer, listen, bootstrap, storage, gossip, stakeCheckTimeout, m, api);
    }

    /** With a network API and/or API-protocol routes. */
    public SubnetNodeConfig withApi(NodeApiConfig a) {
        return new SubnetNodeConfig(
                subnetId, identity, signer, listen, bootstrap, storage, gossip, stakeCheckTimeout, maintenance, a);
    }
}
