package io.restfs.node.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.restfs.api.BucketPolicy;
import io.restfs.api.DirEntry;
import io.restfs.api.ObjectType;
import io.restfs.blockstore.codec.BucketKey;
import io.restfs.blockstore.codec.SegmentId;
import io.restfs.blockstore.store.Sha256;
import io.restfs.dht.id.NodeId;

class MetadataRecordsTest {
    private static final Random R = new Random(11);

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        R.nextBytes(b);
        return b;
    }

    private static StoredSegment segment(int k, int m, boolean hints) {
        List<ShardRef> refs = new ArrayList<>();
        for (int i = 0; i < k + m; i++) {
            refs.add(new ShardRef(i, new Sha256(bytes(32)), hints ? Optional.of(NodeId.of(bytes(20))) : Optional.empty()));
        }
        return new StoredSegment(SegmentId.of(bytes(16)), 12345, k, m, refs);
    }

    @Test
    void pointerRecordRoundTripsWithinBep44Limit() throws Exception {
        PointerRecord p = new PointerRecord(ObjectType.FILE, 7, false, 1 << 30, 1_700_000_000_000L,
                Optional.of(segment(2, 2, true)));
        byte[] enc = p.encode();
        assertTrue(enc.length <= 1000, enc.length + " bytes");
        PointerRecord back = PointerRecord.decode(enc);
        assertEquals(p.version(), back.version());
        assertEquals(p.size(), back.size());
        assertEquals(p.ref(), back.ref());
        PointerRecord dir = new PointerRecord(ObjectType.DIRECTORY, 1, true, 0, 5, Optional.empty());
        assertEquals(dir, PointerRecord.decode(dir.encode()));
    }

    @Test
    void manifestRoundTripsWithItsChainAndHolderHints() throws Exception {
        List<StoredSegment> segs = List.of(segment(4, 2, true), segment(4, 2, false));
        Manifest m = new Manifest(3, false, 99, 2 * 12345, 0644, "alice", bytes(32), segs,
                Optional.of(segment(2, 2, true)));
        Manifest back = Manifest.decode(m.encode());
        assertEquals(m.segments(), back.segments());
        assertEquals(m.previous(), back.previous());
        assertArrayEquals(m.sha256(), back.sha256());
        assertEquals("alice", back.owner());
        assertTrue(back.segments().get(1).shards().get(0).holder().isEmpty());
    }

    @Test
    void manifestWhoseSegmentsDoNotAddUpIsRefused() {
        Manifest m = new Manifest(1, false, 1, 5, 0, "", bytes(32), List.of(segment(2, 1, false)), Optional.empty());
        assertThrows(MalformedRecordException.class, () -> Manifest.decode(m.encode()));
        byte[] enc = new Manifest(1, false, 1, 12345, 0, "", bytes(32), List.of(segment(2, 1, false)), Optional.empty())
                .encode();
        byte[] truncated = java.util.Arrays.copyOf(enc, enc.length - 3);
        assertThrows(MalformedRecordException.class, () -> Manifest.decode(truncated));
        assertThrows(MalformedRecordException.class, () -> Manifest.decode(bytes(100)));
    }

    @Test
    void manifestWithPurgedVersionsOrARenameFlagIsFormat2AndOneWithoutStaysFormat1() throws Exception {
        Manifest plain = new Manifest(5, false, 99, 12345, 0644, "", bytes(32), List.of(segment(4, 2, true)),
                Optional.of(segment(2, 2, true)));
        byte[] format1 = plain.encode();
        assertEquals(1, format1[4], "the format byte after RFSM");
        Manifest purging = plain.purging(3).purging(1).purging(3);
        byte[] format2 = purging.encode();
        assertEquals(2, format2[4]);
        // Format 2 is format 1 with renamed, the purged count and the purged versions appended.
        assertArrayEquals(java.util.Arrays.copyOfRange(format1, 5, format1.length),
                java.util.Arrays.copyOfRange(format2, 5, format1.length));
        assertEquals(format1.length + 1 + 4 + 2 * 8, format2.length);
        Manifest back = Manifest.decode(format2);
        assertEquals(List.of(1L, 3L), back.purged());
        assertEquals(false, back.renamed());
        assertEquals(plain.segments(), back.segments());
        assertEquals(List.of(), Manifest.decode(format1).purged());
        Manifest moved = new Manifest(2, true, 9, 0, 0, "", new byte[32], List.of(), Optional.of(segment(2, 2, true)),
                true, List.of());
        assertTrue(Manifest.decode(moved.encode()).renamed());
    }

    @Test
    void manifestPurgingItsOwnVersionOrANewerOneIsRefused() {
        Manifest m = new Manifest(3, false, 1, 0, 0, "", bytes(32), List.of(), Optional.empty());
        assertThrows(IllegalArgumentException.class, () -> m.purging(3));
        assertThrows(IllegalArgumentException.class, () -> m.purging(4));
        assertThrows(IllegalArgumentException.class, () -> m.purging(0));
        byte[] enc = m.purging(2).encode();
        // The purged version (last 8 bytes) rewritten as 3, the manifest's own: refused as malformed.
        enc[enc.length - 1] = 3;
        assertThrows(MalformedRecordException.class, () -> Manifest.decode(enc));
        byte[] count = m.purging(2).encode();
        count[count.length - 9] = (byte) 0x7f; // the purged count's low byte: far more than follow
        assertThrows(MalformedRecordException.class, () -> Manifest.decode(count));
    }

    @Test
    void listingStaysSortedAndRoundTrips() throws Exception {
        DirectoryListing l = DirectoryListing.EMPTY
                .with(new DirEntry("b", ObjectType.FILE, 3, 1, 1))
                .with(new DirEntry("a", ObjectType.DIRECTORY, 0, 1, 1))
                .with(new DirEntry("c", ObjectType.FILE, 3, 1, 1))
                .with(new DirEntry("b", ObjectType.FILE, 4, 2, 2))
                .without("c");
        assertEquals(List.of("a", "b"), l.entries().stream().map(DirEntry::name).toList());
        assertEquals(4, l.get("b").orElseThrow().size());
        assertEquals(l, DirectoryListing.decode(l.encode()));
        assertThrows(MalformedRecordException.class, () -> DirectoryListing.decode(new byte[] {1, 2, 3}));
    }

    @Test
    void bucketRecordRoundTripsAndItsKeyUnwrapsOnlyForItsNameAndCluster() throws Exception {
        MetadataKeys keys = new MetadataKeys(bytes(32));
        BucketKey key = BucketKey.generate(new SecureRandom());
        byte[] wrapped = keys.wrap(key, "photos", new SecureRandom());
        BucketRecord r = new BucketRecord("photos", new BucketPolicy(4, 2, 1 << 20, true, false, true), wrapped,
                bytes(16), 42, false);
        BucketRecord back = BucketRecord.decode(r.encode());
        assertEquals(r.policy(), back.policy());
        assertEquals(key, keys.unwrap(back.wrappedKey(), "photos"));
        assertThrows(GeneralSecurityException.class, () -> keys.unwrap(wrapped, "other"));
        assertThrows(GeneralSecurityException.class, () -> new MetadataKeys(bytes(32)).unwrap(wrapped, "photos"));
        assertTrue(BucketRecord.decode(r.asDeleted().encode()).deleted());
    }

    @Test
    void signersDifferPerBucketIncarnationAndSaltsPerPath() {
        MetadataKeys keys = new MetadataKeys(bytes(32));
        byte[] inc = bytes(16);
        assertArrayEquals(keys.bucketSigner("a", inc).publicKey(), keys.bucketSigner("a", inc).publicKey());
        assertNotEquals(NodeId.sha1(keys.bucketSigner("a", inc).publicKey()),
                NodeId.sha1(keys.bucketSigner("a", bytes(16)).publicKey()));
        assertNotEquals(NodeId.sha1(keys.bucketSigner("a", inc).publicKey()),
                NodeId.sha1(keys.bucketSigner("b", inc).publicKey()));
        assertEquals(32, MetadataKeys.pathSalt("/x").length);
        assertNotEquals(NodeId.sha1(MetadataKeys.pathSalt("/x")), NodeId.sha1(MetadataKeys.pathSalt("/y")));
    }
}
