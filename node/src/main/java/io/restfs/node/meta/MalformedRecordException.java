package io.restfs.node.meta;

/** A metadata record (pointer, manifest, listing, bucket record) that does not decode; says what was wrong. */
public final class MalformedRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedRecordException(String what, String problem) {
        super(what + ": " + problem);
    }

    public MalformedRecordException(String what, Throwable cause) {
        super(what + ": " + cause.getMessage(), cause);
    }
}
