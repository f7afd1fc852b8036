package dev.hyperj.chain.substrate;

import dev.hyperj.chain.crypto.Hashing;
import dev.hyperj.chain.scale.ScaleWriter;
import dev.hyperj.chain.substrate.Metadata.SignedExtension;
import dev.hyperj.chain.tx.Signer;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Signed extrinsics, format v4, for a runtime with Ethereum-style accounts (Frontier's
 * {@code AccountId20} and {@code EthereumSignature}, as Hypertensor's):
 * {@code compact(len) || 0x84 || address(20) || signature(65) || extra || call}. The signed
 * extensions and their order come from the metadata; the payload signed is
 * {@code call || extra || additional}, blake2b-256 of it when over 256 bytes, and the signer
 * signs keccak-256 of that (r || s || v, low-s, RFC 6979).
 */
public final class Extrinsics {
    private Extrinsics() {}

    /** What a signature commits to besides the call. {@code eraBlockHash}: the era's birth block (genesis for immortal). */
    public record Context(
            int specVersion,
            int transactionVersion,
            byte[] genesisHash,
            Era era,
            byte[] eraBlockHash,
            long nonce,
            BigInteger tip) {}

    /** The SCALE call: pallet index, call index, arguments by name (encoded by the call's types). */
    public static byte[] call(Metadata md, ScaleCodec codec, String pallet, String call, Map<String, ?> args) {
        Metadata.Pallet p = md.pallet(pallet);
        TypeDef.Variant v = md.call(pallet, call);
        List<String> names = v.fields().stream().map(f -> f.name().orElse("")).toList();
        if (!args.keySet().equals(new java.util.HashSet<>(names)))
            throw new MetadataException(pallet + "." + call + " takes " + names + ", got " + args.keySet());
        ScaleWriter w = new ScaleWriter().u8(p.index()).u8(v.index());
        for (TypeDef.Field f : v.fields()) {
            try {
                codec.encode(f.type(), args.get(f.name().get()), w);
            } catch (MetadataException e) {
                throw new MetadataException(
                        pallet + "." + call + " argument " + f.name().get() + ": " + e.getMessage(), e);
            }
        }
        return w.toByteArray();
    }

    /** Signs {@code call} and returns the whole extrinsic as {@code author_submitExtrinsic} takes it. */
    public static byte[] sign(Metadata md, ScaleCodec codec, Signer signer, byte[] call, Context ctx) {
        checkEthereumAccounts(md, codec);
        if (md.extrinsicVersion() != 4)
            throw new MetadataException(
                    "the runtime uses extrinsic format v" + md.extrinsicVersion() + "; HyperJ signs v4");
        ByteArrayOutputStream extra = new ByteArrayOutputStream();
        ByteArrayOutputStream additional = new ByteArrayOutputStream();
        for (SignedExtension e : md.signedExtensions()) {
            switch (e.identifier()) {
                case "CheckNonZeroSender", "CheckWeight" -> {}
                case "CheckSpecVersion" ->
                    additional.writeBytes(
                            new ScaleWriter().u32(ctx.specVersion()).toByteArray());
                case "CheckTxVersion" ->
                    additional.writeBytes(
                            new ScaleWriter().u32(ctx.transactionVersion()).toByteArray());
                case "CheckGenesis" -> additional.writeBytes(ctx.genesisHash());
                case "CheckMortality", "CheckEra" -> {
                    extra.writeBytes(ctx.era().encode());
                    additional.writeBytes(ctx.era().immortal() ? ctx.genesisHash() : ctx.eraBlockHash());
                }
                case "CheckNonce" -> extra.writeBytes(codec.encode(e.type(), BigInteger.valueOf(ctx.nonce())));
                case "ChargeTransactionPayment" -> extra.writeBytes(codec.encode(e.type(), ctx.tip()));
                case "CheckMetadataHash" -> {
                    extra.writeBytes(codec.encode(e.type(), Map.of("mode", "Disabled")));
                    additional.writeBytes(codec.encode(e.additionalSigned(), java.util.Optional.empty()));
                }
                default -> {
                    if (!zeroSized(codec, e.type()) || !zeroSized(codec, e.additionalSigned()))
                        throw new MetadataException("the runtime's signed extension " + e.identifier()
                                + " is unknown to HyperJ; nothing was signed");
                }
            }
            if (e.identifier().equals("CheckNonZeroSender") || e.identifier().equals("CheckWeight")) {
                if (!zeroSized(codec, e.type()) || !zeroSized(codec, e.additionalSigned()))
                    throw new MetadataException("the runtime's " + e.identifier()
                            + " carries data HyperJ does not know; nothing was signed");
            }
        }
        byte[] extraBytes = extra.toByteArray();
        byte[] payload = concat(call, extraBytes, additional.toByteArray());
        if (payload.length > 256) payload = Hashing.blake2b256(payload);
        byte[] signature = signer.sign(payload);
        byte[] body = concat(new byte[] {(byte) 0x84}, signer.account().bytes(), signature, extraBytes, call);
        return concat(new ScaleWriter().compact(body.length).toByteArray(), body);
    }

    /** Hypertensor's accounts: a 20-byte address and a 65-byte signature, both plain byte arrays under their newtypes. */
    static void checkEthereumAccounts(Metadata md, ScaleCodec codec) {
        if (byteArrayLength(codec, md.addressType(), 0) != 20 || byteArrayLength(codec, md.signatureType(), 0) != 65)
            throw new MetadataException("the runtime's accounts are "
                    + codec.types().get(md.addressType()).pathName()
                    + " signed with " + codec.types().get(md.signatureType()).pathName()
                    + "; HyperJ signs only for Ethereum-style accounts (AccountId20, 65-byte secp256k1 signatures)");
    }

    private static int byteArrayLength(ScaleCodec codec, int type, int depth) {
        if (depth > 4) return -1;
        return switch (codec.types().get(type).def()) {
            case TypeDef.Array a
            when codec.types().get(a.element()).def() instanceof TypeDef.Primitive p && p.kind() == TypeDef.Prim.U8 ->
                a.length();
            case TypeDef.Composite c
            when c.fields().size() == 1 ->
                byteArrayLength(codec, c.fields().get(0).type(), depth + 1);
            default -> -1;
        };
    }

    private static boolean zeroSized(ScaleCodec codec, int type) {
        return switch (codec.types().get(type).def()) {
            case TypeDef.Tuple t -> t.elements().isEmpty();
            case TypeDef.Composite c -> c.fields().isEmpty();
            default -> false;
        };
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
