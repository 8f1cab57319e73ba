package io.restfs.blockstore.codec;

import com.backblaze.erasure.ReedSolomon;

/**
 * Reed-Solomon over GF(2^8) by Backblaze's coder (MIT; shipped in {@code com.github.l42111996:kcp-fec}).
 * Its encoder holds only read-only matrices, so one instance is shared by all threads.
 */
public final class BackblazeErasureCoder implements ErasureCoder {
    private final ReedSolomon rs;

    public BackblazeErasureCoder(int dataShards, int parityShards) {
        if (dataShards < 1 || parityShards < 1 || dataShards + parityShards > 256) {
            throw new IllegalArgumentException("Reed-Solomon needs k >= 1, m >= 1 and k+m <= 256, got "
                    + dataShards + "+" + parityShards);
        }
        this.rs = ReedSolomon.create(dataShards, parityShards);
    }

    @Override
    public int dataShards() {
        return rs.getDataShardCount();
    }

    @Override
    public int parityShards() {
        return rs.getParityShardCount();
    }

    @Override
    public void encodeParity(byte[][] shards, int offset, int length) {
        rs.encodeParity(shards, offset, length);
    }

    @Override
    public void reconstruct(byte[][] shards, boolean[] present, int offset, int length) {
        rs.decodeMissing(shards, present, offset, length);
    }
}
