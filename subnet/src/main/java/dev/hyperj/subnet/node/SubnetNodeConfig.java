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
 * How a subnet node runs. Made with {@link #builder} (or {@link #of} for the defaults) and changed
 * with {@link #toBuilder}; the constructor checks every value, so no config that would fail at
 * start exists.
 *
 * @param subnetId   the subnet
 * @param identity   the libp2p key (its peer id is the one registered on chain)
 * @param signer     the chain key of the node (its hotkey, or its validator's) for propose/attest
 * @param listen     listen addresses, e.g. /ip4/0.0.0.0/tcp/38960 (at least one)
 * @param bootstrap  peers to dial first (each with its /p2p/ id); they are admitted by the stake gate
 * @param storage    the application's directory
 * @param gossip     gossipsub parameters
 * @param stakeCheckTimeout how long the chain may take to answer a stake check (deny after); positive
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
        if (subnetId < 1) throw new IllegalArgumentException("subnet ids start at 1: " + subnetId);
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(gossip, "gossip");
        Objects.requireNonNull(stakeCheckTimeout, "stakeCheckTimeout");
        Objects.requireNonNull(maintenance, "maintenance");
        Objects.requireNonNull(api, "api");
        listen = List.copyOf(listen);
        bootstrap = List.copyOf(bootstrap);
        for (Multiaddr b : bootstrap) {
            if (b.peerId().isEmpty())
                throw new IllegalArgumentException("a bootstrap address needs /p2p/<peer id>: " + b);
        }
        if (listen.isEmpty()) throw new IllegalArgumentException("listen on at least one address");
        if (stakeCheckTimeout.isNegative() || stakeCheckTimeout.isZero())
            throw new IllegalArgumentException("the stake check timeout must be positive: " + stakeCheckTimeout);
    }

    /**
     * The defaults for a node of {@code subnetId}: loopback on a free port, no bootstrap peers,
     * SUBNET.md's gossip and maintenance numbers, 3 s stake checks, no network API.
     */
    public static Builder builder(int subnetId, PrivateKey identity, Signer signer, Path storage) {
        return new Builder(subnetId, identity, signer, storage);
    }

    /** The defaults of {@link #builder}, built. */
    public static SubnetNodeConfig of(int subnetId, PrivateKey identity, Signer signer, Path storage) {
        return builder(subnetId, identity, signer, storage).build();
    }

    /** A builder holding these values; {@link Builder#build()} checks them as the constructor does. */
    public Builder toBuilder() {
        return new Builder(subnetId, identity, signer, storage)
                .listen(listen)
                .bootstrap(bootstrap)
                .gossip(gossip)
                .stakeCheckTimeout(stakeCheckTimeout)
                .maintenance(maintenance)
                .api(api);
    }

    /** Values to change before {@link #build()}, which validates them all at once. */
    public static final class Builder {
        private final int subnetId;
        private final PrivateKey identity;
        private final Signer signer;
        private final Path storage;
        private List<Multiaddr> listen = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        private List<Multiaddr> bootstrap = List.of();
        private GossipConfig gossip = GossipConfig.defaults();
        private Duration stakeCheckTimeout = Duration.ofSeconds(3);
        private MaintenanceConfig maintenance = MaintenanceConfig.defaults();
        private NodeApiConfig api = NodeApiConfig.disabled();

        private Builder(int subnetId, PrivateKey identity, Signer signer, Path storage) {
            this.subnetId = subnetId;
            this.identity = identity;
            this.signer = signer;
            this.storage = storage;
        }

        public Builder listen(List<Multiaddr> addresses) {
            this.listen = addresses;
            return this;
        }

        public Builder bootstrap(List<Multiaddr> peers) {
            this.bootstrap = peers;
            return this;
        }

        public Builder gossip(GossipConfig g) {
            this.gossip = g;
            return this;
        }

        public Builder stakeCheckTimeout(Duration timeout) {
            this.stakeCheckTimeout = timeout;
            return this;
        }

        public Builder maintenance(MaintenanceConfig m) {
            this.maintenance = m;
            return this;
        }

        /** A network API and/or API-protocol routes. */
        public Builder api(NodeApiConfig a) {
            this.api = a;
            return this;
        }

        public SubnetNodeConfig build() {
            return new SubnetNodeConfig(
                    subnetId,
                    identity,
                    signer,
                    listen,
                    bootstrap,
                    storage,
                    gossip,
                    stakeCheckTimeout,
                    maintenance,
                    api);
        }
    }
}
