package io.restfs.blockstore.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The same contract, checked against both engines. */
class KeyValueStoreTest {

    @TempDir
    static Path tmp;

    private static int dirs;

    static Stream<Arguments> engines() {
        Function<Path, KeyValueStore> xodus = p -> XodusKeyValueStore.open(p.resolve("kv-" + (dirs++)), true);
        Function<Path, KeyValueStore> memory = p -> new InMemoryKeyValueStore();
        return Stream.of(Arguments.of("xodus", xodus), Arguments.of("memory", memory));
    }

    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    private static List<byte[]> keys(KeyValueStore kv, byte[] from, byte[] to) {
        List<byte[]> out = new ArrayList<>();
        kv.scan(from, to, e -> out.add(e.key()));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void putsGetsAndDeletes(String name, Function<Path, KeyValueStore> engine) {
        try (KeyValueStore kv = engine.apply(tmp)) {
            assertTrue(kv.get(b(1)).isEmpty());
            kv.put(b(1), b(10));
            kv.put(b(1), b(11));
            assertArrayEquals(b(11), kv.get(b(1)).orElseThrow());
            assertTrue(kv.delete(b(1)));
            assertFalse(kv.delete(b(1)));
            assertTrue(kv.get(b(1)).isEmpty());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void scansInUnsignedKeyOrderWithinBounds(String name, Function<Path, KeyValueStore> engine) {
        try (KeyValueStore kv = engine.apply(tmp)) {
            for (byte[] k : List.of(b(0x80), b(0x01), b(0xFF, 0x00), b(0x7F), b(0x01, 0x05))) {
                kv.put(k, b(0));
            }
            List<byte[]> all = keys(kv, b(0), null);
            assertEquals(5, all.size());
            assertArrayEquals(b(0x01), all.get(0));
            assertArrayEquals(b(0x01, 0x05), all.get(1));
            assertArrayEquals(b(0x7F), all.get(2));
            assertArrayEquals(b(0x80), all.get(3));
            assertArrayEquals(b(0xFF, 0x00), all.get(4));
            List<byte[]> middle = keys(kv, b(0x01, 0x00), b(0x80));
            assertEquals(2, middle.size());
            assertTrue(keys(kv, b(0x90), b(0x10)).isEmpty());
            List<byte[]> prefixed = new ArrayList<>();
            kv.scanPrefix(b(0x01), e -> prefixed.add(e.key()));
            assertEquals(2, prefixed.size());
            List<byte[]> firstOnly = new ArrayList<>();
            kv.scan(b(0), null, e -> {
                firstOnly.add(e.key());
                return false;
            });
            assertEquals(1, firstOnly.size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void appliesABatchAsAWhole(String name, Function<Path, KeyValueStore> engine) {
        try (KeyValueStore kv = engine.apply(tmp)) {
            kv.put(b(9), b(9));
            kv.write(new KvBatch().put(b(1), b(1)).put(b(2), b(2)).delete(b(9)).put(b(1), b(3)));
            assertArrayEquals(b(3), kv.get(b(1)).orElseThrow());
            assertArrayEquals(b(2), kv.get(b(2)).orElseThrow());
            assertTrue(kv.get(b(9)).isEmpty());
            kv.sync();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void rejectsEmptyKeys(String name, Function<Path, KeyValueStore> engine) {
        try (KeyValueStore kv = engine.apply(tmp)) {
            assertThrows(IllegalArgumentException.class, () -> kv.put(new byte[0], b(1)));
            assertThrows(IllegalArgumentException.class, () -> kv.get(null));
            assertThrows(IllegalArgumentException.class, () -> new KvBatch().put(b(1), null));
        }
    }

    @Test
    void xodusKeepsWritesAcrossReopen(@TempDir Path dir) {
        try (KeyValueStore kv = XodusKeyValueStore.open(dir, true)) {
            kv.put(b(1, 2, 3), b(4, 5, 6));
        }
        try (KeyValueStore kv = XodusKeyValueStore.open(dir, true)) {
            assertArrayEquals(b(4, 5, 6), kv.get(b(1, 2, 3)).orElseThrow());
        }
    }

    @Test
    void computesTheEndOfAPrefixRange() {
        assertArrayEquals(b(0x02), KeyValueStore.prefixEnd(b(0x01)));
        assertArrayEquals(b(0x02), KeyValueStore.prefixEnd(b(0x01, 0xFF)));
        assertNull(KeyValueStore.prefixEnd(b(0xFF, 0xFF)));
    }
}
