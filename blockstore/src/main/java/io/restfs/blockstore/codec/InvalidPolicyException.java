package io.restfs.blockstore.codec;

/** A codec policy (k, m, segment size, flags) outside what restfs supports; names the field and its limits. */
public final class InvalidPolicyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final long value;

    InvalidPolicyException(String field, long value, String limits) {
        super("invalid codec policy: " + field + " = " + value + " (" + limits + ")");
        this.field = field;
        this.value = value;
    }

    /** The policy field that is out of range: {@code k}, {@code m} or {@code segmentSize}. */
    public String field() {
        return field;
    }

    public long value() {
        return value;
    }
}
