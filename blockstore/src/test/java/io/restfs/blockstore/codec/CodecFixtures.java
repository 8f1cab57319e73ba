package io.restfs.blockstore.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/** Deterministic inputs for the codec tests: keys, ids, random and compressible bytes. */
final class CodecFixtures {
    private CodecFixtures() {
    }

    static BucketKey key(long seed) {
        byte[] b = new byte[BucketKey.LENGTH];
        new SplittableRandom(seed).nextBytes(b);
        return BucketKey.of(b);
    }

    static SegmentId id(long seed) {
        byte[] b = new byte[SegmentId.LENGTH];
        new SplittableRandom(seed ^ 0x1D).nextBytes(b);
        return SegmentId.of(b);
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** Bytes drawn from a 4-letter alphabet: snappy always saves far more than 5% on them. */
    static byte[] compressibleBytes(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ("ACGT".charAt(r.nextInt(4)));
        }
        return b;
    }

    static List<byte[]> copies(List<byte[]> shards) {
        List<byte[]> out = new ArrayList<>(shards.size());
        for (byte[] s : shards) {
            out.add(s.clone());
        }
        return out;
    }

    /** Re-seals a shard after a test edits its payload: new payload hash and header CRC, as a forger would. */
    static void reseal(byte[] shard) {
        ShardHeader h = ShardHeader.parse(withoutChecks(shard));
        byte[] hash = sha256(shard, ShardHeader.SIZE, shard.length - ShardHeader.SIZE);
        new ShardHeader(h.policy(), h.compressed(), h.index(), h.plaintextLength(), h.storedLength(),
                h.ciphertextLength(), h.payloadLength(), h.segmentId(), hash, h.plaintextHash()).writeTo(shard);
    }

    /** A copy whose header CRC is recomputed, so that parse() reads the fields of an edited header. */
    private static byte[] withoutChecks(byte[] shard) {
        byte[] c = shard.clone();
        CRC32C crc = new CRC32C();
        crc.update(c, 0, 112);
        int v = (int) crc.getValue();
        c[112] = (byte) (v >>> 24);
        c[113] = (byte) (v >>> 16);
        c[114] = (byte) (v >>> 8);
        c[115] = (byte) v;
        return c;
    }

    static byte[] sha256(byte[] b, int off, int len) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(b, off, len);
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
