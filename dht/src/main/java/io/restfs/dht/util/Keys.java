package io.restfs.dht.util;

/**
 * What the node's hashed tables ({@link LruSlots}, {@link FourWayTable}, {@code NodeIdMap}) share: turning an IP
 * address into two longs, and a mix of longs into a probe position or a fingerprint.
 */
public final class Keys {
    /** IPv4 address a.b.c.d is keyed as ::ffff:a.b.c.d (RFC 4291, section 2.5.5.2). */
    private static final long IPV4_MAPPED = 0xFFFF_0000_0000L;

    private Keys() {
    }

    /** The high 64 bits of an address (4 or 16 bytes) in its IPv6 form: 0 for IPv4. */
    public static long addressHigh(byte[] address) {
        return address.length == 4 ? 0 : readLong(address, 0);
    }

    /** The low 64 bits of an address (4 or 16 bytes) in its IPv6 form: ::ffff:a.b.c.d for IPv4 a.b.c.d. */
    public static long addressLow(byte[] address) {
        if (address.length == 4) {
            return IPV4_MAPPED | (readLong(address, 0) >>> 32);
        }
        return readLong(address, 8);
    }

    /** {@link #mix64}'s high half, as an int position. */
    public static int mix(long h) {
        return (int) (mix64(h) >>> 32);
    }

    /** MurmurHash3's 64-bit finalizer over {@code h}: bijective, so distinct inputs give distinct outputs. */
    public static long mix64(long h) {
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        return h ^ (h >>> 33);
    }

    /** Up to 8 bytes from {@code at}, big-endian, left-aligned when fewer remain. */
    private static long readLong(byte[] b, int at) {
        long v = 0;
        for (int i = at; i < at + 8; i++) {
            v = (v << 8) | (i < b.length ? b[i] & 0xFF : 0);
        }
        return v;
    }
}
