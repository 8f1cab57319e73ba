package io.restfs.node.meta;

import java.util.Optional;

import io.restfs.dht.bencode.BDict;
import io.restfs.dht.bencode.BString;
import io.restfs.dht.bencode.BencodeWriter;

/**
 * The pointer record behind {@code bucket.list}: the stored segment of a {@link DirectoryListing} whose entries
 * are the cluster's bucket names (empty when there are none), and a version that rises with every change.
 */
public record BucketIndex(long version, Optional<StoredSegment> listing) {
    public byte[] encode() {
        BencodeWriter w = new BencodeWriter(300);
        w.beginDict();
        if (listing.isPresent()) {
            w.key("r").string(listing.get().toBytes());
        }
        w.key("v").integer(version);
        w.end();
        return w.toByteArray();
    }

    public static BucketIndex decode(byte[] value) throws MalformedRecordException {
        BDict d = PointerRecord.dict(value, "bucket index");
        Optional<StoredSegment> ref = Optional.empty();
        if (d.get("r") instanceof BString r) {
            ref = Optional.of(StoredSegment.fromBytes(r.bytes()));
        }
        return new BucketIndex(PointerRecord.integer(d, "v", "bucket index"), ref);
    }
}
