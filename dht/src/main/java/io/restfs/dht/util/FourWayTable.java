package io.restfs.dht.util;

/**
 * A bounded map from keys of up to three longs to one long each, for per-peer state a node consults for nearly
 * every message it receives (rate-limit buckets), mostly about a peer it has not heard from for a while. Four-way
 * set-associative: a key's fingerprint picks one set of four ways, kept most recently used first; a new key takes
 * the first way of its set and, when all four are taken, the set's least recently used key is forgotten. Within a
 * set that is exact LRU; across the table it approximates it.
 *
 * <p>A look-up or an insertion reads and shifts one run of eight longs, the set's fingerprints and values
 * interleaved. {@link LruSlots}, which forgets in exact global LRU order, reads an index position, a key run, the
 * value arrays and the two recency neighbours it relinks: a likely cache miss each once thousands of simulated
 * peers' tables are live. A four-way table also takes 16 bytes a key where an LRU table took about 60.
 *
 * <p>Keys are compared by fingerprint alone. The fingerprint mixes a secret of the node's into the key through
 * bijective steps, so two keys that differ in one word only (IPv4 addresses, ports) never share one (but for the
 * key that would mix to 0, which shares 1's), and any other two share one with probability 2^-64; without the
 * secret a peer cannot choose keys that fall into one set either.
 *
 * <p>Sets are allocated as keys arrive: the table starts with one set and doubles its sets (splitting each by one
 * more fingerprint bit, recency order kept) whenever a quarter of its ways are taken, up to its bound. At that load
 * a set overflows early, forgetting a key while the table has room, about once per 270 sets; at half load it would
 * be once per 19. Not thread-safe: one node's logic thread owns it.
 */
public final class FourWayTable {
    /** No position: returned by {@link #find} for a key not present. */
    public static final int NONE = -1;
    private static final int WAYS = 4;
    /** Longs per set: a fingerprint and a value per way. */
    private static final int SET_LONGS = 2 * WAYS;
    /** Marks an empty way; a fingerprint that mixes to it is stored as {@link #ZERO_STAND_IN}. */
    private static final long EMPTY = 0;
    private static final long ZERO_STAND_IN = 1;

    private final long hashKey;
    private final int maxSets;
    /** Per set, most recently used first: fingerprint, value, fingerprint, value...; empty ways come last. */
    private long[] table;
    private int setMask;
    private int size;

    /**
     * @param capacity how many keys it may hold: rounded down to four ways times a power of two (at least one set of
     *                 four), the only sizes it can split into
     * @param hashKey  a secret of the node's (e.g. {@code Ed25519KeyPair#derivedSecret} for a purpose of its own)
     */
    public FourWayTable(int capacity, long hashKey) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a table must hold at least one key, got " + capacity);
        }
        this.hashKey = hashKey;
        this.maxSets = Integer.highestOneBit(Math.max(1, capacity / WAYS));
        this.table = new long[SET_LONGS];
        this.setMask = 0;
    }

    /** The key's fingerprint, never {@link #EMPTY}: what {@link #find} and {@link #add} take. */
    public long fingerprint(long k0, long k1, long k2) {
        long h = Keys.mix64((k0 ^ hashKey) * 0x9E37_79B9_7F4A_7C15L ^ (k1 + hashKey));
        h = Keys.mix64(h * 0xC2B2_AE3D_27D4_EB4FL ^ (k2 - hashKey));
        return h == EMPTY ? ZERO_STAND_IN : h;
    }

    /**
     * The position of {@code fingerprint}'s value, for {@link #value} and {@link #setValue}, or {@link #NONE}. A key
     * found becomes the most recently used of its set.
     */
    public int find(long fingerprint) {
        int base = setBase(fingerprint);
        for (int at = base; at < base + SET_LONGS; at += 2) {
            long f = table[at];
            if (f == fingerprint) {
                if (at != base) {
                    long value = table[at + 1];
                    System.arraycopy(table, base, table, base + 2, at - base);
                    table[base] = fingerprint;
                    table[base + 1] = value;
                }
                return base + 1;
            }
            if (f == EMPTY) {
                return NONE;
            }
        }
        return NONE;
    }

    public long value(int position) {
        return table[position];
    }

    public void setValue(int position, long value) {
        table[position] = value;
    }

    /**
     * Adds {@code fingerprint}, which {@link #find} did not find, with {@code value}, as the most recently used of
     * its set; a full set first forgets its least recently used key.
     */
    public void add(long fingerprint, long value) {
        if (size * 4 >= table.length / 2 && setMask + 1 < maxSets) {
            grow();
        }
        int base = setBase(fingerprint);
        if (table[base + SET_LONGS - 2] == EMPTY) {
            size++;
        }
        System.arraycopy(table, base, table, base + 2, SET_LONGS - 2);
        table[base] = fingerprint;
        table[base + 1] = value;
    }

    /** Keys held now. */
    public int size() {
        return size;
    }

    /** Doubles the sets: each old set's keys go, in their order, to the one of two sets their next bit picks. */
    private void grow() {
        long[] old = table;
        int sets = (setMask + 1) * 2;
        table = new long[sets * SET_LONGS];
        setMask = sets - 1;
        int[] filled = new int[sets];
        for (int at = 0; at < old.length; at += 2) {
            long f = old[at];
            if (f != EMPTY) {
                int set = setOf(f);
                int to = set * SET_LONGS + 2 * filled[set]++;
                table[to] = f;
                table[to + 1] = old[at + 1];
            }
        }
    }

    private int setOf(long fingerprint) {
        return setOf(fingerprint, setMask + 1);
    }

    private int setBase(long fingerprint) {
        return setOf(fingerprint) * SET_LONGS;
    }

    @Override
    public String toString() {
        return "FourWayTable[" + size + " keys in " + (setMask + 1) + " of " + maxSets + " sets]";
    }

    /** Sets allocated now (a power of two); for tests, which model where each key goes. */
    int sets() {
        return setMask + 1;
    }

    /** The set {@code fingerprint} goes to among {@code sets}; for tests. */
    static int setOf(long fingerprint, int sets) {
        return (int) (fingerprint >>> 32) & (sets - 1);
    }
}
