package io.restfs.dht.bencode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BencodeRoundTripTest {
    private final BencodeDecoder decoder = new BencodeDecoder(new BencodeLimits(1 << 20, 16, 1 << 16, 1 << 20, true));

    @Property(tries = 500)
    void decodingAnEncodedValueGivesItBack(@ForAll("values") BencodeValue value) throws BencodeException {
        byte[] encoded = value.encode();
        BencodeValue decoded = decoder.decode(encoded);
        assertEquals(value, decoded);
        assertArrayEquals(encoded, decoded.encode());
    }

    @Property(tries = 300)
    void rawValueOfADecodedDictionaryIsTheEncodingOfItsValue(@ForAll("dicts") BDict dict) throws BencodeException {
        BDict decoded = (BDict) decoder.decode(dict.encode());
        for (int i = 0; i < decoded.size(); i++) {
            String key = new String(decoded.keyAt(i).bytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            if (key.chars().allMatch(c -> c < 0x80)) {
                assertArrayEquals(decoded.valueAt(i).encode(), decoded.rawValue(key));
            }
        }
    }

    @Provide
    Arbitrary<BencodeValue> values() {
        return Arbitraries.recursive(this::leaf, this::container, 0, 4);
    }

    @Provide
    Arbitrary<BDict> dicts() {
        return dictOf(values());
    }

    private Arbitrary<BencodeValue> leaf() {
        Arbitrary<BencodeValue> strings = Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(BString::new);
        Arbitrary<BencodeValue> ints = Arbitraries.longs().map(BInteger::new);
        Arbitrary<BencodeValue> edgeInts = Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L).map(BInteger::new);
        return Arbitraries.oneOf(strings, ints, edgeInts);
    }

    private Arbitrary<BencodeValue> container(Arbitrary<BencodeValue> inner) {
        Arbitrary<BencodeValue> lists = inner.list().ofMaxSize(5).map(BList::new);
        return Arbitraries.oneOf(lists, dictOf(inner).map(d -> (BencodeValue) d));
    }

    private Arbitrary<BDict> dictOf(Arbitrary<BencodeValue> inner) {
        Arbitrary<BString> keys = Arbitraries.bytes().array(byte[].class).ofMaxSize(8).map(BString::new);
        return Arbitraries.maps(keys, inner).ofMaxSize(5).map(m -> {
            BDict.Builder b = BDict.builder();
            for (Map.Entry<BString, BencodeValue> e : m.entrySet()) {
                b.put(e.getKey(), e.getValue());
            }
            return b.build();
        });
    }
}
