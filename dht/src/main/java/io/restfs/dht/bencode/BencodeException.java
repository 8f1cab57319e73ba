package io.restfs.dht.bencode;

/**
 * Bytes that are not acceptable bencode (malformed, non-canonical, or over a limit). Carries the reason and the
 * offset of the offending byte so that a caller can log or count it without parsing the message.
 */
public final class BencodeException extends Exception {
    /** What kind of defect the input had; stable, so callers can count them per kind. */
    public enum Reason {
        TRUNCATED,
        UNEXPECTED_BYTE,
        INVALID_INTEGER,
        LEADING_ZERO,
        NEGATIVE_ZERO,
        INTEGER_OVERFLOW,
        INVALID_LENGTH,
        STRING_TOO_LONG,
        NON_STRING_KEY,
        UNSORTED_KEYS,
        DUPLICATE_KEY,
        TOO_DEEP,
        TOO_MANY_ELEMENTS,
        INPUT_TOO_LARGE,
        TRAILING_BYTES
    }

    private final Reason reason;
    private final int offset;

    public BencodeException(Reason reason, int offset, String detail) {
        super(reason + " at offset " + offset + ": " + detail, null, false, false);
        this.reason = reason;
        this.offset = offset;
    }

    public Reason reason() {
        return reason;
    }

    /** Offset in the decoded input where the defect was found. */
    public int offset() {
        return offset;
    }
}
