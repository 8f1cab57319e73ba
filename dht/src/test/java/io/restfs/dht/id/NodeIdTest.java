package io.restfs.dht.id;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NodeIdTest {
    /**
     * Random ids, many sharing their first 7-9, 15-17 or 19 bytes, so each of the three words an id is compared by
     * (bytes 0-7, 8-15, 16-19) decides some pairs.
     */
    private static NodeId[] ids(SplittableRandom random, int n) {
        byte[] base = new byte[NodeId.LENGTH];
        random.nextBytes(base);
        NodeId[] out = new NodeId[n];
        for (int i = 0; i < n; i++) {
            byte[] b = base.clone();
            int from = new int[] {0, 7, 8, 9, 15, 16, 17, 19}[random.nextInt(8)];
            for (int j = from; j < NodeId.LENGTH; j++) {
                b[j] = (byte) random.nextInt(256);
            }
            out[i] = NodeId.of(b);
        }
        return out;
    }

    @Test
    void distancesCompareAsTheXorOfTheWholeIds() {
        SplittableRandom random = new SplittableRandom(3);
        NodeId[] ids = ids(random, 200);
        for (int t = 0; t < 20; t++) {
            NodeId target = ids[random.nextInt(ids.length)];
            for (NodeId a : ids) {
                for (NodeId b : ids) {
                    int expected = Integer.signum(
                            Arrays.compareUnsigned(target.distance(a).toBytes(), target.distance(b).toBytes()));
                    assertEquals(expected, Integer.signum(target.compareDistance(a, b)), a + " vs " + b);
                }
            }
        }
    }

    @Test
    void orderAndEqualityFollowTheBytes() {
        NodeId[] ids = ids(new SplittableRandom(5), 300);
        for (NodeId a : ids) {
            NodeId copy = NodeId.of(a.toBytes());
            assertEquals(a, copy);
            assertEquals(a.hashCode(), copy.hashCode());
            assertEquals(0, a.compareTo(copy));
            for (NodeId b : ids) {
                int expected = Integer.signum(Arrays.compareUnsigned(a.toBytes(), b.toBytes()));
                assertEquals(expected, Integer.signum(a.compareTo(b)));
                assertEquals(expected == 0, a.equals(b));
            }
        }
        byte[] b = ids[0].toBytes();
        b[NodeId.LENGTH - 1] ^= 1;
        assertNotEquals(ids[0], NodeId.of(b), "ids differing in the last bit only");
    }

    @Test
    void commonPrefixLengthCountsLeadingEqualBits() {
        NodeId[] ids = ids(new SplittableRandom(7), 300);
        for (NodeId a : ids) {
            assertEquals(NodeId.BITS, a.commonPrefixLength(a));
            for (NodeId b : ids) {
                int expected = 0;
                while (expected < NodeId.BITS && a.bit(expected) == b.bit(expected)) {
                    expected++;
                }
                assertEquals(expected, a.commonPrefixLength(b), a + " vs " + b);
            }
        }
    }

    @Test
    void theBytesComeBackAsGivenWithTheHashOfTheArray() {
        SplittableRandom random = new SplittableRandom(11);
        for (int n = 0; n < 200; n++) {
            byte[] b = new byte[NodeId.LENGTH];
            random.nextBytes(b);
            NodeId id = NodeId.of(b);
            assertArrayEquals(b, id.toBytes());
            assertEquals(Arrays.hashCode(b), id.hashCode(), "the hash of the bytes, as hash maps have always seen it");
            assertEquals(java.util.HexFormat.of().formatHex(b), id.toHex());
            assertEquals(id, NodeId.fromHex(id.toHex()));
            for (int i = 0; i < NodeId.LENGTH; i++) {
                assertEquals(b[i] & 0xff, id.byteAt(i));
            }
            for (int i = 0; i < NodeId.BITS; i++) {
                assertEquals((b[i >>> 3] & (0x80 >>> (i & 7))) != 0, id.bit(i), "bit " + i);
            }
            b[random.nextInt(NodeId.LENGTH)] ^= 1;
            assertNotEquals(id, NodeId.of(b), "the id does not share the caller's array");
        }
        NodeId id = NodeId.random(random);
        assertThrows(IndexOutOfBoundsException.class, () -> id.byteAt(NodeId.LENGTH));
        assertThrows(IndexOutOfBoundsException.class, () -> id.bit(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> id.bit(NodeId.BITS));
    }

    @Test
    void theWordsAreTheBytesBigEndian() {
        byte[] b = new byte[NodeId.LENGTH];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (0xF0 + i);
        }
        NodeId id = NodeId.of(b);
        assertEquals(0xF0F1F2F3F4F5F6F7L, id.prefix());
        assertEquals(0xF8F9FAFBFCFDFEFFL, id.middle());
        assertEquals(0x00010203L, id.last());
        b[16] = (byte) 0xFF;
        assertEquals(0xFF010203L, NodeId.of(b).last(), "unsigned");
    }
}
