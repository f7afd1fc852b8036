package dev.hyperj.subnet.peers;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.runtime.Model.PeerInfo;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.p2p.bytes.Bytes;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.epoch.SubnetSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subnet's peers as the chain lists them at one block.
 *
 * @param block     the block read
 * @param all       every peer id the chain knows for the subnet: nodes' main, bootnode and client
 *                  ids, bootnodes, overwatch peers (peers outside it are pruned)
 * @param dialable  the ones worth dialling: nodes' main and bootnode ids and the subnet's
 *                  bootnodes (clients and overwatch agents dial us, not the other way round)
 * @param addresses the multiaddrs the chain stores for them, with {@code /p2p/<id>}
 */
record OnChainPeers(long block, Set<PeerId> all, Set<PeerId> dialable, Map<PeerId, List<Multiaddr>> addresses) {
    private static final Logger log = LoggerFactory.getLogger(OnChainPeers.class);

    OnChainPeers {
        all = Set.copyOf(all);
        dialable = Set.copyOf(dialable);
        addresses = Map.copyOf(addresses);
    }

    static OnChainPeers empty() {
        return new OnChainPeers(-1, Set.of(), Set.of(), Map.of());
    }

    /** Reads the subnet's nodes, bootnodes and overwatch peers from the chain now. */
    static OnChainPeers read(ChainClient chain, int subnetId) {
        return of(SubnetSnapshot.read(chain, subnetId, chain.blockNumber()));
    }

    /** The same from an epoch snapshot (read by the epoch tracker at {@code snapshot.block()}). */
    static OnChainPeers of(SubnetSnapshot snapshot) {
        Builder b = new Builder();
        for (SubnetNodeInfo n : snapshot.nodes()) b.node(n);
        Map<String, Bytes> official = snapshot.subnet().map(s -> s.bootnodes()).orElse(Map.of());
        for (String p : snapshot.bootnodes()) b.add(p, Optional.ofNullable(official.get(p)), true);
        for (String p : snapshot.overwatchPeers()) b.add(p, Optional.empty(), false);
        return b.build(snapshot.block());
    }

    private static final class Builder {
        final Set<PeerId> all = new LinkedHashSet<>();
        final Set<PeerId> dialable = new HashSet<>();
        final Map<PeerId, List<Multiaddr>> addresses = new HashMap<>();

        void node(SubnetNodeInfo n) {
            add(n.node().peerInfo(), true);
            n.node().bootnodePeerInfo().ifPresent(p -> add(p, true));
            n.node().clientPeerInfo().ifPresent(p -> add(p, false));
        }

        void add(PeerInfo info, boolean dial) {
            add(info.peerId(), info.multiaddr(), dial);
        }

        /** Chain texts are whatever a registrant wrote: skip what does not parse. */
        void add(String peerText, Optional<Bytes> multiaddr, boolean dial) {
            PeerId peer;
            try {
                peer = PeerId.parse(peerText);
            } catch (IllegalArgumentException e) {
                log.debug("on-chain peer id does not parse, skipped: {}", peerText);
                return;
            }
            all.add(peer);
            if (dial) dialable.add(peer);
            if (multiaddr.isEmpty()) return;
            try {
                Multiaddr a = Multiaddr.fromBytes(multiaddr.get().value());
                Optional<PeerId> named = a.peerId();
                if (named.isPresent() && !named.get().equals(peer)) {
                    log.debug("on-chain multiaddr {} names another peer than {}, skipped", a, peer);
                    return;
                }
                List<Multiaddr> list = addresses.computeIfAbsent(peer, k -> new ArrayList<>());
                Multiaddr full = a.withoutPeerId().withPeerId(peer);
                if (!list.contains(full)) list.add(full);
            } catch (IllegalArgumentException e) {
                log.debug("on-chain multiaddr of {} does not parse, skipped: {}", peer, e.getMessage());
            }
        }

        OnChainPeers build(long block) {
            Map<PeerId, List<Multiaddr>> copy = new HashMap<>();
            addresses.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            return new OnChainPeers(block, all, dialable, copy);
        }
    }
}
