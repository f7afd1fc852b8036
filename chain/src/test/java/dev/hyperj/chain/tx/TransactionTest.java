package dev.hyperj.chain.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Call;
import java.security.SecureRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class TransactionTest {
    static final byte[] GENESIS = new byte[32];
    static final Secp256k1 ALITH = Secp256k1.fromPrivateKey(DevAccounts.ALITH.privateKey());

    @Test
    void signerAccountIsTheEthereumAddressOfTheDevKey() {
        // Alith's well-known address (Moonbeam dev accounts)
        assertThat(ALITH.account().toHex()).isEqualTo("0xf24ff3a9cf04c71dbc94d0b566f7a27b94566cac");
    }

    @Test
    void roundTripAndSignatureChecks() {
        Call call = new Call.Transfer(DevAccounts.BALTATHAR.account(), U128.tensor(5));
        Transaction tx = Transaction.sign(ALITH, "hyperj-dev", GENESIS, 7, call);
        Transaction back = Transaction.decode(tx.encode());
        assertThat(back).isEqualTo(tx);
        assertThat(back.signatureValid()).isTrue();
        assertThat(back.nonce()).isEqualTo(7);
        // another chain id or genesis in the payload: the same signature no longer verifies
        assertThat(new Transaction("other", GENESIS, tx.signer(), 7, call, tx.signature()).signatureValid())
                .isFalse();
        byte[] g2 = GENESIS.clone();
        g2[0] = 1;
        assertThat(new Transaction("hyperj-dev", g2, tx.signer(), 7, call, tx.signature()).signatureValid())
                .isFalse();
        assertThat(new Transaction("hyperj-dev", GENESIS, tx.signer(), 8, call, tx.signature()).signatureValid())
                .isFalse();
        // someone else's key claiming to be Alith
        Secp256k1 mallory = Secp256k1.generate(new SecureRandom());
        Transaction forged = Transaction.sign(mallory, "hyperj-dev", GENESIS, 7, call);
        assertThat(new Transaction("hyperj-dev", GENESIS, ALITH.account(), 7, call, forged.signature())
                        .signatureValid())
                .isFalse();
        // high-s (malleated) signatures are refused
        byte[] sig = tx.signature();
        java.math.BigInteger s = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
        byte[] highS = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(
                32, Secp256k1.CURVE.getN().subtract(s));
        System.arraycopy(highS, 0, sig, 32, 32);
        sig[64] ^= 1;
        assertThat(Secp256k1.recover(Transaction.payload("hyperj-dev", GENESIS, 7, call), sig))
                .isEmpty();
    }

    @Test
    void oversizedAndTrailingBytesAreMalformed() {
        assertThatThrownBy(() -> Transaction.decode(new byte[Transaction.MAX_BYTES + 1]))
                .isInstanceOf(TxException.class)
                .hasMessageContaining("exceeds");
        byte[] ok = Transaction.sign(ALITH, "c", GENESIS, 0, new Call.ClaimUnbondings())
                .encode();
        byte[] longer = java.util.Arrays.copyOf(ok, ok.length + 1);
        assertThatThrownBy(() -> Transaction.decode(longer))
                .isInstanceOf(TxException.class)
                .satisfies(e -> assertThat(((TxException) e).reason()).isEqualTo(TxException.Reason.Malformed));
    }

    @Property(tries = 300)
    void randomBytesOnlyEverThrowTxException(@ForAll byte[] bytes) {
        try {
            Transaction.decode(bytes);
        } catch (TxException e) {
            assertThat(e.reason()).isEqualTo(TxException.Reason.Malformed);
        }
    }

    @Property(tries = 300)
    void mutatedTransactionsDecodeOrThrowTxException(@ForAll("mutations") int[] m) {
        byte[] b = Transaction.sign(
                        ALITH,
                        "hyperj-dev",
                        GENESIS,
                        3,
                        new Call.Transfer(DevAccounts.CHARLETH.account(), U128.tensor(1)))
                .encode();
        int pos = Math.floorMod(m[0], b.length);
        b[pos] = (byte) m[1];
        byte[] cut = java.util.Arrays.copyOf(b, Math.floorMod(m[2], b.length + 1));
        try {
            Transaction t = Transaction.decode(cut);
            // a decodable mutation may decode, but then never verifies unless unchanged
            if (!java.util.Arrays.equals(
                    cut,
                    Transaction.sign(
                                    ALITH,
                                    "hyperj-dev",
                                    GENESIS,
                                    3,
                                    new Call.Transfer(DevAccounts.CHARLETH.account(), U128.tensor(1)))
                            .encode())) {
                assertThat(t.signatureValid()
                                && t.signer().equals(ALITH.account())
                                && t.chainId().equals("hyperj-dev")
                                && t.nonce() == 3
                                && t.call().equals(new Call.Transfer(DevAccounts.CHARLETH.account(), U128.tensor(1))))
                        .isFalse();
            }
        } catch (TxException e) {
            assertThat(e.reason()).isEqualTo(TxException.Reason.Malformed);
        }
    }

    @Provide
    Arbitrary<int[]> mutations() {
        return Arbitraries.integers().between(0, 1 << 20).array(int[].class).ofSize(3);
    }
}
