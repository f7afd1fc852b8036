package dev.hyperj.chain.substrate;

import static org.junit.jupiter.api.Assertions.*;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.tx.Secp256k1;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hypertensor's real runtime (the published Hoskinson spec) under Chopsticks, through {@link SubstrateNode}. */
@Timeout(value = 200, unit = TimeUnit.SECONDS)
class HoskinsonChopsticksTest {
    static final BigInteger TENSOR = BigInteger.TEN.pow(18);
    static Chopsticks chain;
    static SubstrateNode node;

    @BeforeAll
    @Timeout(value = 15, unit = TimeUnit.MINUTES) // the first run may install chopsticks
    static void start() throws Exception {
        chain = Chopsticks.start("Instant");
        node = SubstrateNode.connect(chain.ws());
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) node.close();
        if (chain != null) chain.close();
    }

    static BigInteger free(AccountId a) {
        Map<?, ?> info = (Map<?, ?>) node.storageOrDefault("System", "Account", a);
        return (BigInteger) ((Map<?, ?>) info.get("data")).get("free");
    }

    @Test
    void metadataDescribesHypertensorsRuntime() {
        assertEquals("hypertensor-node", node.runtime().version().specName());
        Metadata md = node.metadata();
        assertTrue(md.version() == 14 || md.version() == 15, "version " + md.version());
        Metadata.Pallet network = md.pallet("Network");
        assertEquals(23, network.index());
        assertEquals(
                165, md.types().enumOf(network.calls().orElseThrow()).variants().size());
        assertEquals(207, network.storage().size());
        assertEquals(20L, ((Number) node.constant("Network", "EpochLength")).longValue());
        assertEquals(
                java.util.List.of(
                        "CheckNonZeroSender",
                        "CheckSpecVersion",
                        "CheckTxVersion",
                        "CheckGenesis",
                        "CheckMortality",
                        "CheckNonce",
                        "CheckWeight",
                        "ChargeTransactionPayment"),
                md.signedExtensions().stream()
                        .map(Metadata.SignedExtension::identifier)
                        .toList());
        assertEquals(
                Metadata.Hasher.BLAKE2_128_CONCAT,
                md.storage("System", "Account").hashers().get(0));
    }

    @Test
    void alithIsFundedAtGenesis() {
        assertTrue(free(DevAccounts.ALITH.account()).compareTo(TENSOR) > 0);
    }

    @Test
    void signedTransferLandsInABlockWithItsEvents() throws Exception {
        Secp256k1 alith = Secp256k1.fromPrivateKey(DevAccounts.ALITH.privateKey());
        AccountId to = Secp256k1.generate(new SecureRandom()).account();
        BigInteger amount = TENSOR.multiply(BigInteger.valueOf(3));
        ExtrinsicResult r = node.submit(alith, "Balances", "transfer_keep_alive", Map.of("dest", to, "value", amount))
                .get(150, TimeUnit.SECONDS);
        assertTrue(r.ok(), () -> "failed: " + r.error());
        assertEquals(amount, free(to));
        var transfers = r.events("Balances", "Transfer");
        assertEquals(1, transfers.size(), r.events().toString());
        assertArrayEquals(to.bytes(), (byte[]) transfers.get(0).fields().get("to"));
        assertFalse(r.events("System", "ExtrinsicSuccess").isEmpty());
    }

    @Test
    void aFailingCallReportsItsErrorByNameWithTheRuntimesDocs() throws Exception {
        Secp256k1 alith = Secp256k1.fromPrivateKey(DevAccounts.ALITH.privateKey());
        long nonceBefore = node.nextNonce(alith.account());
        ExtrinsicResult r = node.submit(alith, "Network", "activate_subnet", Map.of("subnet_id", 4_000_000L))
                .get(150, TimeUnit.SECONDS);
        assertFalse(r.ok());
        ModuleError e = r.error().orElseThrow();
        assertEquals("Network", e.pallet());
        // the runtime checks ownership first: no one owns a subnet that does not exist
        assertEquals("NotSubnetOwner", e.name(), e.describe());
        assertEquals("Network.NotSubnetOwner: Not subnet owner", e.describe());
        assertFalse(r.events("System", "ExtrinsicFailed").isEmpty());
        assertEquals(nonceBefore + 1, node.nextNonce(alith.account()), "a failed call still uses its nonce");
    }

    @Test
    void aWrongArgumentIsRefusedBeforeAnythingIsSignedOrSent() {
        Secp256k1 alith = Secp256k1.fromPrivateKey(DevAccounts.ALITH.privateKey());
        long nonceBefore = node.nextNonce(alith.account());
        MetadataException e = assertThrows(
                MetadataException.class,
                () -> node.submit(alith, "Network", "activate_subnet", Map.of("subnet_id", "one")));
        assertTrue(e.getMessage().contains("subnet_id"), e.getMessage());
        assertThrows(MetadataException.class, () -> node.submit(alith, "Network", "register_validator", Map.of()));
        assertEquals(nonceBefore, node.nextNonce(alith.account()));
    }

    @Test
    void aMortalTransactionIsAcceptedWithinItsEra() throws Exception {
        Secp256k1 alith = Secp256k1.fromPrivateKey(DevAccounts.ALITH.privateKey());
        AccountId to = Secp256k1.generate(new SecureRandom()).account();
        chain.newBlocks(3);
        ExtrinsicResult r = node.submit(
                        alith,
                        "Balances",
                        "transfer_keep_alive",
                        Map.of("dest", to, "value", TENSOR),
                        java.util.Optional.of(64))
                .get(150, TimeUnit.SECONDS);
        assertTrue(r.ok(), () -> "failed: " + r.error());
        assertEquals(TENSOR, free(to));
    }

    @Test
    void theRealMetadataTruncatedOrCorruptedAnywhereEndsInAMetadataException() {
        byte[] blob = dev.hyperj.chain.rpc.ChainJson.unhex(
                node.call("state_getMetadata").asText());
        assertEquals(14, Metadata.decode(blob).version());
        java.util.Random random = new java.util.Random(15);
        for (int i = 0; i < 200; i++) {
            int cut = random.nextInt(blob.length);
            byte[] truncated = java.util.Arrays.copyOf(blob, cut);
            assertThrows(MetadataException.class, () -> Metadata.decode(truncated), "cut at " + cut);
        }
        for (int i = 0; i < 200; i++) {
            byte[] corrupt = blob.clone();
            int at = 5 + random.nextInt(blob.length - 5);
            corrupt[at] = (byte) random.nextInt(256);
            try {
                Metadata.decode(corrupt); // a flipped doc character still decodes: fine
            } catch (MetadataException expected) {
                // a clear refusal: fine; anything else (OutOfMemoryError, ClassCast, NPE) fails the test
            }
        }
    }

    @Test
    void aWrongGenesisIsRefusedBeforeAnythingIsSent() {
        byte[] other = node.genesisHash();
        other[0] ^= 1;
        var e = assertThrows(
                dev.hyperj.chain.client.ChainClientException.class, () -> SubstrateNode.connect(chain.ws(), other));
        assertTrue(e.getMessage().contains("runs another chain"), e.getMessage());
        try (SubstrateNode same = SubstrateNode.connect(chain.ws(), node.genesisHash())) {
            assertEquals(node.runtime().version(), same.runtime().version());
        }
    }

    @Test
    void theKnownRuntimeIsRecognisedAndItsApiOffered() {
        assertEquals(
                HypertensorRuntime.HOSKINSON,
                HypertensorRuntime.of(node.runtime().version(), node.metadata()));
        assertEquals(16, node.metadata().apis().get(NetworkApi.API).methods().size());
        assertEquals(
                NetworkApi.functions().size(),
                node.metadata().apis().get(NetworkApi.API).methods().size());
        RuntimeVersion next = new RuntimeVersion("hypertensor-node", "hypertensor-node", 2, 1);
        var e = assertThrows(MetadataException.class, () -> HypertensorRuntime.of(next, node.metadata()));
        assertTrue(e.getMessage().contains("does not know"), e.getMessage());
    }
}
