package dev.hyperj.p2p.crypto;

import dev.hyperj.p2p.proto.ProtoException;
import dev.hyperj.p2p.proto.ProtoReader;
import dev.hyperj.p2p.proto.ProtoWriter;

/** libp2p's {@code PublicKey}/{@code PrivateKey} protobuf messages: {@code {1: KeyType Type, 2: bytes Data}}. */
final class KeyProto {
    /** Larger than any supported key (an 8192-bit RSA private key is about 4.7 kB). */
    static final int MAX_MESSAGE_BYTES = 16 * 1024;

    record Decoded(KeyType type, byte[] data) {}

    private KeyProto() {}

    static byte[] encode(KeyType type, byte[] data) {
        return new ProtoWriter(data.length + 8)
                .writeVarint(1, type.code())
                .writeBytes(2, data)
                .toByteArray();
    }

    static Decoded decode(byte[] message, String what) {
        if (message.length > MAX_MESSAGE_BYTES) {
            throw new KeyFormatException(what + " protobuf longer than " + MAX_MESSAGE_BYTES + " bytes");
        }
        Long type = null;
        byte[] data = null;
        try {
            ProtoReader r = new ProtoReader(message);
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> {
                        if (type != null) {
                            throw new KeyFormatException(what + " protobuf repeats the Type field");
                        }
                        type = r.varint();
                    }
                    case 2 -> {
                        if (data != null) {
                            throw new KeyFormatException(what + " protobuf repeats the Data field");
                        }
                        data = r.bytes();
                    }
                    default -> throw new KeyFormatException(what + " protobuf has unknown field " + r.field());
                }
            }
        } catch (ProtoException e) {
            throw new KeyFormatException("malformed " + what + " protobuf: " + e.getMessage(), e);
        }
        if (type == null || data == null) {
            throw new KeyFormatException(what + " protobuf lacks its " + (type == null ? "Type" : "Data") + " field");
        }
        if (type < 0 || type > Integer.MAX_VALUE) {
            throw new KeyFormatException("unknown key type code " + Long.toUnsignedString(type));
        }
        return new Decoded(KeyType.fromCode(type.intValue()), data);
    }
}
