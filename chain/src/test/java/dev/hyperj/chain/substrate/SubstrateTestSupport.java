package dev.hyperj.chain.substrate;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.runtime.TestPeers;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class SubstrateTestSupport {
    private SubstrateTestSupport() {}

    /** An account's free balance, from System.Account. */
    static BigInteger free(SubstrateNode node, AccountId a) {
        Map<?, ?> info = (Map<?, ?>) node.storageOrDefault("System", "Account", a);
        return (BigInteger) ((Map<?, ?>) info.get("data")).get("free");
    }

    static final BigInteger TENSOR = BigInteger.TEN.pow(18);

    /**
     * {@code register_subnet}'s {@code subnet_data}: stakes from 100 to 1000 TENSOR, 10% to
     * delegators, each initial coldkey allowed one node, one bootnode.
     */
    static Map<String, Object> subnetData(
            String name, String repo, String description, List<AccountId> initialColdkeys, int bootnodeSeed) {
        Map<Object, Object> initial = new LinkedHashMap<>();
        for (AccountId c : initialColdkeys) initial.put(c, 1L);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", name.getBytes(StandardCharsets.UTF_8));
        data.put("repo", repo.getBytes(StandardCharsets.UTF_8));
        data.put("description", description.getBytes(StandardCharsets.UTF_8));
        data.put("misc", new byte[0]);
        data.put("min_stake", TENSOR.multiply(BigInteger.valueOf(100)));
        data.put("max_stake", TENSOR.multiply(BigInteger.valueOf(1000)));
        data.put("delegate_stake_percentage", TENSOR.divide(BigInteger.TEN));
        data.put("initial_coldkeys", initial);
        data.put(
                "bootnodes",
                Map.of(
                        TestPeers.peerId(bootnodeSeed).getBytes(StandardCharsets.US_ASCII),
                        TestPeers.multiaddr(40000 + bootnodeSeed).value()));
        return data;
    }

    /** {@code register_subnet_node}'s arguments: 100 TENSOR of stake, no delegation, no bootnode or client peer. */
    static Map<String, Object> nodeArgs(long subnetId, AccountId hotkey, Map<String, Object> peerInfo) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("subnet_id", subnetId);
        args.put("hotkey", hotkey);
        args.put("peer_info", peerInfo);
        args.put("bootnode_peer_info", Optional.empty());
        args.put("client_peer_info", Optional.empty());
        args.put("delegate_reward_rate", BigInteger.ZERO);
        args.put("stake_to_be_added", TENSOR.multiply(BigInteger.valueOf(100)));
        args.put("unique", Optional.empty());
        args.put("non_unique", Optional.empty());
        args.put("delegate_account", Optional.empty());
        args.put("max_burn_amount", TENSOR.multiply(BigInteger.valueOf(100)));
        return args;
    }
}
