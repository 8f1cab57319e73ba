package io.restfs.blockstore.codec;

/**
 * A systematic k+m erasure code over equal-length shards held in separate arrays: parity from data,
 * and any missing shards from any k present ones. Backblaze's Reed-Solomon is the implementation;
 * the interface lets a faster coder replace it without touching the segment format.
 */
public interface ErasureCoder {
    int dataShards();

    int parityShards();

    /**
     * Computes {@code shards[k..k+m)} from {@code shards[0..k)}, over bytes {@code [offset, offset+length)}
     * of each array. All k+m arrays must exist and be at least {@code offset+length} long.
     */
    void encodeParity(byte[][] shards, int offset, int length);

    /**
     * Fills in the shards whose {@code present} flag is false from at least k that are present, over
     * the same byte range. Missing arrays must be allocated by the caller; present ones are only read.
     */
    void reconstruct(byte[][] shards, boolean[] present, int offset, int length);

    /**
     * Like {@link #reconstruct} but fills in only the missing data shards ({@code shards[0..k)}); arrays
     * of missing parity shards are neither read nor written and may be null. A reader needs only the
     * data, and rebuilding parity it will not use would cost as much again per parity shard.
     */
    default void reconstructData(byte[][] shards, boolean[] present, int offset, int length) {
        byte[][] all = shards.clone();
        for (int i = 0; i < all.length; i++) {
            if (all[i] == null) {
                all[i] = new byte[offset + length];
            }
        }
        reconstruct(all, present, offset, length);
        System.arraycopy(all, 0, shards, 0, dataShards());
    }

    /** Makes a coder for a policy's k and m; {@link SegmentCodec} keeps one per (k, m). */
    @FunctionalInterface
    interface Factory {
        ErasureCoder create(int dataShards, int parityShards);
    }
}
