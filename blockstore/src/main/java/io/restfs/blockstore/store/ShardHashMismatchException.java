package io.restfs.blockstore.store;

/** The bytes offered for a shard do not have the hash the writer promised; nothing was stored. */
public final class ShardHashMismatchException extends ShardStoreException {

    private final Sha256 expected;
    private final Sha256 actual;

    public ShardHashMismatchException(ShardKey key, Sha256 expected, Sha256 actual) {
        super(key, "shard " + key + " rejected: expected SHA-256 " + expected + ", received bytes hash to " + actual);
        this.expected = expected;
        this.actual = actual;
    }

    public Sha256 expected() {
        return expected;
    }

    public Sha256 actual() {
        return actual;
    }
}
