package io.restfs.blockstore.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of the segment codec over random policies and sizes. Segment sizes stay small (1 KiB to
 * 200 KiB) so hundreds of tries run in seconds, but include the 64 KiB record boundary.
 */
class SegmentCodecPropertiesTest {
    private static final int RECORD = 64 << 10;
    private static final AtomicLong IDS = new AtomicLong(1_000_000);

    private final SegmentCodec codec = new SegmentCodec();

    /** A policy, a data length within its segment size, a data seed and whether the data compresses. */
    record Case(CodecPolicy policy, int length, long seed, boolean compressible) {
        byte[] data() {
            return compressible ? CodecFixtures.compressibleBytes(length, seed) : CodecFixtures.randomBytes(length, seed);
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Integer> segmentSizes = Arbitraries.oneOf(
                Arbitraries.integers().between(CodecPolicy.MIN_SEGMENT_SIZE, 8 << 10),
                Arbitraries.of(RECORD - 1, RECORD, RECORD + 1, 2 * RECORD + 37, 200 << 10));
        Arbitrary<CodecPolicy> policies = Combinators.combine(
                Arbitraries.integers().between(1, 32), Arbitraries.integers().between(0, 16), segmentSizes,
                Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as(CodecPolicy::new);
        return policies.flatMap(p -> {
            int seg = p.segmentSize();
            List<Integer> edges = new ArrayList<>(List.of(0, 1, seg - 1, seg));
            for (int n : new int[] {RECORD - 1, RECORD, RECORD + 1, 2 * RECORD - 1, 2 * RECORD, 2 * RECORD + 1}) {
                if (n <= seg) {
                    edges.add(n);
                }
            }
            Arbitrary<Integer> lengths = Arbitraries.oneOf(Arbitraries.of(edges), Arbitraries.integers().between(0, seg));
            return Combinators.combine(lengths, Arbitraries.longs(), Arbitraries.of(true, false))
                    .as((n, seed, c) -> new Case(p, n, seed, c));
        });
    }

    private static SegmentId freshId() {
        return CodecFixtures.id(IDS.incrementAndGet());
    }

    @Property(tries = 250)
    void roundTripsFromAnyKShardsInAnyOrder(@ForAll("cases") Case c, @ForAll long shuffleSeed) {
        byte[] data = c.data();
        SegmentId id = freshId();
        BucketKey key = CodecFixtures.key(c.seed());
        EncodedSegment s = codec.encode(c.policy(), id, key, data);
        assertEquals(c.policy().totalShards(), s.shards().size());
        List<byte[]> shards = new ArrayList<>(s.shardBytes());
        Collections.shuffle(shards, new Random(shuffleSeed));
        assertArrayEquals(data, codec.decode(id, key, shards.subList(0, c.policy().k())));
    }

    @Example
    void decodesFromEveryKSubsetOfSmallPolicies() {
        int[][] policies = {{2, 1}, {3, 2}, {4, 2}};
        for (int[] km : policies) {
            for (boolean compressible : new boolean[] {false, true}) {
                CodecPolicy p = new CodecPolicy(km[0], km[1], 256 << 10, true, true);
                // 150,001 bytes: three records whose boundaries fall inside shards, not on them.
                byte[] data = compressible ? CodecFixtures.compressibleBytes(150_001, 7)
                        : CodecFixtures.randomBytes(150_001, 7);
                SegmentId id = freshId();
                BucketKey key = CodecFixtures.key(3);
                List<byte[]> all = codec.encode(p, id, key, data).shardBytes();
                int n = p.totalShards();
                int subsets = 0;
                for (int mask = 0; mask < 1 << n; mask++) {
                    if (Integer.bitCount(mask) != p.k()) {
                        continue;
                    }
                    List<byte[]> chosen = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        if ((mask & 1 << i) != 0) {
                            chosen.add(all.get(i));
                        }
                    }
                    assertArrayEquals(data, codec.decode(id, key, chosen), p + " subset " + Integer.toBinaryString(mask));
                    subsets++;
                }
                assertTrue(subsets >= 3);
            }
        }
    }

    @Example
    void detectsEverySingleByteCorruptionOfEveryShard() {
        CodecPolicy p = new CodecPolicy(2, 1, 4096, true, true);
        byte[] data = CodecFixtures.randomBytes(300, 11);
        SegmentId id = freshId();
        BucketKey key = CodecFixtures.key(11);
        List<byte[]> all = codec.encode(p, id, key, data).shardBytes();
        for (int shard = 0; shard < all.size(); shard++) {
            for (int pos = 0; pos < all.get(shard).length; pos++) {
                List<byte[]> damaged = CodecFixtures.copies(all);
                damaged.get(shard)[pos] ^= 0x01;
                // With all three shards, the damaged one is ignored and the other two decode.
                assertArrayEquals(data, codec.decode(id, key, damaged), "shard " + shard + " byte " + pos);
                // With only two, the damaged one leaves fewer than k good, and the error names it.
                List<byte[]> two = new ArrayList<>(damaged);
                two.remove(shard == 0 ? 1 : 0);
                int damagedIndex = shard;
                NotEnoughShardsException e = assertThrows(NotEnoughShardsException.class, () -> codec.decode(id, key, two));
                assertTrue(e.missingIndices().contains(damagedIndex), e.getMessage());
            }
        }
    }

    @Property(tries = 200)
    void corruptionIsIgnoredWhileKGoodShardsRemain(@ForAll("cases") Case c, @ForAll @IntRange(min = 0, max = 47) int shardPick,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int posPick, @ForAll @IntRange(min = 1, max = 255) int mask) {
        byte[] data = c.data();
        SegmentId id = freshId();
        BucketKey key = CodecFixtures.key(c.seed());
        List<byte[]> shards = CodecFixtures.copies(codec.encode(c.policy(), id, key, data).shardBytes());
        int shard = shardPick % shards.size();
        byte[] victim = shards.get(shard);
        victim[posPick % victim.length] ^= (byte) mask;
        if (c.policy().m() > 0) {
            assertArrayEquals(data, codec.decode(id, key, shards));
        } else {
            NotEnoughShardsException e = assertThrows(NotEnoughShardsException.class, () -> codec.decode(id, key, shards));
            if (e.needed() == -1) {
                // The only shard's header was hit: nothing says which policy or index it had.
                assertEquals(1, shards.size());
                assertEquals(1, e.unplaceable().size(), e.getMessage());
            } else {
                assertEquals(List.of(shard), e.missingIndices());
            }
        }
    }

    @Property(tries = 200)
    void arbitraryBytesAreRefusedWithAClearError(@ForAll byte[] junk, @ForAll boolean withMagic) {
        byte[] shard = junk;
        if (withMagic && junk.length >= 4) {
            shard = junk.clone();
            shard[0] = 'R';
            shard[1] = 'F';
            shard[2] = 'S';
            shard[3] = 'S';
        }
        List<byte[]> given = List.of(shard);
        NotEnoughShardsException e = assertThrows(NotEnoughShardsException.class,
                () -> codec.decode(freshId(), CodecFixtures.key(1), given));
        assertEquals(1, e.unplaceable().size(), e.getMessage());
    }

    @Property(tries = 100)
    void wrongKeyAlwaysFailsAuthentication(@ForAll("cases") Case c, @ForAll long otherKeySeed) {
        CodecPolicy p = new CodecPolicy(c.policy().k(), c.policy().m(), c.policy().segmentSize(),
                c.policy().compress(), true);
        SegmentId id = freshId();
        BucketKey key = CodecFixtures.key(c.seed());
        BucketKey other = CodecFixtures.key(otherKeySeed == c.seed() ? otherKeySeed + 1 : otherKeySeed);
        List<byte[]> shards = codec.encode(p, id, key, c.data()).shardBytes();
        SegmentAuthenticationException e = assertThrows(SegmentAuthenticationException.class,
                () -> codec.decode(id, other, shards));
        assertEquals(id, e.segmentId());
    }

    @Property(tries = 100)
    void fewerThanKShardsNamesEveryMissingIndex(@ForAll("cases") Case c, @ForAll long shuffleSeed,
            @ForAll @IntRange(min = 0, max = 31) int keepPick) {
        SegmentId id = freshId();
        BucketKey key = CodecFixtures.key(c.seed());
        List<Shard> shards = new ArrayList<>(codec.encode(c.policy(), id, key, c.data()).shards());
        Collections.shuffle(shards, new Random(shuffleSeed));
        int keep = keepPick % c.policy().k();
        List<Shard> kept = shards.subList(0, keep);
        List<Integer> expectedGood = kept.stream().map(Shard::index).sorted().toList();
        List<Integer> expectedMissing = new ArrayList<>();
        for (int i = 0; i < c.policy().totalShards(); i++) {
            if (!expectedGood.contains(i)) {
                expectedMissing.add(i);
            }
        }
        NotEnoughShardsException e = assertThrows(NotEnoughShardsException.class,
                () -> codec.decode(id, key, kept.stream().map(Shard::bytes).toList()));
        if (keep > 0) {
            assertEquals(c.policy().k(), e.needed());
            assertEquals(expectedGood, e.goodIndices());
            assertEquals(expectedMissing, e.missingIndices());
        } else {
            assertEquals(-1, e.needed());
        }
    }
}
