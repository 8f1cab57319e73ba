package io.restfs.dht.util;

/**
 * What the node's open-addressing tables ({@link LruSlots}, {@code NodeIdMap}) share: turning an IP address into
 * two longs, and a keyed mix of longs into a probe position.
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

    /** MurmurHash3's 64-bit finalizer (bijective) over {@code h}, its high half as an int position. */
    public static int mix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        return (int) (h >>> 32);
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
