package io.restfs.dht.krpc;

import io.restfs.dht.bencode.BencodeDecoder;
import io.restfs.dht.bencode.BencodeException;
import io.restfs.dht.bencode.BencodeLimits;

/** Checks that bytes meant as a BEP 44 {@code v} are one canonical bencoded value within the BEP's size. */
final class EncodedValue {
    /** A v sits two levels down (message dict, then "a" or "r"), so it may nest two less than a datagram. */
    static final int MAX_VALUE_DEPTH = BencodeLimits.KRPC_MAX_DEPTH - 2;
    private static final BencodeDecoder DECODER = new BencodeDecoder(new BencodeLimits(
            KrpcLimits.MAX_VALUE_BYTES, MAX_VALUE_DEPTH, BencodeLimits.KRPC_MAX_ELEMENTS,
            KrpcLimits.MAX_VALUE_BYTES, true));

    private EncodedValue() {
    }

    static byte[] check(byte[] value) {
        Checks.present(value, "v");
        if (value.length > KrpcLimits.MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("v must be at most " + KrpcLimits.MAX_VALUE_BYTES
                    + " bytes encoded (BEP 44), got " + value.length);
        }
        try {
            DECODER.decode(value);
        } catch (BencodeException e) {
            throw new IllegalArgumentException("v is not one canonical bencoded value: " + e.getMessage(), e);
        }
        return value;
    }
}
