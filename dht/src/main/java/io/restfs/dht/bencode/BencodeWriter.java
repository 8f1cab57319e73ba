package io.restfs.dht.bencode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Streaming bencode encoder into a growable buffer. Dictionaries written through {@link #key(String)} must receive
 * their keys in ascending raw-byte order: the writer checks it, so everything it emits is canonical (BEP 3), which
 * is what BEP 44 signatures and item targets are computed over.
 */
public final class BencodeWriter {
    private static final int MAX_NESTING = 64;
    /** KRPC messages nest three deep (message, arguments or result, restfs info); deeper values grow the arrays. */
    private static final int INITIAL_NESTING = 4;

    private byte[] buf;
    private int size;
    /** Per open container: null for a list, the last key written (or an empty marker) for a dictionary. */
    private byte[][] lastKey = new byte[INITIAL_NESTING][];
    private boolean[] isDict = new boolean[INITIAL_NESTING];
    private boolean[] keyPending = new boolean[INITIAL_NESTING];
    private int depth;

    public BencodeWriter() {
        this(128);
    }

    public BencodeWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    /** The canonical encoding of {@code value}. */
    public static byte[] encode(BencodeValue value) {
        return new BencodeWriter().value(value).toByteArray();
    }

    public BencodeWriter value(BencodeValue value) {
        // Java 17 has no pattern switch; the sealed hierarchy keeps this chain complete.
        if (value instanceof BString s) {
            string(s.bytes());
        } else if (value instanceof BInteger i) {
            integer(i.value());
        } else if (value instanceof BList l) {
            beginList();
            for (BencodeValue item : l.items()) {
                value(item);
            }
            end();
        } else if (value instanceof BDict d) {
            beginDict();
            for (int i = 0; i < d.size(); i++) {
                key(d.keyAt(i).bytes());
                value(d.valueAt(i));
            }
            end();
        } else {
            throw new IllegalArgumentException("not a bencode value: " + value);
        }
        return this;
    }

    public BencodeWriter string(byte[] bytes) {
        return string(bytes, 0, bytes.length);
    }

    public BencodeWriter string(byte[] bytes, int offset, int length) {
        beforeValue();
        ascii(Integer.toString(length));
        put((byte) ':');
        ensure(length);
        System.arraycopy(bytes, offset, buf, size, length);
        size += length;
        return this;
    }

    public BencodeWriter string(String utf8) {
        return string(utf8.getBytes(StandardCharsets.UTF_8));
    }

    public BencodeWriter integer(long value) {
        beforeValue();
        put((byte) 'i');
        ascii(Long.toString(value));
        put((byte) 'e');
        return this;
    }

    /**
     * Writes an already-encoded value verbatim (a BEP 44 {@code v} as it was received). The caller vouches that it
     * is exactly one well-formed value.
     */
    public BencodeWriter raw(byte[] encoded) {
        beforeValue();
        ensure(encoded.length);
        System.arraycopy(encoded, 0, buf, size, encoded.length);
        size += encoded.length;
        return this;
    }

    public BencodeWriter beginList() {
        beforeValue();
        open(false);
        put((byte) 'l');
        return this;
    }

    public BencodeWriter beginDict() {
        beforeValue();
        open(true);
        put((byte) 'd');
        return this;
    }

    public BencodeWriter key(String key) {
        return key(key.getBytes(StandardCharsets.UTF_8));
    }

    public BencodeWriter key(byte[] key) {
        int top = depth - 1;
        if (top < 0 || !isDict[top] || keyPending[top]) {
            throw new IllegalStateException("a key is only allowed inside a dictionary, before its value");
        }
        byte[] previous = lastKey[top];
        if (previous != null && Arrays.compareUnsigned(previous, key) >= 0) {
            throw new IllegalStateException("dictionary keys out of canonical order: "
                    + new String(key, StandardCharsets.ISO_8859_1) + " after " + new String(previous, StandardCharsets.ISO_8859_1));
        }
        lastKey[top] = key;
        keyPending[top] = true;
        ascii(Integer.toString(key.length));
        put((byte) ':');
        ensure(key.length);
        System.arraycopy(key, 0, buf, size, key.length);
        size += key.length;
        return this;
    }

    public BencodeWriter end() {
        int top = depth - 1;
        if (top < 0) {
            throw new IllegalStateException("no open list or dictionary");
        }
        if (isDict[top] && keyPending[top]) {
            throw new IllegalStateException("dictionary key without a value");
        }
        depth--;
        put((byte) 'e');
        return this;
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        if (depth != 0) {
            throw new IllegalStateException(depth + " containers still open");
        }
        return Arrays.copyOf(buf, size);
    }

    private void open(boolean dict) {
        if (depth == MAX_NESTING) {
            throw new IllegalStateException("nesting deeper than " + MAX_NESTING);
        }
        if (depth == isDict.length) {
            int n = Math.min(MAX_NESTING, depth * 2);
            lastKey = Arrays.copyOf(lastKey, n);
            isDict = Arrays.copyOf(isDict, n);
            keyPending = Arrays.copyOf(keyPending, n);
        }
        isDict[depth] = dict;
        lastKey[depth] = null;
        keyPending[depth] = false;
        depth++;
    }

    private void beforeValue() {
        int top = depth - 1;
        if (top >= 0 && isDict[top]) {
            if (!keyPending[top]) {
                throw new IllegalStateException("dictionary value without a key");
            }
            keyPending[top] = false;
        }
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[size++] = (byte) s.charAt(i);
        }
    }

    private void put(byte b) {
        ensure(1);
        buf[size++] = b;
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }
}
