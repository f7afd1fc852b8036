package dev.hyperj.chain.tx;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.Hashing;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.scale.Scale;
import dev.hyperj.chain.scale.ScaleException;
import dev.hyperj.chain.scale.ScaleReader;
import dev.hyperj.chain.scale.ScaleWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A signed transaction (extrinsic). Wire form, SCALE: {@code (version u8 = 1, chain id String,
 * genesis hash [u8; 32], signer AccountId, nonce u64, call Call, signature [u8; 65])}. The signature
 * covers {@link #payload} = SCALE(chain id, genesis hash, nonce, call): a transaction cannot be
 * replayed on another chain (id or genesis) nor twice (nonce). Chain id and genesis travel with the
 * transaction only so that a mismatch is reported as such rather than as a bad signature.
 */
public record Transaction(
        String chainId, byte[] genesisHash, AccountId signer, long nonce, Call call, byte[] signature) {
    public static final int VERSION = 1;
    /** Largest encoded transaction a node accepts. */
    public static final int MAX_BYTES = 64 * 1024;

    public static final int MAX_CHAIN_ID_BYTES = 64;

    public Transaction {
        genesisHash = genesisHash.clone();
        signature = signature.clone();
        if (genesisHash.length != 32) throw new IllegalArgumentException("a genesis hash is 32 bytes");
    }

    @Override
    public byte[] genesisHash() {
        return genesisHash.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Signs {@code call} for {@code signer} at {@code nonce} on the chain {@code (chainId, genesisHash)}. */
    public static Transaction sign(Signer signer, String chainId, byte[] genesisHash, long nonce, Call call) {
        byte[] sig = signer.sign(payload(chainId, genesisHash, nonce, call));
        return new Transaction(chainId, genesisHash, signer.account(), nonce, call, sig);
    }

    /** What the signature covers: SCALE(chain id, genesis hash, nonce, call). */
    public static byte[] payload(String chainId, byte[] genesisHash, long nonce, Call call) {
        return new ScaleWriter()
                .bytes(chainId.getBytes(StandardCharsets.UTF_8))
                .raw(genesisHash)
                .u64(nonce)
                .raw(Scale.encode(Call.class, call))
                .toByteArray();
    }

    /** True if the signature was made over this chain's payload by {@link #signer}'s key. */
    public boolean signatureValid() {
        return Secp256k1.recover(payload(chainId, genesisHash, nonce, call), signature)
                .map(signer::equals)
                .orElse(false);
    }

    public byte[] encode() {
        return new ScaleWriter()
                .u8(VERSION)
                .bytes(chainId.getBytes(StandardCharsets.UTF_8))
                .raw(genesisHash)
                .raw(signer.bytes())
                .u64(nonce)
                .raw(Scale.encode(Call.class, call))
                .raw(signature)
                .toByteArray();
    }

    /** The transaction hash: blake2b-256 of its encoding. */
    public byte[] hash() {
        return Hashing.blake2b256(encode());
    }

    /** Decodes a transaction; any malformed input (too long, bad tags, trailing bytes...) is a {@link TxException} Malformed. */
    public static Transaction decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0)
            throw new TxException(TxException.Reason.Malformed, "empty transaction");
        if (bytes.length > MAX_BYTES)
            throw new TxException(
                    TxException.Reason.Malformed, "transaction of " + bytes.length + " bytes exceeds " + MAX_BYTES);
        try {
            ScaleReader r = new ScaleReader(bytes);
            int version = r.u8();
            if (version != VERSION)
                throw new TxException(TxException.Reason.Malformed, "unknown transaction version " + version);
            byte[] chain = r.bytes(MAX_CHAIN_ID_BYTES);
            String chainId = new String(chain, StandardCharsets.UTF_8);
            if (!Arrays.equals(chainId.getBytes(StandardCharsets.UTF_8), chain))
                throw new TxException(TxException.Reason.Malformed, "chain id is not UTF-8");
            byte[] genesis = r.raw(32);
            AccountId signer = AccountId.of(r.raw(AccountId.LENGTH));
            long nonce = r.u64();
            Call call = (Call) Scale.read(r, Call.class);
            byte[] sig = r.raw(Secp256k1.SIGNATURE_LENGTH);
            r.expectEnd();
            return new Transaction(chainId, genesis, signer, nonce, call, sig);
        } catch (ScaleException e) {
            throw new TxException(TxException.Reason.Malformed, "malformed transaction: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "Transaction[" + call.getClass().getSimpleName() + " from " + signer + " nonce " + nonce + " hash 0x"
                + HexFormat.of().formatHex(hash()) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Transaction t && Arrays.equals(encode(), t.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(signature);
    }
}
