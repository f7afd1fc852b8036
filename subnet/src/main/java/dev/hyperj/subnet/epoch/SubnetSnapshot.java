package dev.hyperj.subnet.epoch;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.Model.PeerInfo;
import dev.hyperj.chain.runtime.NetworkReads.OverwatchNodeInfo;
import dev.hyperj.chain.runtime.NetworkReads.SubnetInfo;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the chain said about a subnet at one block, read once per subnet epoch.
 *
 * @param subnetId      the subnet
 * @param block         the block the reads were made at (or just after)
 * @param subnet        the subnet's info; empty if it does not exist (any more)
 * @param nodes         its nodes, by id
 * @param bootnodes     peer ids of the official bootnodes and of the nodes' bootnode peer infos
 * @param overwatchPeers peer ids the overwatch nodes registered for this subnet
 */
public record SubnetSnapshot(
        int subnetId,
        long block,
        Optional<SubnetInfo> subnet,
        List<SubnetNodeInfo> nodes,
        Set<String> bootnodes,
        Set<String> overwatchPeers) {
    public SubnetSnapshot {
        nodes = List.copyOf(nodes);
        bootnodes = Set.copyOf(bootnodes);
        overwatchPeers = Set.copyOf(overwatchPeers);
    }

    /** Reads the subnet, its nodes, bootnodes and overwatch peers from the chain now, labelled as of {@code block}. */
    public static SubnetSnapshot read(ChainClient chain, int subnetId, long block) {
        Optional<SubnetInfo> info = chain.subnet(subnetId);
        List<SubnetNodeInfo> nodes = chain.subnetNodes(subnetId);
        Set<String> bootnodes = new HashSet<>(chain.bootnodes(subnetId).keySet());
        Set<String> overwatch = new HashSet<>();
        for (OverwatchNodeInfo o : chain.overwatchNodes()) {
            String p = o.peerIds().get(subnetId);
            if (p != null) overwatch.add(p);
        }
        return new SubnetSnapshot(subnetId, block, info, nodes, bootnodes, overwatch);
    }

    /** The node whose main peer id is {@code peerId}. */
    public Optional<SubnetNodeInfo> nodeByPeerId(String peerId) {
        return nodes.stream()
                .filter(n -> n.node().peerInfo().peerId().equals(peerId))
                .findFirst();
    }

    public Optional<SubnetNodeInfo> node(int subnetNodeId) {
        return nodes.stream().filter(n -> n.node().id() == subnetNodeId).findFirst();
    }

    /** Nodes whose class is at least {@code c} (classes as stored; the runtime may date them from a later epoch). */
    public List<SubnetNodeInfo> nodesAtLeast(NodeClass c) {
        return nodes.stream()
                .filter(n -> n.node().nodeClass().compareTo(c) >= 0)
                .toList();
    }

    /** Every peer id the chain knows for the subnet: nodes' main, bootnode and client ids, bootnodes, overwatch peers. */
    public Set<String> onChainPeerIds() {
        Set<String> out = new LinkedHashSet<>();
        for (SubnetNodeInfo n : nodes) {
            out.add(n.node().peerInfo().peerId());
            n.node().bootnodePeerInfo().map(PeerInfo::peerId).ifPresent(out::add);
            n.node().clientPeerInfo().map(PeerInfo::peerId).ifPresent(out::add);
        }
        out.addAll(bootnodes);
        out.addAll(overwatchPeers);
        return out;
    }

    /** Peers a proof-of-stake gate admits without asking: bootnodes and overwatch peers. */
    public Set<String> alwaysAdmitted() {
        Set<String> out = new LinkedHashSet<>(bootnodes);
        out.addAll(overwatchPeers);
        return out;
    }
}
