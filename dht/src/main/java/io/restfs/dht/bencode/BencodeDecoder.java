package io.restfs.dht.bencode;

import io.restfs.dht.bencode.BencodeException.Reason;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Strict bencode decoder (BEP 3). Every defect becomes a {@link BencodeException} with a reason and an offset;
 * nothing else escapes. Limits are checked before allocating, so no declared length can make it allocate more than
 * the input holds, and nesting is bounded so recursion cannot overflow the stack.
 *
 * <p>Stateless: each call uses its own cursor. Decoded dictionaries keep a reference to {@code input} for
 * {@link BDict#rawValue(String)}, so the caller must not modify the array afterwards.
 */
public final class BencodeDecoder {
    private final BencodeLimits limits;

    public BencodeDecoder(BencodeLimits limits) {
        this.limits = limits;
    }

    public BencodeLimits limits() {
        return limits;
    }

    /** Decodes exactly one value that spans the whole input. */
    public BencodeValue decode(byte[] input) throws BencodeException {
        if (input.length > limits.maxInputBytes()) {
            throw new BencodeException(Reason.INPUT_TOO_LARGE, limits.maxInputBytes(),
                    input.length + " bytes, limit " + limits.maxInputBytes());
        }
        Cursor c = new Cursor(input, limits);
        BencodeValue v = c.value(0);
        if (c.pos != input.length) {
            throw new BencodeException(Reason.TRAILING_BYTES, c.pos, (input.length - c.pos) + " bytes after the value");
        }
        return v;
    }

    /** Convenience: decodes with {@link BencodeLimits#KRPC}. */
    public static BencodeValue decodeKrpc(byte[] input) throws BencodeException {
        return new BencodeDecoder(BencodeLimits.KRPC).decode(input);
    }

    private static final class Cursor {
        private final byte[] in;
        private final BencodeLimits limits;
        private int pos;
        private int elements;

        Cursor(byte[] in, BencodeLimits limits) {
            this.in = in;
            this.limits = limits;
        }

        private int peek() throws BencodeException {
            if (pos >= in.length) {
                throw new BencodeException(Reason.TRUNCATED, pos, "input ended inside a value");
            }
            return in[pos] & 0xff;
        }

        private void count() throws BencodeException {
            if (++elements > limits.maxElements()) {
                throw new BencodeException(Reason.TOO_MANY_ELEMENTS, pos, "more than " + limits.maxElements() + " values");
            }
        }

        BencodeValue value(int depth) throws BencodeException {
            int b = peek();
            if (b == 'i') {
                count();
                return new BInteger(integer());
            } else if (b >= '0' && b <= '9') {
                count();
                return new BString(string());
            } else if (b == 'l') {
                return list(depth + 1);
            } else if (b == 'd') {
                return dict(depth + 1);
            }
            throw new BencodeException(Reason.UNEXPECTED_BYTE, pos, "byte 0x" + Integer.toHexString(b) + " starts no value");
        }

        private long integer() throws BencodeException {
            pos++; // 'i'
            boolean negative = false;
            if (peek() == '-') {
                negative = true;
                pos++;
            }
            int digitsStart = pos;
            int b = peek();
            if (b < '0' || b > '9') {
                throw new BencodeException(Reason.INVALID_INTEGER, pos, "integer has no digits");
            }
            if (b == '0') {
                pos++;
                if (peek() != 'e') {
                    throw new BencodeException(Reason.LEADING_ZERO, digitsStart, "integer with a leading zero");
                }
                if (negative) {
                    throw new BencodeException(Reason.NEGATIVE_ZERO, digitsStart, "i-0e is not canonical");
                }
                pos++;
                return 0;
            }
            // Accumulate negatively so that Long.MIN_VALUE fits, as Long.parseLong does.
            long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
            long multmin = limit / 10;
            long result = 0;
            while ((b = peek()) != 'e') {
                if (b < '0' || b > '9') {
                    throw new BencodeException(Reason.INVALID_INTEGER, pos, "byte 0x" + Integer.toHexString(b) + " in an integer");
                }
                int d = b - '0';
                if (result < multmin || result * 10 < limit + d) {
                    throw new BencodeException(Reason.INTEGER_OVERFLOW, digitsStart, "integer does not fit in 64 bits");
                }
                result = result * 10 - d;
                pos++;
            }
            pos++; // 'e'
            return negative ? result : -result;
        }

        private byte[] string() throws BencodeException {
            int start = pos;
            long len = 0;
            int b = peek();
            if (b == '0') {
                pos++;
                if (peek() != ':') {
                    throw new BencodeException(Reason.LEADING_ZERO, start, "string length with a leading zero");
                }
            } else {
                while ((b = peek()) != ':') {
                    if (b < '0' || b > '9') {
                        throw new BencodeException(Reason.INVALID_LENGTH, pos, "byte 0x" + Integer.toHexString(b) + " in a string length");
                    }
                    len = len * 10 + (b - '0');
                    if (len > limits.maxStringBytes()) {
                        throw new BencodeException(Reason.STRING_TOO_LONG, start, "string longer than " + limits.maxStringBytes() + " bytes");
                    }
                    pos++;
                }
            }
            pos++; // ':'
            if (len > in.length - pos) {
                throw new BencodeException(Reason.TRUNCATED, start, "string of " + len + " bytes, only " + (in.length - pos) + " left");
            }
            byte[] s = Arrays.copyOfRange(in, pos, pos + (int) len);
            pos += (int) len;
            return s;
        }

        private BList list(int depth) throws BencodeException {
            checkDepth(depth);
            count();
            pos++; // 'l'
            List<BencodeValue> items = new ArrayList<>();
            while (peek() != 'e') {
                items.add(value(depth));
            }
            pos++;
            return new BList(items);
        }

        private BDict dict(int depth) throws BencodeException {
            checkDepth(depth);
            count();
            pos++; // 'd'
            List<BString> keys = new ArrayList<>();
            List<BencodeValue> values = new ArrayList<>();
            int[] spans = new int[8];
            boolean sorted = true;
            BString previous = null;
            int b;
            while ((b = peek()) != 'e') {
                int keyAt = pos;
                if (b < '0' || b > '9') {
                    throw new BencodeException(Reason.NON_STRING_KEY, pos, "dictionary key is not a byte string");
                }
                count();
                BString key = new BString(string());
                if (previous != null) {
                    int cmp = key.compareTo(previous);
                    if (cmp == 0) {
                        throw new BencodeException(Reason.DUPLICATE_KEY, keyAt, "duplicate key " + key);
                    }
                    if (cmp < 0) {
                        if (limits.strict()) {
                            throw new BencodeException(Reason.UNSORTED_KEYS, keyAt, "key " + key + " after " + previous);
                        }
                        sorted = false;
                    }
                }
                previous = key;
                int valueStart = pos;
                BencodeValue v = value(depth);
                int n = keys.size();
                if (2 * n + 2 > spans.length) {
                    spans = Arrays.copyOf(spans, spans.length * 2);
                }
                spans[2 * n] = valueStart;
                spans[2 * n + 1] = pos;
                keys.add(key);
                values.add(v);
            }
            pos++;
            if (!sorted) {
                // Unsorted input can still repeat a key that was not adjacent; refuse it as ambiguous.
                BString[] copy = keys.toArray(new BString[0]);
                Arrays.sort(copy);
                for (int i = 1; i < copy.length; i++) {
                    if (copy[i].equals(copy[i - 1])) {
                        throw new BencodeException(Reason.DUPLICATE_KEY, pos - 1, "duplicate key " + copy[i]);
                    }
                }
            }
            return BDict.decoded(keys, values, in, Arrays.copyOf(spans, 2 * keys.size()), sorted);
        }

        private void checkDepth(int depth) throws BencodeException {
            if (depth > limits.maxDepth()) {
                throw new BencodeException(Reason.TOO_DEEP, pos, "nesting deeper than " + limits.maxDepth());
            }
        }
    }
}
