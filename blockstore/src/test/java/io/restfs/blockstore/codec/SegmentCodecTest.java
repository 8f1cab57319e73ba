package io.restfs.blockstore.codec;

import static io.restfs.blockstore.codec.CodecFixtures.compressibleBytes;
import static io.restfs.blockstore.codec.CodecFixtures.copies;
import static io.restfs.blockstore.codec.CodecFixtures.id;
import static io.restfs.blockstore.codec.CodecFixtures.key;
import static io.restfs.blockstore.codec.CodecFixtures.randomBytes;
import static io.restfs.blockstore.codec.CodecFixtures.reseal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentCodecTest {
    private final SegmentCodec codec = new SegmentCodec();
    private static final CodecPolicy SMALL = new CodecPolicy(4, 2, 256 << 10, true, true);

    @Test
    void plainPolicyStoresTheBytesThemselves() {
        byte[] data = randomBytes(5000, 1);
        EncodedSegment s = codec.encode(CodecPolicy.plain(8192), id(1), null, data);
        assertEquals(1, s.shards().size());
        byte[] shard = s.shards().get(0).bytes();
        assertEquals(ShardHeader.SIZE + data.length, shard.length);
        assertArrayEquals(data, Arrays.copyOfRange(shard, ShardHeader.SIZE, shard.length));
        assertArrayEquals(data, codec.decode(id(1), null, s.shardBytes()));
    }

    @Test
    void roundTripsEmptyAndOneByteSegments() {
        int n = 100;
        for (byte[] data : List.of(new byte[0], new byte[] {42})) {
            for (CodecPolicy p : List.of(SMALL, CodecPolicy.plain(1024), new CodecPolicy(3, 0, 1024, true, true))) {
                SegmentId id = id(n++);
                EncodedSegment s = codec.encode(p, id, key(1), data);
                assertArrayEquals(data, codec.decode(id, key(1), s.shardBytes()), p.toString());
            }
        }
    }

    @Test
    void keepsCompressionOnlyWhenItSavesFivePercent() {
        EncodedSegment random = codec.encode(SMALL, id(2), key(1), randomBytes(100_000, 2));
        EncodedSegment text = codec.encode(SMALL, id(3), key(1), compressibleBytes(100_000, 3));
        assertFalse(random.compressed());
        assertTrue(text.compressed());
        ShardHeader h = ShardHeader.parse(text.shards().get(0).bytes());
        assertTrue(h.storedLength() * 100L <= 100_000L * 95);
        assertArrayEquals(compressibleBytes(100_000, 3), codec.decode(id(3), key(1), text.shardBytes()));
    }

    @Test
    void ciphertextDoesNotContainThePlaintext() {
        byte[] data = new byte[10_000];
        Arrays.fill(data, (byte) 'x');
        CodecPolicy p = new CodecPolicy(1, 0, 16 << 10, false, true);
        byte[] shard = codec.encode(p, id(4), key(1), data).shards().get(0).bytes();
        int run = 0;
        int longest = 0;
        for (int i = ShardHeader.SIZE; i < shard.length; i++) {
            run = shard[i] == 'x' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        assertTrue(longest < 8, "plaintext run of " + longest + " bytes visible in ciphertext");
    }

    @Test
    void decodesFromParityAloneAfterLosingDataShards() {
        byte[] data = randomBytes(200_000, 5);
        EncodedSegment s = codec.encode(SMALL, id(5), key(1), data);
        List<byte[]> lastFour = s.shardBytes().subList(2, 6);
        assertArrayEquals(data, codec.decode(id(5), key(1), lastFour));
    }

    @Test
    void acceptsShardsInAnyOrderWithDuplicatesAndStrangers() {
        byte[] data = randomBytes(150_000, 6);
        EncodedSegment s = codec.encode(SMALL, id(6), key(1), data);
        EncodedSegment other = codec.encode(SMALL, id(7), key(1), randomBytes(150_000, 7));
        List<byte[]> mixed = new ArrayList<>();
        mixed.add(other.shardBytes().get(0));
        mixed.add(s.shardBytes().get(5));
        mixed.add(s.shardBytes().get(5));
        mixed.add(new byte[] {1, 2, 3});
        mixed.add(s.shardBytes().get(3));
        mixed.add(s.shardBytes().get(1));
        mixed.add(other.shardBytes().get(1));
        assertThrows(NotEnoughShardsException.class, () -> codec.decode(id(6), key(1), mixed));
        mixed.add(s.shardBytes().get(4));
        assertArrayEquals(data, codec.decode(id(6), key(1), mixed));
    }

    @Test
    void wrongKeyFailsAuthentication() {
        EncodedSegment s = codec.encode(SMALL, id(8), key(1), randomBytes(70_000, 8));
        SegmentAuthenticationException e = assertThrows(SegmentAuthenticationException.class,
                () -> codec.decode(id(8), key(2), s.shardBytes()));
        assertEquals(0, e.recordIndex());
        assertEquals(id(8), e.segmentId());
    }

    @Test
    void tamperedCiphertextWithForgedHashesFailsAuthentication() {
        byte[] data = randomBytes(200_000, 9);
        EncodedSegment s = codec.encode(new CodecPolicy(2, 0, 256 << 10, false, true), id(9), key(1), data);
        List<byte[]> shards = copies(s.shardBytes());
        shards.get(1)[ShardHeader.SIZE + 10] ^= 1;
        reseal(shards.get(1));
        SegmentAuthenticationException e = assertThrows(SegmentAuthenticationException.class,
                () -> codec.decode(id(9), key(1), shards));
        assertTrue(e.recordIndex() >= 1, "record " + e.recordIndex());
    }

    @Test
    void swappedRecordsFailAuthentication() {
        byte[] data = randomBytes(3 * (64 << 10), 10);
        EncodedSegment s = codec.encode(new CodecPolicy(1, 0, 256 << 10, false, true), id(10), key(1), data);
        byte[] shard = s.shards().get(0).bytes().clone();
        int rec = (64 << 10) + 16;
        byte[] first = Arrays.copyOfRange(shard, ShardHeader.SIZE, ShardHeader.SIZE + rec);
        System.arraycopy(shard, ShardHeader.SIZE + rec, shard, ShardHeader.SIZE, rec);
        System.arraycopy(first, 0, shard, ShardHeader.SIZE + rec, rec);
        reseal(shard);
        assertThrows(SegmentAuthenticationException.class, () -> codec.decode(id(10), key(1), List.of(shard)));
    }

    @Test
    void shardsRelabelledAsAnotherSegmentFailAuthentication() {
        byte[] data = randomBytes(1000, 11);
        EncodedSegment s = codec.encode(new CodecPolicy(1, 0, 4096, false, true), id(11), key(1), data);
        byte[] shard = s.shards().get(0).bytes().clone();
        System.arraycopy(id(12).bytes(), 0, shard, 32, SegmentId.LENGTH);
        reseal(shard);
        assertThrows(SegmentAuthenticationException.class, () -> codec.decode(id(12), key(1), List.of(shard)));
    }

    @Test
    void forgedPlaintextOfUnencryptedSegmentFailsIntegrityCheck() {
        byte[] data = randomBytes(1000, 13);
        EncodedSegment s = codec.encode(CodecPolicy.plain(4096), id(13), null, data);
        byte[] shard = s.shards().get(0).bytes().clone();
        shard[ShardHeader.SIZE] ^= 1;
        reseal(shard);
        assertThrows(SegmentIntegrityException.class, () -> codec.decode(id(13), null, List.of(shard)));
    }

    @Test
    void forgedCompressedBytesOfUnencryptedSegmentFailIntegrityCheckNotTheProcess() {
        byte[] data = compressibleBytes(20_000, 20);
        CodecPolicy compressOnly = new CodecPolicy(1, 0, 32 << 10, true, false);
        byte[] good = codec.encode(compressOnly, id(20), null, data).shards().get(0).bytes();
        java.util.SplittableRandom r = new java.util.SplittableRandom(20);
        for (int trial = 0; trial < 300; trial++) {
            byte[] shard = good.clone();
            int pos = ShardHeader.SIZE + r.nextInt(shard.length - ShardHeader.SIZE);
            shard[pos] ^= (byte) (1 + r.nextInt(255));
            reseal(shard);
            assertThrows(SegmentIntegrityException.class, () -> codec.decode(id(20), null, List.of(shard)),
                    "byte " + pos);
        }
    }

    @Test
    void manifestHashesSkipAShardForgedWhole() {
        byte[] data = randomBytes(100_000, 21);
        EncodedSegment s = codec.encode(SMALL, id(21), key(1), data);
        List<byte[]> manifest = s.shards().stream().map(Shard::payloadHash).toList();
        List<byte[]> shards = copies(s.shardBytes());
        shards.get(0)[ShardHeader.SIZE + 5] ^= 1;
        reseal(shards.get(0)); // consistent header, hash and CRC: only the manifest or AES-GCM can tell
        assertThrows(SegmentAuthenticationException.class, () -> codec.decode(id(21), key(1), shards));
        assertArrayEquals(data, codec.decode(id(21), key(1), shards, manifest));
        NotEnoughShardsException e = assertThrows(NotEnoughShardsException.class,
                () -> codec.decode(id(21), key(1), shards.subList(0, 4), manifest));
        assertTrue(e.rejected().get(0).contains("manifest"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> codec.decode(id(21), key(1), s.shardBytes(), manifest.subList(0, 5)));
    }

    @Test
    void fewerThanKGoodShardsNamesTheMissingIndices() {
        EncodedSegment s = codec.encode(SMALL, id(14), key(1), randomBytes(90_000, 14));
        List<byte[]> shards = copies(s.shardBytes());
        shards.get(4)[ShardHeader.SIZE + 3] ^= 0x40;
        List<byte[]> given = List.of(shards.get(0), shards.get(2), shards.get(4), shards.get(5));
        NotEnoughShardsException e = assertThrows(NotEnoughShardsException.class,
                () -> codec.decode(id(14), key(1), given));
        assertEquals(4, e.needed());
        assertEquals(List.of(0, 2, 5), e.goodIndices());
        assertEquals(List.of(1, 3, 4), e.missingIndices());
        assertTrue(e.rejected().get(4).contains("SHA-256"), e.rejected().toString());
        assertTrue(e.getMessage().contains("missing indices [1, 3, 4]"), e.getMessage());
    }

    @Test
    void noReadableShardIsAClearError() {
        NotEnoughShardsException e = assertThrows(NotEnoughShardsException.class,
                () -> codec.decode(id(15), key(1), List.of(new byte[200], new byte[3])));
        assertEquals(2, e.unplaceable().size());
        assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
    }

    @Test
    void refusesSegmentsLargerThanThePolicy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codec.encode(CodecPolicy.plain(1024), id(16), null, new byte[1025]));
        assertTrue(e.getMessage().contains("1025"), e.getMessage());
    }

    @Test
    void encryptingPolicyNeedsAKey() {
        assertThrows(IllegalArgumentException.class, () -> codec.encode(SMALL, id(17), null, new byte[10]));
    }

    @Test
    void usesAnErasureCoderGivenToIt() {
        int[] created = new int[1];
        SegmentCodec counting = new SegmentCodec((k, m) -> {
            created[0]++;
            return new BackblazeErasureCoder(k, m);
        });
        byte[] data = randomBytes(10_000, 18);
        counting.encode(SMALL, id(18), key(1), data);
        counting.encode(SMALL, id(19), key(1), data);
        assertEquals(1, created[0], "one coder per (k, m), reused");
    }
}
