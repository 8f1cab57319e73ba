package io.restfs.dht.krpc;

import io.restfs.dht.bencode.BDict;
import io.restfs.dht.bencode.BInteger;
import io.restfs.dht.bencode.BList;
import io.restfs.dht.bencode.BString;
import io.restfs.dht.bencode.BencodeDecoder;
import io.restfs.dht.bencode.BencodeException;
import io.restfs.dht.bencode.BencodeLimits;
import io.restfs.dht.bencode.BencodeValue;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Feeds the KRPC decoder a million hostile datagrams from a fixed seed: random bytes, truncations, bit flips,
 * splices, deep nesting, huge integers and declared lengths, and well-formed bencode with fields of the wrong type
 * or size. Every one must come back as a result (never an exception), every accepted one must survive re-encoding,
 * and no packet may make the decoder allocate in proportion to what it declares rather than what it holds.
 */
class KrpcDecoderFuzzTest {
    private static final long SEED = 0x5eed_4b525043L;
    private static final int PACKETS = 1_000_000;
    /**
     * Bound on what one decode may allocate: a constant for the result objects plus a small multiple of the packet
     * (one copy of the input, one copy of every string, list and dictionary arrays). A decoder that believed a
     * declared length would allocate megabytes and blow far past it.
     */
    private static final long ALLOCATION_BYTES_PER_PACKET_BYTE = 48;
    private static final long ALLOCATION_BYTES_CONSTANT = 16 * 1024;

    private final KrpcCodec codec = new KrpcCodec();
    private final Random random = new Random(SEED);
    private final RandomMessages messages = new RandomMessages(random);
    private final BencodeDecoder lenient = new BencodeDecoder(BencodeLimits.KRPC.lenient().withMaxInputBytes(1 << 16));

    @Test
    void everyHostilePacketBecomesAResultAndAllocationStaysBounded() {
        List<byte[]> corpus = seedCorpus();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heapBefore = rt.totalMemory() - rt.freeMemory();

        int decoded = 0;
        long mutateNanos = 0;
        long decodeNanos = 0;
        long worstAllocation = 0;
        int worstLength = 0;
        for (int i = 0; i < PACKETS; i++) {
            long t0 = System.nanoTime();
            byte[] packet = mutate(corpus.get(random.nextInt(corpus.size())), corpus);
            long t1 = System.nanoTime();
            mutateNanos += t1 - t0;
            long before = threads.getThreadAllocatedBytes(thread);
            KrpcDecodeResult result;
            try {
                result = codec.decode(packet);
            } catch (Throwable t) {
                throw new AssertionError("packet " + i + " (seed " + SEED + ") escaped as " + t + ": "
                        + HexFormat.of().formatHex(packet), t);
            }
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            decodeNanos += System.nanoTime() - t1;
            long bound = ALLOCATION_BYTES_CONSTANT + ALLOCATION_BYTES_PER_PACKET_BYTE * packet.length;
            if (allocated > bound) {
                // The first trip down a path loads and initialises classes; measure that packet once more.
                before = threads.getThreadAllocatedBytes(thread);
                codec.decode(packet);
                allocated = threads.getThreadAllocatedBytes(thread) - before;
            }
            if (allocated > bound) {
                fail("packet " + i + " of " + packet.length + " bytes made the decoder allocate " + allocated
                        + " bytes: " + HexFormat.of().formatHex(packet));
            }
            if (allocated > worstAllocation) {
                worstAllocation = allocated;
                worstLength = packet.length;
            }
            if (result instanceof KrpcDecodeResult.Decoded d) {
                decoded++;
                assertSurvivesReencoding(d.message(), packet);
                if (corpus.size() < 4000 && random.nextInt(64) == 0) {
                    corpus.add(packet); // accepted variants breed further variants
                }
            } else {
                KrpcDecodeResult.Malformed m = (KrpcDecodeResult.Malformed) result;
                assertTrue(m.errorCode() == KrpcError.PROTOCOL || m.errorCode() == KrpcError.VALUE_TOO_BIG
                        || m.errorCode() == KrpcError.SALT_TOO_BIG, m.toString());
            }
        }
        System.gc();
        long heapGrowth = (rt.totalMemory() - rt.freeMemory()) - heapBefore;
        System.out.printf("fuzz: %d packets, %d decoded, largest allocation by one decode %d bytes (a %d-byte "
                + "packet), heap growth %d KiB, mutate %d ms, decode %d ms%n", PACKETS, decoded, worstAllocation, worstLength, heapGrowth / 1024, mutateNanos / 1000000, decodeNanos / 1000000);
        // The corpus (at most 4000 packets of at most 1.5 KB) is the only thing kept; the codec holds nothing.
        assertTrue(heapGrowth < 32L * 1024 * 1024, "heap grew by " + heapGrowth + " bytes");
        assertTrue(decoded > PACKETS / 100, "mutations should leave some packets valid: " + decoded);
    }

    private void assertSurvivesReencoding(KrpcMessage message, byte[] packet) {
        byte[] again = new KrpcCodec(BencodeLimits.KRPC.withMaxInputBytes(8192)).encode(message);
        KrpcDecodeResult result = new KrpcCodec(BencodeLimits.KRPC.withMaxInputBytes(8192)).decode(again);
        if (!(result instanceof KrpcDecodeResult.Decoded d) || !d.message().equals(message)) {
            fail("accepted packet does not survive re-encoding: " + HexFormat.of().formatHex(packet) + " -> " + result);
        }
    }

    private List<byte[]> seedCorpus() {
        List<byte[]> corpus = new ArrayList<>();
        for (String golden : List.of(
                "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe",
                "d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re",
                "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node1:t2:aa1:y1:qe",
                "d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re",
                "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe",
                "d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee")) {
            corpus.add(golden.getBytes(StandardCharsets.ISO_8859_1));
        }
        while (corpus.size() < 500) {
            byte[] p = codec.encode(messages.any());
            if (p.length <= codec.maxPacketBytes()) {
                corpus.add(p);
            }
        }
        return corpus;
    }

    private byte[] mutate(byte[] base, List<byte[]> corpus) {
        switch (random.nextInt(14)) {
            case 0:
                return messages.bytes(random.nextInt(1600));
            case 1:
                return java.util.Arrays.copyOf(base, random.nextInt(base.length + 1));
            case 2: {
                byte[] p = base.clone();
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips && p.length > 0; i++) {
                    p[random.nextInt(p.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return p;
            }
            case 3: {
                byte[] other = corpus.get(random.nextInt(corpus.size()));
                int cut = random.nextInt(base.length + 1);
                int from = random.nextInt(other.length + 1);
                return concat(java.util.Arrays.copyOf(base, cut), java.util.Arrays.copyOfRange(other, from, other.length));
            }
            case 4: {
                int depth = random.nextInt(3000);
                return concat(ascii("d1:ad2:id20:abcdefghij01234567891:v" + "l".repeat(depth)), ascii("e".repeat(random.nextInt(depth + 1))));
            }
            case 5:
                return ascii("d1:ad2:id20:abcdefghij01234567895:porti" + hugeNumber() + "ee1:q4:ping1:t2:aa1:y1:qe");
            case 6:
                return ascii("d1:ad2:id" + hugeNumber() + ":abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe");
            case 7:
                return insertAt(base, ascii(hugeNumber() + ":"));
            case 8:
                return insertAt(base, messages.bytes(1 + random.nextInt(8)));
            case 9: {
                if (base.length < 2) {
                    return base;
                }
                int at = random.nextInt(base.length - 1);
                int len = 1 + random.nextInt(Math.min(16, base.length - at));
                return concat(java.util.Arrays.copyOf(base, at), java.util.Arrays.copyOfRange(base, at + len, base.length));
            }
            case 10:
                return concat(base, messages.bytes(random.nextInt(2000)));
            default:
                return structural(base);
        }
    }

    /** Well-formed bencode with one value replaced by a random value of another type or size. */
    private byte[] structural(byte[] base) {
        BencodeValue tree;
        try {
            tree = lenient.decode(base);
        } catch (BencodeException e) {
            return base;
        }
        return replaceRandom(tree, 0).encode();
    }

    private BencodeValue replaceRandom(BencodeValue v, int depth) {
        if (random.nextInt(4) == 0 || depth > 6) {
            return randomValue();
        }
        if (v instanceof BDict d && d.size() > 0) {
            int pick = random.nextInt(d.size());
            BDict.Builder b = BDict.builder();
            for (int i = 0; i < d.size(); i++) {
                if (i == pick && random.nextInt(8) == 0) {
                    continue; // drop the key
                }
                b.put(d.keyAt(i), i == pick ? replaceRandom(d.valueAt(i), depth + 1) : d.valueAt(i));
            }
            return b.build();
        }
        if (v instanceof BList l && l.size() > 0) {
            List<BencodeValue> items = new ArrayList<>(l.items());
            int pick = random.nextInt(items.size());
            items.set(pick, replaceRandom(items.get(pick), depth + 1));
            return new BList(items);
        }
        return randomValue();
    }

    private BencodeValue randomValue() {
        switch (random.nextInt(7)) {
            case 0:
                return new BInteger(random.nextLong());
            case 1:
                return new BInteger(random.nextInt(3) - 1);
            case 2:
                return new BString(messages.bytes(new int[] {0, 1, 2, 6, 18, 19, 20, 21, 26, 32, 38, 52, 64, 65}[random.nextInt(14)]));
            case 3:
                return new BString(messages.bytes(random.nextInt(1100)));
            case 4:
                return BList.of(new BString(messages.bytes(6)), new BInteger(1));
            case 5:
                return BDict.builder().put("id", messages.bytes(20)).build();
            default:
                return messages.bencodeValue(2);
        }
    }

    private String hugeNumber() {
        String[] huge = {"9223372036854775808", "-9223372036854775809", "99999999999999999999999", "4294967296",
            "2147483648", "18446744073709551616", "-0", "007", "1" + "0".repeat(random.nextInt(40))};
        return huge[random.nextInt(huge.length)];
    }

    private byte[] insertAt(byte[] base, byte[] insert) {
        int at = random.nextInt(base.length + 1);
        return concat(concat(java.util.Arrays.copyOf(base, at), insert), java.util.Arrays.copyOfRange(base, at, base.length));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void decodesAWellFormedPacketWithTheDefaultLimits() {
        // Guards the fuzz test itself: the seed corpus it mutates starts out valid.
        for (byte[] p : seedCorpus()) {
            assertEquals(KrpcDecodeResult.Decoded.class, codec.decode(p).getClass(), HexFormat.of().formatHex(p));
        }
    }
}
