package io.restfs.blockstore.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CodecPolicyTest {
    @Test
    void acceptsTheWholeSupportedRange() {
        for (int k = 1; k <= 32; k++) {
            for (int m = 0; m <= 16; m++) {
                assertEquals(k + m, new CodecPolicy(k, m, 1 << 20, true, true).totalShards());
            }
        }
        assertEquals(4 << 20, CodecPolicy.DEFAULT.segmentSize());
    }

    @Test
    void rejectsOutOfRangeFieldsNamingThem() {
        assertField("k", () -> new CodecPolicy(0, 2, 1 << 20, true, true));
        assertField("k", () -> new CodecPolicy(33, 2, 1 << 20, true, true));
        assertField("m", () -> new CodecPolicy(4, -1, 1 << 20, true, true));
        assertField("m", () -> new CodecPolicy(4, 17, 1 << 20, true, true));
        assertField("segmentSize", () -> new CodecPolicy(4, 2, 1023, true, true));
        assertField("segmentSize", () -> new CodecPolicy(4, 2, (64 << 20) + 1, true, true));
    }

    private static void assertField(String field, Runnable r) {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, r::run);
        assertEquals(field, e.field());
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }

    @Test
    void keysAndIdsHaveFixedLengths() {
        assertThrows(IllegalArgumentException.class, () -> BucketKey.of(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> SegmentId.of(new byte[15]));
        assertEquals("BucketKey[hidden]", CodecFixtures.key(1).toString());
    }
}
