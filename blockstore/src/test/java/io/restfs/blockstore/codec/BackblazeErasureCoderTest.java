package io.restfs.blockstore.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BackblazeErasureCoderTest {
    private static final int OFFSET = 7;
    private static final int LENGTH = 1001;

    private static byte[][] encoded(ErasureCoder coder) {
        int k = coder.dataShards();
        byte[][] shards = new byte[k + coder.parityShards()][OFFSET + LENGTH];
        for (int i = 0; i < k; i++) {
            shards[i] = CodecFixtures.randomBytes(OFFSET + LENGTH, i);
        }
        coder.encodeParity(shards, OFFSET, LENGTH);
        return shards;
    }

    @Test
    void rebuildsDataFromEveryKSubsetWithoutTouchingMissingParity() {
        for (int[] km : new int[][] {{1, 1}, {2, 1}, {3, 2}, {4, 3}, {2, 4}}) {
            ErasureCoder coder = new BackblazeErasureCoder(km[0], km[1]);
            byte[][] original = encoded(coder);
            int n = km[0] + km[1];
            for (int mask = 0; mask < 1 << n; mask++) {
                if (Integer.bitCount(mask) != km[0]) {
                    continue;
                }
                byte[][] shards = new byte[n][];
                boolean[] present = new boolean[n];
                for (int i = 0; i < n; i++) {
                    if ((mask & 1 << i) != 0) {
                        shards[i] = original[i].clone();
                        present[i] = true;
                    } else if (i < km[0]) {
                        shards[i] = new byte[OFFSET + LENGTH];
                    }
                }
                coder.reconstructData(shards, present, OFFSET, LENGTH);
                for (int i = 0; i < km[0]; i++) {
                    assertArrayEquals(java.util.Arrays.copyOfRange(original[i], OFFSET, OFFSET + LENGTH),
                            java.util.Arrays.copyOfRange(shards[i], OFFSET, OFFSET + LENGTH),
                            km[0] + "+" + km[1] + " mask " + Integer.toBinaryString(mask) + " shard " + i);
                }
                for (int i = km[0]; i < n; i++) {
                    if (!present[i]) {
                        assertNull(shards[i]);
                    }
                }
            }
        }
    }

    @Test
    void fullReconstructionAlsoRebuildsParity() {
        ErasureCoder coder = new BackblazeErasureCoder(3, 2);
        byte[][] original = encoded(coder);
        byte[][] shards = new byte[5][];
        boolean[] present = {false, true, true, false, true};
        for (int i = 0; i < 5; i++) {
            shards[i] = present[i] ? original[i].clone() : new byte[OFFSET + LENGTH];
        }
        coder.reconstruct(shards, present, OFFSET, LENGTH);
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(java.util.Arrays.copyOfRange(original[i], OFFSET, OFFSET + LENGTH),
                    java.util.Arrays.copyOfRange(shards[i], OFFSET, OFFSET + LENGTH), "shard " + i);
        }
    }

    @Test
    void refusesToReconstructFromFewerThanK() {
        ErasureCoder coder = new BackblazeErasureCoder(3, 2);
        byte[][] shards = encoded(coder);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> coder.reconstructData(shards, new boolean[] {false, true, false, false, true}, OFFSET, LENGTH));
        assertEquals("need 3 present shards to reconstruct, got 2", e.getMessage());
    }
}
