package io.restfs.dht.bencode;

import io.restfs.dht.bencode.BencodeException.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BencodeDecoderTest {
    private final BencodeDecoder decoder = new BencodeDecoder(BencodeLimits.KRPC);

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private BencodeValue decode(String s) throws BencodeException {
        return decoder.decode(ascii(s));
    }

    private BencodeException refused(String s) {
        return assertThrows(BencodeException.class, () -> decode(s));
    }

    @Test
    void decodesEveryKindOfValue() throws Exception {
        BDict d = assertInstanceOf(BDict.class, decode("d1:ai-42e1:bl0:4:spame1:cde3:cow3:mooe"));
        assertEquals(new BInteger(-42), d.get("a"));
        assertEquals(BList.of(new BString(new byte[0]), BString.of("spam")), d.get("b"));
        assertEquals(BDict.empty(), d.get("c"));
        assertEquals(BString.of("moo"), d.get("cow"));
        assertNull(d.get("missing"));
    }

    @Test
    void decodesTheExtremes64BitIntegers() throws Exception {
        assertEquals(new BInteger(Long.MAX_VALUE), decode("i9223372036854775807e"));
        assertEquals(new BInteger(Long.MIN_VALUE), decode("i-9223372036854775808e"));
        assertEquals(new BInteger(0), decode("i0e"));
    }

    @ParameterizedTest
    @CsvSource({
        "i9223372036854775808e, INTEGER_OVERFLOW",
        "i-9223372036854775809e, INTEGER_OVERFLOW",
        "i99999999999999999999999999e, INTEGER_OVERFLOW",
        "i03e, LEADING_ZERO",
        "i-03e, LEADING_ZERO",
        "i-0e, NEGATIVE_ZERO",
        "ie, INVALID_INTEGER",
        "i-e, INVALID_INTEGER",
        "i1x2e, INVALID_INTEGER",
        "i12, TRUNCATED",
        "03:abc, LEADING_ZERO",
        "3:ab, TRUNCATED",
        "3x:abc, INVALID_LENGTH",
        "99999999999999999999:x, STRING_TOO_LONG",
        "l1:a, TRUNCATED",
        "x, UNEXPECTED_BYTE",
        "di1e1:ae, NON_STRING_KEY",
        "d1:bi1e1:ai2ee, UNSORTED_KEYS",
        "d1:ai1e1:ai2ee, DUPLICATE_KEY",
        "i1ei2e, TRAILING_BYTES",
        "'', TRUNCATED",
    })
    void refusesMalformedInputWithItsReason(String input, Reason reason) {
        assertEquals(reason, refused(input).reason());
    }

    @Test
    void reportsTheOffsetOfTheDefect() {
        BencodeException e = refused("d1:ai1e1:bi01ee");
        assertEquals(Reason.LEADING_ZERO, e.reason());
        assertEquals(11, e.offset());
    }

    @Test
    void refusesADeclaredLengthBeyondTheInputWithoutAllocatingIt() {
        // 1400 declared, 3 present: a TRUNCATED refusal, never an attempt to allocate the declared size.
        assertEquals(Reason.TRUNCATED, refused("1400:abc").reason());
    }

    @Test
    void refusesNestingDeeperThanTheLimit() throws Exception {
        decode("l".repeat(16) + "e".repeat(16));
        assertEquals(Reason.TOO_DEEP, refused("l".repeat(17) + "e".repeat(17)).reason());
        assertEquals(Reason.TOO_DEEP, refused("l".repeat(1000)).reason());
    }

    @Test
    void refusesMoreElementsThanTheLimit() throws Exception {
        BencodeDecoder small = new BencodeDecoder(new BencodeLimits(1500, 16, 10, 1500, true));
        small.decode(ascii("l" + "i1e".repeat(9) + "e"));
        BencodeException e = assertThrows(BencodeException.class,
                () -> small.decode(ascii("l" + "i1e".repeat(10) + "e")));
        assertEquals(Reason.TOO_MANY_ELEMENTS, e.reason());
    }

    @Test
    void refusesInputLargerThanTheLimit() {
        BencodeException e = assertThrows(BencodeException.class,
                () -> decoder.decode(ascii("1500:" + "x".repeat(1500))));
        assertEquals(Reason.INPUT_TOO_LARGE, e.reason());
    }

    @Test
    void refusesAStringLongerThanTheStringLimit() {
        BencodeDecoder small = new BencodeDecoder(new BencodeLimits(1500, 16, 100, 10, true));
        BencodeException e = assertThrows(BencodeException.class, () -> small.decode(ascii("11:hello world")));
        assertEquals(Reason.STRING_TOO_LONG, e.reason());
    }

    @Test
    void lenientModeAcceptsUnsortedKeysButNotDuplicates() throws Exception {
        BencodeDecoder lenient = new BencodeDecoder(BencodeLimits.KRPC.lenient());
        BDict d = (BDict) lenient.decode(ascii("d1:bi1e1:ai2ee"));
        assertEquals(List.of(BString.of("a"), BString.of("b")), d.keys());
        assertArrayEquals(ascii("i1e"), d.rawValue("b"));
        BencodeException e = assertThrows(BencodeException.class, () -> lenient.decode(ascii("d1:ai1e1:bi2e1:ai3ee")));
        assertEquals(Reason.DUPLICATE_KEY, e.reason());
    }

    @Test
    void sortsKeysByRawUnsignedBytes() throws Exception {
        // 0x7f sorts before 0x80 unsigned (a signed comparison would reverse them).
        byte[] ok = {'d', '1', ':', 0x7f, 'i', '1', 'e', '1', ':', (byte) 0x80, 'i', '2', 'e', 'e'};
        decoder.decode(ok);
        byte[] bad = {'d', '1', ':', (byte) 0x80, 'i', '1', 'e', '1', ':', 0x7f, 'i', '2', 'e', 'e'};
        assertEquals(Reason.UNSORTED_KEYS, assertThrows(BencodeException.class, () -> decoder.decode(bad)).reason());
    }

    @Test
    void handsBackTheVerbatimBytesOfAValue() throws Exception {
        BDict d = (BDict) decode("d1:ad1:xli1ei-2e3:abce1:y0:e1:bi7ee");
        assertArrayEquals(ascii("d1:xli1ei-2e3:abce1:y0:e"), d.rawValue("a"));
        assertArrayEquals(ascii("i7e"), d.rawValue("b"));
        assertNull(d.rawValue("c"));
    }

    @Test
    void reencodesCanonicalInputToTheSameBytes() throws Exception {
        String canonical = "d1:ad1:xli1ei-2e3:abce1:y0:e1:bi7e1:cle1:dlee";
        assertEquals(canonical, new String(decode(canonical).encode(), StandardCharsets.ISO_8859_1));
    }
}
