package io.restfs.dht.krpc;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A KRPC transaction id (BEP 5 "t"): opaque bytes chosen by the querier and echoed in the answer. A value type,
 * so it can key the engine's table of outstanding queries.
 */
public final class TransactionId {
    private final byte[] bytes;

    private TransactionId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static TransactionId of(byte[] bytes) {
        if (bytes.length > KrpcLimits.MAX_TRANSACTION_ID_BYTES) {
            throw new IllegalArgumentException("transaction id longer than " + KrpcLimits.MAX_TRANSACTION_ID_BYTES
                    + " bytes: " + bytes.length);
        }
        return new TransactionId(bytes.clone());
    }

    /** A 2-byte id from the low 16 bits of {@code value}, the size BEP 5 suggests. */
    public static TransactionId ofShort(int value) {
        return new TransactionId(new byte[] {(byte) (value >>> 8), (byte) value});
    }

    /** The value of a 2-byte id (0 to 65535), as {@link #ofShort} makes them; -1 for an id of any other length. */
    public int shortValue() {
        return bytes.length == 2 ? ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff) : -1;
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    int length() {
        return bytes.length;
    }

    byte[] raw() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransactionId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
