package io.restfs.dht.id;

import io.restfs.dht.util.Keys;

/**
 * A map from node ids to values, for tables a node looks into for nearly every message (its routing table's members
 * and replacement caches). Open addressing with linear probing over the ids' first 64 bits, which sit in an array
 * of their own: a probe compares longs and reads an id object only on a matching prefix, where a
 * {@code HashMap<NodeId, V>} read a bucket node and the key for every probe, and allocated a node per entry.
 *
 * <p>The probe position mixes a secret of the node's into the prefix: ids come from peers, who could otherwise
 * grind ids whose positions collide and make every look-up walk a long chain. Not thread-safe; never iterated.
 */
public final class NodeIdMap<V> {
    private static final int INITIAL_POSITIONS = 16;

    private final long hashKey;
    private long[] prefixes = new long[INITIAL_POSITIONS];
    private NodeId[] ids = new NodeId[INITIAL_POSITIONS];
    private Object[] values = new Object[INITIAL_POSITIONS];
    private int size;

    /** @param hashKey a secret of the node's (e.g. {@code Ed25519KeyPair#derivedSecret} for a purpose of its own) */
    public NodeIdMap(long hashKey) {
        this.hashKey = hashKey;
    }

    public int size() {
        return size;
    }

    /** The value of {@code id}, or null. */
    @SuppressWarnings("unchecked")
    public V get(NodeId id) {
        int at = positionOf(id);
        return at < 0 ? null : (V) values[at];
    }

    /** Maps {@code id} to {@code value} (not null), replacing what it was mapped to. */
    public void put(NodeId id, V value) {
        if (value == null) {
            throw new IllegalArgumentException("null value for " + id);
        }
        int at = positionOf(id);
        if (at >= 0) {
            values[at] = value;
            return;
        }
        if ((size + 1) * 2 > ids.length) {
            resize(ids.length * 2);
        }
        insert(id, value);
        size++;
    }

    /** Removes {@code id}'s mapping, if any, and returns its value or null. */
    @SuppressWarnings("unchecked")
    public V remove(NodeId id) {
        int at = positionOf(id);
        if (at < 0) {
            return null;
        }
        V old = (V) values[at];
        int mask = ids.length - 1;
        int hole = at;
        // Backward shift: an entry after the hole moves into it unless its home lies cyclically in (hole, n].
        for (int n = (hole + 1) & mask; ids[n] != null; n = (n + 1) & mask) {
            int home = home(prefixes[n], mask);
            if (((n - home) & mask) >= ((n - hole) & mask)) {
                prefixes[hole] = prefixes[n];
                ids[hole] = ids[n];
                values[hole] = values[n];
                hole = n;
            }
        }
        prefixes[hole] = 0;
        ids[hole] = null;
        values[hole] = null;
        size--;
        return old;
    }

    private int positionOf(NodeId id) {
        long prefix = id.prefix();
        int mask = ids.length - 1;
        for (int at = home(prefix, mask); ids[at] != null; at = (at + 1) & mask) {
            if (prefixes[at] == prefix && ids[at].equals(id)) {
                return at;
            }
        }
        return -1;
    }

    private void insert(NodeId id, Object value) {
        long prefix = id.prefix();
        int mask = ids.length - 1;
        int at = home(prefix, mask);
        while (ids[at] != null) {
            at = (at + 1) & mask;
        }
        prefixes[at] = prefix;
        ids[at] = id;
        values[at] = value;
    }

    private void resize(int positions) {
        NodeId[] oldIds = ids;
        Object[] oldValues = values;
        prefixes = new long[positions];
        ids = new NodeId[positions];
        values = new Object[positions];
        for (int i = 0; i < oldIds.length; i++) {
            if (oldIds[i] != null) {
                insert(oldIds[i], oldValues[i]);
            }
        }
    }

    /** The prefix mixed with the secret, then {@link Keys#mix}ed, as a position. */
    private int home(long prefix, int mask) {
        return Keys.mix((prefix ^ hashKey) * 0x9E37_79B9_7F4A_7C15L) & mask;
    }
}
