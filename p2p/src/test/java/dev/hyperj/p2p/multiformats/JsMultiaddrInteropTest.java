package dev.hyperj.p2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.interop.JsInterop;
import dev.hyperj.p2p.peer.PeerId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Multiaddr binary forms and peer id text forms against js-libp2p's @multiformats/multiaddr and @libp2p/peer-id. */
@Timeout(180)
class JsMultiaddrInteropTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void javaAndJsAgreeOnMultiaddrBytes() throws Exception {
        List<Multiaddr> addrs = new ArrayList<>();
        PeerId ed = PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
        PeerId secp = PeerId.fromPublicKey(Keys.generate(KeyType.SECP256K1).publicKey());
        PeerId rsa = PeerId.parse("QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC");
        for (String s : List.of(
                "/ip4/127.0.0.1/tcp/4001/p2p/" + ed,
                "/ip6/::1/udp/4001/quic-v1/p2p/" + secp,
                "/dns4/boot.example.org/tcp/443/wss/p2p/" + rsa,
                "/dns6/x.example/tcp/80/ws",
                "/dnsaddr/bootstrap.libp2p.io",
                "/dns/host.example/tcp/1",
                "/ip4/0.0.0.0/tcp/0",
                "/ip6/2001:db8::ff00:42:8329/tcp/65535/tls/ws",
                "/ip4/1.2.3.4/udp/9/quic",
                "/ip4/1.2.3.4/tcp/1/noise",
                "/p2p/" + ed + "/p2p-circuit/p2p/" + secp,
                "/ip6/::ffff:10.0.0.1/tcp/7")) {
            addrs.add(Multiaddr.parse(s));
        }
        Random random = new Random(42);
        for (int i = 0; i < 40; i++) {
            byte[] v4 = new byte[4];
            byte[] v6 = new byte[16];
            random.nextBytes(v4);
            random.nextBytes(v6);
            if (i % 3 == 0) {
                java.util.Arrays.fill(v6, 4, 12, (byte) 0); // exercise "::" compression
            }
            addrs.add(Multiaddr.parse(
                    "/ip4/" + IpText.formatIp4(v4, 0) + "/tcp/" + random.nextInt(65536) + "/p2p/" + ed));
            addrs.add(Multiaddr.parse("/ip6/" + IpText.formatIp6(v6) + "/udp/" + random.nextInt(65536) + "/quic-v1"));
        }

        ObjectNode request = JsInterop.json().createObjectNode();
        request.put("message", "00");
        ArrayNode texts = request.putArray("multiaddrs");
        ArrayNode bytes = request.putArray("multiaddrBytes");
        for (Multiaddr m : addrs) {
            texts.add(m.toString());
            bytes.add(HEX.formatHex(m.bytes()));
        }
        JsonNode answer = JsInterop.run("keys.mjs", request);
        for (int i = 0; i < addrs.size(); i++) {
            Multiaddr m = addrs.get(i);
            JsonNode fromText = answer.get("multiaddrs").get(i);
            assertThat(fromText.has("error"))
                    .as("js parses " + m + ": " + fromText)
                    .isFalse();
            assertThat(fromText.get("bytes").asText()).as("bytes of " + m).isEqualTo(HEX.formatHex(m.bytes()));
            // js's text of our bytes means the same address to us (js prints IPv4-mapped IPv6 in hex)
            String jsText = answer.get("multiaddrBytes").get(i).get("text").asText();
            assertThat(Multiaddr.parse(jsText)).as("js text " + jsText).isEqualTo(m);
        }
    }

    @Test
    void javaAndJsAgreeOnPeerIdTextForms() throws Exception {
        List<PeerId> ids = new ArrayList<>();
        for (KeyType t : List.of(KeyType.ED25519, KeyType.SECP256K1, KeyType.RSA)) {
            ids.add(PeerId.fromPublicKey(Keys.generate(t).publicKey()));
        }
        ids.add(PeerId.parse("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe"));
        ObjectNode request = JsInterop.json().createObjectNode();
        request.put("message", "00");
        ArrayNode texts = request.putArray("peerIds");
        for (PeerId id : ids) {
            texts.add(id.toCid()); // js parses our CID form and prints both forms
        }
        JsonNode answer = JsInterop.run("keys.mjs", request).get("peerIds");
        for (int i = 0; i < ids.size(); i++) {
            assertThat(answer.get(i).get("base58").asText())
                    .isEqualTo(ids.get(i).toBase58());
            assertThat(answer.get(i).get("cid").asText()).isEqualTo(ids.get(i).toCid());
        }
    }
}
