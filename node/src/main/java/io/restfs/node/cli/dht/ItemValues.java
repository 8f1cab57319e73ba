package io.restfs.node.cli.dht;

import io.restfs.dht.bencode.BString;
import io.restfs.dht.bencode.BencodeDecoder;
import io.restfs.dht.bencode.BencodeException;
import io.restfs.dht.bencode.BencodeLimits;
import io.restfs.dht.bencode.BencodeValue;
import io.restfs.dht.bencode.BencodeWriter;
import io.restfs.dht.crypto.Bep44;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * How the command line turns text into BEP 44 values and back: a value given on the command line is stored as a
 * bencoded byte string (what other Mainline clients such as bittorrent-dht store for a string), and a value read
 * back is shown as text when it is such a string of UTF-8.
 */
final class ItemValues {
    private ItemValues() {
    }

    /** The bencoded form of {@code text}; refused when it would exceed BEP 44's 1000 bytes. */
    static byte[] encode(String text) throws CliFailure {
        byte[] encoded = BencodeWriter.encode(BString.of(text));
        if (encoded.length > Bep44.MAX_VALUE_BYTES) {
            throw CliFailure.badInput("value is " + encoded.length + " bytes bencoded; BEP 44 allows at most "
                    + Bep44.MAX_VALUE_BYTES);
        }
        return encoded;
    }

    /** The text of a bencoded UTF-8 byte string, or empty when the value is anything else. */
    static Optional<String> text(byte[] encoded) {
        BencodeValue v;
        try {
            v = new BencodeDecoder(BencodeLimits.KRPC).decode(encoded);
        } catch (BencodeException e) {
            return Optional.empty();
        }
        if (!(v instanceof BString s)) {
            return Optional.empty();
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(s.bytes())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
