package io.restfs.blockstore.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class ShardHeaderTest {
    private static final byte[] PAYLOAD_HASH = filled(32, 0xAA);
    private static final byte[] PLAIN_HASH = filled(32, 0xBB);
    private static final SegmentId ID = SegmentId.fromHex("00112233445566778899aabbccddeeff");

    /** 3+2, 64 KiB segments, snappy and AES; 100,000 bytes that snappy made 50,000. */
    private static ShardHeader sample(int payloadLength) {
        return new ShardHeader(new CodecPolicy(3, 2, 1 << 20, true, true), true, 4, 100_000, 50_000,
                50_016, payloadLength, ID, PAYLOAD_HASH, PLAIN_HASH);
    }

    @Test
    void writesTheDocumentedLayout() {
        byte[] shard = new byte[ShardHeader.SIZE + 16_672];
        sample(16_672).writeTo(shard);
        String expected = "52465353" // magic RFSS
                + "01" // format version
                + "07" // flags: policy compresses, policy encrypts, stored compressed
                + "03" + "02" + "04" // k, m, index
                + "000000" // reserved
                + "00100000" // segment size 1 MiB
                + "000186a0" // plaintext 100,000
                + "0000c350" // stored 50,000
                + "0000c360" // ciphertext 50,016 (one record, one tag)
                + "00004120" // payload 16,672 = ceil(50,016 / 3)
                + "00112233445566778899aabbccddeeff"
                + "aa".repeat(32) + "bb".repeat(32);
        byte[] head = HexFormat.of().parseHex(expected);
        assertArrayEquals(head, java.util.Arrays.copyOf(shard, 112));
        CRC32C crc = new CRC32C();
        crc.update(head);
        assertEquals(String.format("%08x", crc.getValue()), HexFormat.of().formatHex(shard, 112, 116));
        assertEquals(sample(16_672), ShardHeader.parse(shard));
    }

    @Test
    void detectsDamageAnywhereInTheHeader() {
        byte[] shard = new byte[ShardHeader.SIZE + 16_672];
        sample(16_672).writeTo(shard);
        for (int i = 0; i < ShardHeader.SIZE; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = shard.clone();
                bad[i] ^= (byte) (1 << bit);
                assertThrows(MalformedShardException.class, () -> ShardHeader.parse(bad), "byte " + i + " bit " + bit);
            }
        }
    }

    @Test
    void checksEveryFieldAgainstItsLimits() {
        assertRejected(5, 0x08, "unknown flag");
        assertRejected(5, 0x04, "without compression"); // stored compressed, policy does not compress
        assertRejected(6, 0, "k = 0");
        assertRejected(6, 33, "k = 33");
        assertRejected(7, 17, "m = 17");
        assertRejected(8, 5, "index 5 out of range");
        assertRejected(9, 1, "reserved");
        assertRejected(4, 2, "version 2");
        assertRejected(12, 0x7f, "segmentSize");
        assertRejected(16, 0x7f, "exceeds the segment size");
        assertRejected(20, 0x01, "not at least 5% below");
        assertRejected(24, 0x01, "ciphertext length");
        assertRejected(28, 0x01, "payload length");
    }

    @Test
    void rejectsShardsOfTheWrongLength() {
        byte[] shard = new byte[ShardHeader.SIZE + 16_671];
        sample(16_672).writeTo(shard);
        MalformedShardException e = assertThrows(MalformedShardException.class, () -> ShardHeader.parse(shard));
        assertTrue(e.getMessage().contains("header says"), e.getMessage());
        assertThrows(MalformedShardException.class, () -> ShardHeader.parse(new byte[ShardHeader.SIZE - 1]));
    }

    /** Sets one header byte, re-seals the CRC (as a careless or hostile writer would) and expects a refusal. */
    private static void assertRejected(int offset, int value, String reason) {
        byte[] shard = new byte[ShardHeader.SIZE + 16_672];
        sample(16_672).writeTo(shard);
        shard[offset] = (byte) value;
        CRC32C crc = new CRC32C();
        crc.update(shard, 0, 112);
        int v = (int) crc.getValue();
        shard[112] = (byte) (v >>> 24);
        shard[113] = (byte) (v >>> 16);
        shard[114] = (byte) (v >>> 8);
        shard[115] = (byte) v;
        MalformedShardException e = assertThrows(MalformedShardException.class, () -> ShardHeader.parse(shard));
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
    }

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }
}
