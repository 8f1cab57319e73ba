package io.restfs.dht.bencode;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BencodeWriterTest {
    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void writesCanonicalForms() {
        BencodeWriter w = new BencodeWriter();
        w.beginDict().key("a").integer(-1).key("b").beginList().string("spam").integer(0).end()
                .key("c").raw("i5e".getBytes(StandardCharsets.US_ASCII)).end();
        assertEquals("d1:ai-1e1:bl4:spami0ee1:ci5ee", text(w.toByteArray()));
    }

    @Test
    void builtDictionariesEncodeInKeyOrderWhateverTheInsertionOrder() {
        BDict d = BDict.builder().put("zeta", 1).put("alpha", "x").put("mid", new byte[] {0}).build();
        assertEquals("d5:alpha1:x3:mid1:\0" + "4:zetai1ee", text(d.encode()));
    }

    @Test
    void refusesKeysOutOfOrder() {
        BencodeWriter w = new BencodeWriter().beginDict().key("b").integer(1);
        assertThrows(IllegalStateException.class, () -> w.key("a"));
        assertThrows(IllegalStateException.class, () -> w.key("b"));
    }

    @Test
    void refusesAValueWithoutAKeyAndUnclosedContainers() {
        assertThrows(IllegalStateException.class, () -> new BencodeWriter().beginDict().integer(1));
        assertThrows(IllegalStateException.class, () -> new BencodeWriter().beginList().toByteArray());
        assertThrows(IllegalStateException.class, () -> new BencodeWriter().beginDict().key("a").end());
    }

    @Test
    void builderRefusesDuplicateKeys() {
        assertThrows(IllegalArgumentException.class, () -> BDict.builder().put("a", 1).put("a", 2));
    }

    @Test
    void writesTheExtremeIntegers() {
        assertEquals("i-9223372036854775808e", text(new BInteger(Long.MIN_VALUE).encode()));
        assertEquals("i9223372036854775807e", text(new BInteger(Long.MAX_VALUE).encode()));
    }
}
