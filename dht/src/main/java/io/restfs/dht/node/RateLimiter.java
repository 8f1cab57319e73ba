package io.restfs.dht.node;

import io.restfs.dht.env.Clock;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * A token bucket per source IP: each address may send {@code burst} queries at once and {@code ratePerSecond}
 * on average, so one address cannot monopolise the node or make it amplify traffic. The table of addresses is
 * bounded: the least recently active address is forgotten first (it then starts again with a full bucket,
 * which costs an attacker nothing it could not get from a fresh address anyway).
 *
 * <p>Every query a node receives passes through here, mostly from an address it has not seen for a while, so the
 * table is laid out for few memory accesses rather than built from a map of objects: each tracked address is one
 * run of longs in a single array (the address as two longs, its tokens, when it last sent, and its neighbours in
 * the recency list), found through an open-addressing index of slot numbers, and the slot of the address forgotten
 * is the one the new address takes. Nothing is allocated per query.
 */
public final class RateLimiter {
    // One slot's longs: the address (IPv4 as its IPv4-mapped IPv6 form), tokens (double bits), last refill time,
    // and the recency list links (previous slot in the high half, next in the low half; NONE at the ends).
    private static final int HI = 0;
    private static final int LO = 1;
    private static final int TOKENS = 2;
    private static final int LAST = 3;
    private static final int LINKS = 4;
    private static final int STRIDE = 5;
    private static final int NONE = 0xFFFF_FFFF;
    /** Slots allocated at first; the table grows by doubling up to {@code maxTracked}. */
    private static final int INITIAL_SLOTS = 16;
    /** IPv4 address a.b.c.d is stored as ::ffff:a.b.c.d (RFC 4291, section 2.5.5.2). */
    private static final long IPV4_MAPPED = 0xFFFF_0000_0000L;

    private final Clock clock;
    private final double ratePerMilli;
    private final double burst;
    private final int maxTracked;
    private final long hashKey;
    private long[] slots;
    /** Open addressing with linear probing: slot number + 1, 0 for an empty position; at most half full. */
    private int[] index;
    private int size;
    /** Least recently active slot (forgotten first) and most recently active one. */
    private int eldest = NONE;
    private int newest = NONE;
    private long refused;

    /**
     * @param hashKey a secret of the node's (see {@link io.restfs.dht.crypto.Ed25519KeyPair#derivedSecret}): the
     *                index's hash of an address mixes it in, so that a sender cannot choose addresses (an IPv6 /64
     *                gives it 2^64) whose probe sequences collide and make every query walk a long chain
     */
    public RateLimiter(Clock clock, double ratePerSecond, int burst, int maxTracked, long hashKey) {
        if (ratePerSecond <= 0 || burst < 1 || maxTracked < 1) {
            throw new IllegalArgumentException("rate " + ratePerSecond + "/s, burst " + burst + ", tracked " + maxTracked);
        }
        this.clock = clock;
        this.ratePerMilli = ratePerSecond / 1000.0;
        this.burst = burst;
        this.maxTracked = maxTracked;
        this.hashKey = hashKey;
        allocate(Math.min(INITIAL_SLOTS, maxTracked));
    }

    /** Takes one token for {@code source}; false (and counted) when its bucket is empty. */
    public boolean tryAcquire(InetAddress source) {
        byte[] a = source.getAddress();
        long hi;
        long lo;
        if (a.length == 4) {
            hi = 0;
            lo = IPV4_MAPPED | (readInt(a, 0) & 0xFFFF_FFFFL);
        } else {
            hi = ((long) readInt(a, 0) << 32) | (readInt(a, 4) & 0xFFFF_FFFFL);
            lo = ((long) readInt(a, 8) << 32) | (readInt(a, 12) & 0xFFFF_FFFFL);
        }
        long now = clock.nowMillis();
        int slot = find(hi, lo);
        double tokens;
        if (slot == NONE) {
            slot = take();
            int base = slot * STRIDE;
            slots[base + HI] = hi;
            slots[base + LO] = lo;
            insertIndex(slot);
            tokens = burst;
        } else {
            int base = slot * STRIDE;
            double elapsed = Math.max(0, now - slots[base + LAST]);
            tokens = Math.min(burst, Double.longBitsToDouble(slots[base + TOKENS]) + elapsed * ratePerMilli);
            unlink(slot);
        }
        linkNewest(slot);
        int base = slot * STRIDE;
        slots[base + LAST] = now;
        boolean granted = tokens >= 1;
        if (granted) {
            tokens -= 1;
        } else {
            refused++;
        }
        slots[base + TOKENS] = Double.doubleToRawLongBits(tokens);
        return granted;
    }

    public long refused() {
        return refused;
    }

    public int tracked() {
        return size;
    }

    /** A slot for a new address: a free one, or the least recently active address's, forgotten. */
    private int take() {
        if (size == maxTracked) {
            int slot = eldest;
            unlink(slot);
            removeIndex(slot);
            return slot;
        }
        if (size * STRIDE == slots.length) {
            allocate(Math.min(maxTracked, size * 2));
        }
        return size++;
    }

    private void allocate(int slotCount) {
        slots = slots == null ? new long[slotCount * STRIDE] : Arrays.copyOf(slots, slotCount * STRIDE);
        index = new int[Integer.highestOneBit(slotCount * 2 - 1) << 1];
        for (int s = 0; s < size; s++) {
            insertIndex(s);
        }
    }

    private int find(long hi, long lo) {
        int mask = index.length - 1;
        for (int pos = hash(hi, lo) & mask; ; pos = (pos + 1) & mask) {
            int entry = index[pos];
            if (entry == 0) {
                return NONE;
            }
            int base = (entry - 1) * STRIDE;
            if (slots[base + LO] == lo && slots[base + HI] == hi) {
                return entry - 1;
            }
        }
    }

    private void insertIndex(int slot) {
        int mask = index.length - 1;
        int base = slot * STRIDE;
        int pos = hash(slots[base + HI], slots[base + LO]) & mask;
        while (index[pos] != 0) {
            pos = (pos + 1) & mask;
        }
        index[pos] = slot + 1;
    }

    /** Removes {@code slot}'s position and shifts back the entries after it that probed past it. */
    private void removeIndex(int slot) {
        int mask = index.length - 1;
        int base = slot * STRIDE;
        int pos = hash(slots[base + HI], slots[base + LO]) & mask;
        while (index[pos] != slot + 1) {
            pos = (pos + 1) & mask;
        }
        int hole = pos;
        for (int next = (hole + 1) & mask; index[next] != 0; next = (next + 1) & mask) {
            int nb = (index[next] - 1) * STRIDE;
            int home = hash(slots[nb + HI], slots[nb + LO]) & mask;
            // The entry at `next` may move into the hole when its home position is not cyclically in (hole, next].
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                index[hole] = index[next];
                hole = next;
            }
        }
        index[hole] = 0;
    }

    private void unlink(int slot) {
        long links = slots[slot * STRIDE + LINKS];
        int prev = (int) (links >>> 32);
        int next = (int) links;
        if (prev == NONE) {
            eldest = next;
        } else {
            setNext(prev, next);
        }
        if (next == NONE) {
            newest = prev;
        } else {
            setPrev(next, prev);
        }
    }

    private void linkNewest(int slot) {
        slots[slot * STRIDE + LINKS] = ((long) newest << 32) | (NONE & 0xFFFF_FFFFL);
        if (newest == NONE) {
            eldest = slot;
        } else {
            setNext(newest, slot);
        }
        newest = slot;
    }

    private void setNext(int slot, int next) {
        int at = slot * STRIDE + LINKS;
        slots[at] = (slots[at] & 0xFFFF_FFFF_0000_0000L) | (next & 0xFFFF_FFFFL);
    }

    private void setPrev(int slot, int prev) {
        int at = slot * STRIDE + LINKS;
        slots[at] = ((long) prev << 32) | (slots[at] & 0xFFFF_FFFFL);
    }

    /** Keyed: both halves are mixed with the secret before a bijective 64-bit finalizer (MurmurHash3's fmix64). */
    private int hash(long hi, long lo) {
        long h = ((hi ^ hashKey) * 0x9E37_79B9_7F4A_7C15L) ^ (lo + hashKey);
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        return (int) (h >>> 32);
    }

    private static int readInt(byte[] a, int at) {
        return ((a[at] & 0xFF) << 24) | ((a[at + 1] & 0xFF) << 16) | ((a[at + 2] & 0xFF) << 8) | (a[at + 3] & 0xFF);
    }
}
