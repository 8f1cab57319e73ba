package io.restfs.blockstore.store;

/**
 * A stored shard's bytes no longer match its hash (or its recorded size). It has been counted and
 * quarantined and will not be served; the caller should fetch or rebuild it elsewhere.
 */
public final class ShardCorruptException extends ShardStoreException {

    private final Sha256 expected;
    private final Sha256 actual;

    public ShardCorruptException(ShardKey key, Sha256 expected, Sha256 actual, String detail) {
        super(key, "shard " + key + " is corrupt (" + detail + "): expected " + expected + ", found " + actual
                + "; quarantined");
        this.expected = expected;
        this.actual = actual;
    }

    public Sha256 expected() {
        return expected;
    }

    /** The hash of what was on disk. */
    public Sha256 actual() {
        return actual;
    }
}
