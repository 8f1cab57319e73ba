package io.restfs.dht.bencode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bencode dictionary with byte-string keys kept in raw-byte order (the canonical order of BEP 3). A dictionary
 * that came out of {@link BencodeDecoder} also remembers where each value lay in the input, so
 * {@link #rawValue(String)} hands back the verbatim bytes that BEP 44 requires for hashing and signature checks.
 */
public final class BDict implements BencodeValue {
    private static final BDict EMPTY = new BDict(new BString[0], new BencodeValue[0], null, null);

    private final BString[] keys;
    private final BencodeValue[] values;
    /** The decoded input the raw spans point into; null for dictionaries built in memory. */
    private final byte[] source;
    /** Per key: start offset in {@code source} at index 2i, end offset (exclusive) at 2i+1. */
    private final int[] spans;

    BDict(BString[] keys, BencodeValue[] values, byte[] source, int[] spans) {
        this.keys = keys;
        this.values = values;
        this.source = source;
        this.spans = spans;
    }

    public static BDict empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int size() {
        return keys.length;
    }

    public boolean isEmpty() {
        return keys.length == 0;
    }

    public List<BString> keys() {
        return List.of(keys);
    }

    public BString keyAt(int i) {
        return keys[i];
    }

    public BencodeValue valueAt(int i) {
        return values[i];
    }

    public boolean containsKey(String key) {
        return indexOf(key) >= 0;
    }

    /** The value under {@code key}, or null when absent. */
    public BencodeValue get(String key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    /** The value under the raw {@code key}, or null when absent. */
    public BencodeValue get(byte[] key) {
        int i = Arrays.binarySearch(keys, new BString(key));
        return i < 0 ? null : values[i];
    }

    /**
     * The encoded bytes of the value under {@code key} (a fresh copy), or null when absent: verbatim from the input
     * for a decoded dictionary, the canonical encoding for one built in memory.
     */
    public byte[] rawValue(String key) {
        int i = indexOf(key);
        if (i < 0) {
            return null;
        }
        if (source == null) {
            return values[i].encode();
        }
        return Arrays.copyOfRange(source, spans[2 * i], spans[2 * i + 1]);
    }

    private int indexOf(String key) {
        int lo = 0;
        int hi = keys.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compareKey(keys[mid].bytes(), key);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** Compares raw key bytes with a key given as text, without allocating for the usual ASCII keys. */
    private static int compareKey(byte[] raw, String key) {
        int n = key.length();
        for (int i = 0; i < n; i++) {
            if (key.charAt(i) >= 0x80) {
                return Arrays.compareUnsigned(raw, key.getBytes(StandardCharsets.UTF_8));
            }
        }
        int common = Math.min(raw.length, n);
        for (int i = 0; i < common; i++) {
            int d = (raw[i] & 0xff) - key.charAt(i);
            if (d != 0) {
                return d;
            }
        }
        return raw.length - n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BDict other && Arrays.equals(keys, other.keys) && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(keys) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < keys.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(keys[i]).append('=').append(values[i]);
        }
        return sb.append('}').toString();
    }

    /** Collects entries in any order; {@link #build()} sorts them. Refuses duplicate keys. */
    public static final class Builder {
        private final TreeMap<BString, BencodeValue> entries = new TreeMap<>();

        private Builder() {
        }

        public Builder put(BString key, BencodeValue value) {
            if (value == null) {
                throw new IllegalArgumentException("null value for key " + key);
            }
            if (entries.putIfAbsent(key, value) != null) {
                throw new IllegalArgumentException("duplicate dictionary key " + key);
            }
            return this;
        }

        public Builder put(String key, BencodeValue value) {
            return put(BString.of(key), value);
        }

        public Builder put(String key, byte[] value) {
            return put(BString.of(key), new BString(value));
        }

        public Builder put(String key, String utf8) {
            return put(BString.of(key), BString.of(utf8));
        }

        public Builder put(String key, long value) {
            return put(BString.of(key), new BInteger(value));
        }

        public BDict build() {
            BString[] k = new BString[entries.size()];
            BencodeValue[] v = new BencodeValue[entries.size()];
            int i = 0;
            for (Map.Entry<BString, BencodeValue> e : entries.entrySet()) {
                k[i] = e.getKey();
                v[i] = e.getValue();
                i++;
            }
            return new BDict(k, v, null, null);
        }
    }

    /** Used by the decoder: keys in input order, sorted here when the input was not canonical. */
    static BDict decoded(List<BString> keys, List<BencodeValue> values, byte[] source, int[] spans, boolean sorted) {
        BString[] k = keys.toArray(new BString[0]);
        BencodeValue[] v = values.toArray(new BencodeValue[0]);
        if (!sorted) {
            Integer[] order = new Integer[k.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> k[a].compareTo(k[b]));
            BString[] sk = new BString[k.length];
            BencodeValue[] sv = new BencodeValue[k.length];
            int[] ss = new int[spans.length];
            for (int i = 0; i < order.length; i++) {
                sk[i] = k[order[i]];
                sv[i] = v[order[i]];
                ss[2 * i] = spans[2 * order[i]];
                ss[2 * i + 1] = spans[2 * order[i] + 1];
            }
            return new BDict(sk, sv, source, ss);
        }
        return new BDict(k, v, source, spans);
    }
}
