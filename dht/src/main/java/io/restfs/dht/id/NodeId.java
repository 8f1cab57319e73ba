package io.restfs.dht.id;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A 160-bit Kademlia identifier: a node id or a key. Immutable; ordered by unsigned big-endian value.
 */
public final class NodeId implements Comparable<NodeId> {
    /** BEP 5: node ids and info-hashes are 20 bytes (SHA-1 sized). */
    public static final int LENGTH = 20;
    public static final int BITS = LENGTH * 8;

    /**
     * The first 64 bits, big-endian: XORed with another id's, they order almost every pair of distances without
     * a look at the rest, which matters where ids are compared by the thousand (lookups, routing tables).
     */
    private final long prefix;
    /**
     * Bytes 8-15 and 16-19, big-endian. The id is these three words and nothing else: equality, order, distance
     * comparison and common-prefix length read one small object, where a byte array beside it was a second cache miss
     * whenever ids met across many peers' tables (the lookup profile's top entry, NodeId.equals at 9%).
     */
    private final long middle;
    private final int last;
    /** Arrays.hashCode of the 20 bytes, computed on first use (0 until then), as String does: ids key hash maps. */
    private int hash;

    private NodeId(long prefix, long middle, int last) {
        this.prefix = prefix;
        this.middle = middle;
        this.last = last;
    }

    /** The id of exactly {@link #LENGTH} bytes, which are read and not kept. */
    private static NodeId read(byte[] bytes) {
        long p = 0;
        long m = 0;
        int l = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            p = (p << 8) | (bytes[i] & 0xff);
            m = (m << 8) | (bytes[Long.BYTES + i] & 0xff);
        }
        for (int i = 2 * Long.BYTES; i < LENGTH; i++) {
            l = (l << 8) | (bytes[i] & 0xff);
        }
        return new NodeId(p, m, l);
    }

    /** The id of exactly {@link #LENGTH} bytes (copied: later changes to the array do not change the id). */
    public static NodeId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("node id must be " + LENGTH + " bytes, got " + bytes.length);
        }
        return read(bytes);
    }

    public static NodeId fromHex(String hex) {
        if (hex.length() != LENGTH * 2) {
            throw new IllegalArgumentException("node id must be " + (LENGTH * 2) + " hex digits, got " + hex.length());
        }
        return read(HexFormat.of().parseHex(hex));
    }

    public static NodeId random(RandomGenerator random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return read(b);
    }

    /** SHA-1 of the input: the BEP 44 target of an item, and the id derived from a node's public key. */
    public static NodeId sha1(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            for (byte[] part : parts) {
                md.update(part);
            }
            return read(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-1", e);
        }
    }

    public byte[] toBytes() {
        byte[] b = new byte[LENGTH];
        for (int i = 0; i < Long.BYTES; i++) {
            b[i] = (byte) (prefix >>> (56 - 8 * i));
            b[Long.BYTES + i] = (byte) (middle >>> (56 - 8 * i));
        }
        for (int i = 0; i < LENGTH - 2 * Long.BYTES; i++) {
            b[2 * Long.BYTES + i] = (byte) (last >>> (24 - 8 * i));
        }
        return b;
    }

    /** The id's first 64 bits as an unsigned big-endian number. */
    public long prefix() {
        return prefix;
    }

    /** Bytes 8 to 15 as an unsigned big-endian number. */
    public long middle() {
        return middle;
    }

    /** Bytes 16 to 19 as an unsigned big-endian number. */
    public long last() {
        return Integer.toUnsignedLong(last);
    }

    public int byteAt(int i) {
        Objects.checkIndex(i, LENGTH);
        if (i < Long.BYTES) {
            return (int) (prefix >>> (56 - 8 * i)) & 0xff;
        }
        if (i < 2 * Long.BYTES) {
            return (int) (middle >>> (56 - 8 * (i - Long.BYTES))) & 0xff;
        }
        return (last >>> (24 - 8 * (i - 2 * Long.BYTES))) & 0xff;
    }

    /** XOR distance to {@code other}, itself an id-sized value ordered like any id. */
    public NodeId distance(NodeId other) {
        return new NodeId(prefix ^ other.prefix, middle ^ other.middle, last ^ other.last);
    }

    /**
     * Compares the XOR distances of {@code a} and {@code b} to this id without allocating: negative when
     * {@code a} is closer.
     */
    public int compareDistance(NodeId a, NodeId b) {
        long pa = prefix ^ a.prefix;
        long pb = prefix ^ b.prefix;
        if (pa != pb) {
            return Long.compareUnsigned(pa, pb) < 0 ? -1 : 1;
        }
        long ma = middle ^ a.middle;
        long mb = middle ^ b.middle;
        if (ma != mb) {
            return Long.compareUnsigned(ma, mb) < 0 ? -1 : 1;
        }
        int la = last ^ a.last;
        int lb = last ^ b.last;
        if (la != lb) {
            return Integer.compareUnsigned(la, lb) < 0 ? -1 : 1;
        }
        return 0;
    }

    /** Length of the common prefix with {@code other} in bits (160 when equal). */
    public int commonPrefixLength(NodeId other) {
        long p = prefix ^ other.prefix;
        if (p != 0) {
            return Long.numberOfLeadingZeros(p);
        }
        long m = middle ^ other.middle;
        if (m != 0) {
            return Long.SIZE + Long.numberOfLeadingZeros(m);
        }
        int l = last ^ other.last;
        return l != 0 ? 2 * Long.SIZE + Integer.numberOfLeadingZeros(l) : BITS;
    }

    /** Bit {@code index} counted from the most significant bit (0) to the least (159). */
    public boolean bit(int index) {
        Objects.checkIndex(index, BITS);
        if (index < Long.SIZE) {
            return (prefix << index) < 0;
        }
        if (index < 2 * Long.SIZE) {
            return (middle << (index - Long.SIZE)) < 0;
        }
        return (last << (index - 2 * Long.SIZE)) < 0;
    }

    public String toHex() {
        return HexFormat.of().formatHex(toBytes());
    }

    @Override
    public int compareTo(NodeId o) {
        if (prefix != o.prefix) {
            return Long.compareUnsigned(prefix, o.prefix);
        }
        if (middle != o.middle) {
            return Long.compareUnsigned(middle, o.middle);
        }
        return Integer.compareUnsigned(last, o.last);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof NodeId other && prefix == other.prefix && middle == other.middle
                && last == other.last;
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(toBytes());
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return toHex();
    }
}
