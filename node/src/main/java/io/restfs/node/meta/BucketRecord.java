package io.restfs.node.meta;

import io.restfs.api.BucketPolicy;
import io.restfs.dht.bencode.BDict;
import io.restfs.dht.bencode.BencodeWriter;

/**
 * A bucket as its pointer record (signed by the cluster's pointer key) holds it: name, policy, the bucket's
 * data key wrapped with a key derived from the cluster key, the incarnation that keys its objects' pointer
 * records, when it was created, and whether it has been deleted (a deleted bucket's record stays, so its
 * sequence number goes on rising if the name is used again).
 */
public record BucketRecord(String name, BucketPolicy policy, byte[] wrappedKey, byte[] incarnation,
                           long createdMillis, boolean deleted) {
    /** Random bytes that tell two buckets of one name apart. */
    public static final int INCARNATION_BYTES = 16;

    public BucketRecord {
        wrappedKey = wrappedKey.clone();
        incarnation = incarnation.clone();
    }

    @Override
    public byte[] wrappedKey() {
        return wrappedKey.clone();
    }

    @Override
    public byte[] incarnation() {
        return incarnation.clone();
    }

    public BucketRecord asDeleted() {
        return new BucketRecord(name, policy, wrappedKey, incarnation, createdMillis, true);
    }

    public byte[] encode() {
        BencodeWriter w = new BencodeWriter(300);
        w.beginDict();
        w.key("c").integer(policy.compress() ? 1 : 0);
        w.key("d").integer(policy.allowDoubleUp() ? 1 : 0);
        w.key("e").integer(policy.encrypt() ? 1 : 0);
        w.key("i").string(incarnation);
        w.key("k").integer(policy.k());
        w.key("m").integer(policy.m());
        w.key("n").string(name);
        w.key("s").integer(policy.segmentSize());
        w.key("t").integer(createdMillis);
        w.key("w").string(wrappedKey);
        w.key("x").integer(deleted ? 1 : 0);
        w.end();
        return w.toByteArray();
    }

    public static BucketRecord decode(byte[] value) throws MalformedRecordException {
        String what = "bucket record";
        BDict d = PointerRecord.dict(value, what);
        long k = PointerRecord.integer(d, "k", what);
        long m = PointerRecord.integer(d, "m", what);
        long s = PointerRecord.integer(d, "s", what);
        if (k < 1 || k > 255 || m < 0 || m > 255 || s < 1 || s > Integer.MAX_VALUE) {
            throw new MalformedRecordException(what, "bad policy " + k + "+" + m + "/" + s);
        }
        BucketPolicy policy = new BucketPolicy((int) k, (int) m, (int) s, PointerRecord.integer(d, "c", what) != 0,
                PointerRecord.integer(d, "e", what) != 0, PointerRecord.integer(d, "d", what) != 0);
        byte[] incarnation = PointerRecord.bytes(d, "i", what);
        if (incarnation.length != INCARNATION_BYTES) {
            throw new MalformedRecordException(what, "incarnation of " + incarnation.length + " bytes");
        }
        return new BucketRecord(PointerRecord.string(d, "n", what), policy, PointerRecord.bytes(d, "w", what),
                incarnation, PointerRecord.integer(d, "t", what), PointerRecord.integer(d, "x", what) != 0);
    }
}
