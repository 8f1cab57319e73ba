package io.restfs.dht.rpc;

import java.util.ArrayList;
import java.util.List;

/**
 * The RPC engine's outstanding calls by 16-bit transaction id: open addressing with linear probing over primitive
 * keys, so a call costs no boxed key or map node (a node runs a few calls at once and millions in its life). Not
 * thread-safe: the logic thread owns it.
 *
 * @param <V> what is kept per call
 */
final class PendingTable<V> {
    /** A handful of calls in flight is the common case; the table doubles past half full. */
    private static final int INITIAL_CAPACITY = 16;
    private static final int EMPTY = -1;

    private int[] keys = newKeys(INITIAL_CAPACITY);
    private Object[] values = new Object[INITIAL_CAPACITY];
    private int size;

    int size() {
        return size;
    }

    boolean containsKey(int key) {
        return indexOf(key) >= 0;
    }

    @SuppressWarnings("unchecked")
    V get(int key) {
        int i = indexOf(key);
        return i < 0 ? null : (V) values[i];
    }

    /** Adds {@code value} under {@code key}, which must not be present (the engine picks unused ids). */
    void put(int key, V value) {
        if (key < 0 || key > 0xffff) {
            throw new IllegalArgumentException("transaction id out of 16 bits: " + key);
        }
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                throw new IllegalStateException("transaction id " + key + " already pending");
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
    }

    /** Removes {@code key}; false when it was not present. */
    boolean remove(int key) {
        int i = indexOf(key);
        if (i < 0) {
            return false;
        }
        int mask = keys.length - 1;
        // Backward-shift deletion: pull later members of the probe run into the gap, so lookups need no tombstones.
        int gap = i;
        int j = (i + 1) & mask;
        while (keys[j] != EMPTY) {
            int home = mix(keys[j]) & mask;
            // Move j into the gap unless its home lies cyclically in (gap, j].
            boolean stays = gap <= j ? (gap < home && home <= j) : (gap < home || home <= j);
            if (!stays) {
                keys[gap] = keys[j];
                values[gap] = values[j];
                gap = j;
            }
            j = (j + 1) & mask;
        }
        keys[gap] = EMPTY;
        values[gap] = null;
        size--;
        return true;
    }

    /** Every pending value, in no particular order. */
    @SuppressWarnings("unchecked")
    List<V> values() {
        List<V> out = new ArrayList<>(size);
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                out.add((V) values[i]);
            }
        }
        return out;
    }

    private int indexOf(int key) {
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private void grow() {
        int[] oldKeys = keys;
        Object[] oldValues = values;
        keys = newKeys(oldKeys.length * 2);
        values = new Object[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int k = 0; k < oldKeys.length; k++) {
            if (oldKeys[k] != EMPTY) {
                int i = mix(oldKeys[k]) & mask;
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[k];
                values[i] = oldValues[k];
            }
        }
    }

    /** Transaction ids are random already; the multiply spreads ids a peer might choose in sequence. */
    private static int mix(int key) {
        return (key * 0x9E3779B1) >>> 16;
    }

    private static int[] newKeys(int capacity) {
        int[] k = new int[capacity];
        java.util.Arrays.fill(k, EMPTY);
        return k;
    }
}
