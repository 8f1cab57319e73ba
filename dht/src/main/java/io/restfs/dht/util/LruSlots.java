package io.restfs.dht.util;

import java.util.Arrays;

/**
 * A bounded map from keys of up to three longs to slot numbers, forgetting the least recently used key first; the
 * values live in the caller's own arrays, indexed by slot. It replaces access-ordered {@code LinkedHashMap}s of
 * per-peer state (round-trip times, peer infos; rate-limit buckets now sit in a {@link FourWayTable}), which a node
 * consults for nearly every message it handles, mostly about a peer it has not heard from for a while: here that
 * costs a probe of one int array and a read of one run of longs instead of a chain of entry, key and value objects,
 * and nothing is allocated as peers come and go, so no short-lived garbage outlives a young collection.
 *
 * <p>Recency follows {@code LinkedHashMap} in access order exactly: a key becomes the most recent when added or
 * {@linkplain #touch touched}, and adding to a full table first forgets the eldest, whose slot the new key takes.
 * So a deterministic sequence of calls forgets deterministically.
 *
 * <p>Keys are hashed with a secret of the node's mixed in (keys come from peers: addresses, node ids), so a sender
 * cannot pick keys that share a probe sequence and make every lookup walk a long chain. Not thread-safe: one node's
 * logic thread owns it.
 */
public final class LruSlots {
    /** No slot: returned by {@link #find} for a key not present. */
    public static final int NONE = -1;
    private static final int KEY_LONGS = 3;
    private static final int INITIAL_SLOTS = 16;

    private final int maxSlots;
    private final long hashKey;
    private long[] keys;
    /** Recency list: neighbours of each slot (NONE at the ends); free slots are chained through {@code next}. */
    private int[] prev;
    private int[] next;
    /** Open addressing with linear probing: slot + 1, 0 for an empty position; at most half full. */
    private int[] index;
    private int size;
    private int allocated;
    private int freeHead = NONE;
    private int eldest = NONE;
    private int newest = NONE;

    /**
     * @param maxSlots how many keys it holds at most
     * @param hashKey  a secret of the node's (e.g. {@code Ed25519KeyPair#derivedSecret} for a purpose of its own)
     */
    public LruSlots(int maxSlots, long hashKey) {
        if (maxSlots < 1) {
            throw new IllegalArgumentException("an LRU table must hold at least one key, got " + maxSlots);
        }
        this.maxSlots = maxSlots;
        this.hashKey = hashKey;
        grow(Math.min(INITIAL_SLOTS, maxSlots));
    }

    /** Keys held now. */
    public int size() {
        return size;
    }

    /** Slots allocated so far: every slot number handed out is below it; callers size their value arrays by it. */
    public int capacity() {
        return allocated;
    }

    /** The slot of the key, or {@link #NONE}; recency is left as it was. */
    public int find(long k0, long k1, long k2) {
        int mask = index.length - 1;
        for (int pos = hash(k0, k1, k2) & mask; ; pos = (pos + 1) & mask) {
            int entry = index[pos];
            if (entry == 0) {
                return NONE;
            }
            int base = (entry - 1) * KEY_LONGS;
            if (keys[base] == k0 && keys[base + 1] == k1 && keys[base + 2] == k2) {
                return entry - 1;
            }
        }
    }

    /** Makes {@code slot}'s key the most recently used. */
    public void touch(int slot) {
        if (slot != newest) {
            unlink(slot);
            linkNewest(slot);
        }
    }

    /**
     * Adds a key that {@link #find} did not find, as the most recently used, and returns its slot. When the table is
     * full the least recently used key is forgotten first and its slot reused: the caller overwrites its values.
     */
    public int add(long k0, long k1, long k2) {
        int slot;
        if (size == maxSlots) {
            slot = eldest;
            unlink(slot);
            removeIndex(slot);
            size--;
        } else {
            if (freeHead == NONE) {
                grow(Math.min(maxSlots, allocated * 2));
            }
            slot = freeHead;
            freeHead = next[slot];
        }
        int base = slot * KEY_LONGS;
        keys[base] = k0;
        keys[base + 1] = k1;
        keys[base + 2] = k2;
        insertIndex(slot);
        linkNewest(slot);
        size++;
        return slot;
    }

    /** Forgets {@code slot}'s key; the slot is free for a later key. */
    public void remove(int slot) {
        unlink(slot);
        removeIndex(slot);
        next[slot] = freeHead;
        freeHead = slot;
        size--;
    }

    /** Makes room for {@code slots} slots (all of them free beyond the ones in use) and rebuilds the index. */
    private void grow(int slots) {
        int old = allocated;
        keys = keys == null ? new long[slots * KEY_LONGS] : Arrays.copyOf(keys, slots * KEY_LONGS);
        prev = prev == null ? new int[slots] : Arrays.copyOf(prev, slots);
        next = next == null ? new int[slots] : Arrays.copyOf(next, slots);
        for (int s = slots - 1; s >= old; s--) {
            next[s] = freeHead;
            freeHead = s;
        }
        allocated = slots;
        index = new int[Integer.highestOneBit(slots * 2 - 1) << 1];
        for (int s = eldest; s != NONE; s = next[s]) {
            insertIndex(s);
        }
    }

    private void insertIndex(int slot) {
        int mask = index.length - 1;
        int base = slot * KEY_LONGS;
        int pos = hash(keys[base], keys[base + 1], keys[base + 2]) & mask;
        while (index[pos] != 0) {
            pos = (pos + 1) & mask;
        }
        index[pos] = slot + 1;
    }

    /** Removes {@code slot}'s position and shifts back the entries after it that probed past it. */
    private void removeIndex(int slot) {
        int mask = index.length - 1;
        int base = slot * KEY_LONGS;
        int pos = hash(keys[base], keys[base + 1], keys[base + 2]) & mask;
        while (index[pos] != slot + 1) {
            pos = (pos + 1) & mask;
        }
        int hole = pos;
        for (int n = (hole + 1) & mask; index[n] != 0; n = (n + 1) & mask) {
            int nb = (index[n] - 1) * KEY_LONGS;
            int home = hash(keys[nb], keys[nb + 1], keys[nb + 2]) & mask;
            // The entry at n may move into the hole when its home position is not cyclically in (hole, n].
            if (((n - home) & mask) >= ((n - hole) & mask)) {
                index[hole] = index[n];
                hole = n;
            }
        }
        index[hole] = 0;
    }

    private void unlink(int slot) {
        int p = prev[slot];
        int n = next[slot];
        if (p == NONE) {
            eldest = n;
        } else {
            next[p] = n;
        }
        if (n == NONE) {
            newest = p;
        } else {
            prev[n] = p;
        }
    }

    private void linkNewest(int slot) {
        prev[slot] = newest;
        next[slot] = NONE;
        if (newest == NONE) {
            eldest = slot;
        } else {
            next[newest] = slot;
        }
        newest = slot;
    }

    /** Keyed: each word is mixed with the secret before {@link Keys#mix}. */
    private int hash(long k0, long k1, long k2) {
        long h = ((k0 ^ hashKey) * 0x9E37_79B9_7F4A_7C15L) ^ (k1 + hashKey);
        return Keys.mix((h * 0xC2B2_AE3D_27D4_EB4FL) ^ (k2 - hashKey));
    }
}
