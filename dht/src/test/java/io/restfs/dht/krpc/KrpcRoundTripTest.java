package io.restfs.dht.krpc;

import io.restfs.dht.bencode.BencodeLimits;
import io.restfs.dht.crypto.Ed25519KeyPair;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KrpcRoundTripTest {
    /** Random messages can exceed one datagram (a 1000-byte v plus nodes); the round trip is about layout, not size. */
    private final KrpcCodec codec = new KrpcCodec(BencodeLimits.KRPC.withMaxInputBytes(8192));

    @Property(tries = 2000)
    void decodingAnEncodedMessageGivesItBack(@ForAll("messages") KrpcMessage message) {
        byte[] packet = codec.encode(message);
        KrpcDecodeResult result = codec.decode(packet);
        assertEquals(message, assertInstanceOf(KrpcDecodeResult.Decoded.class, result, result.toString()).message());
        assertArrayEquals(packet, codec.encode(message), "encoding is deterministic");
    }

    @Property(tries = 2000)
    void encodedSizeIsTheLengthOfTheEncodingWithoutEncoding(@ForAll("messages") KrpcMessage message) {
        // A message transport (the simulator's) counts bytes and applies the datagram limit with this figure.
        assertEquals(codec.encode(message).length, codec.encodedSize(message), message.toString());
    }

    @Property(tries = 200)
    void signedRestfsInfoArrivesVerifiableAndFailsWhenAFieldChanges(@ForAll long seed) {
        java.util.Random random = new java.util.Random(seed);
        RandomMessages gen = new RandomMessages(random);
        Ed25519KeyPair key = Ed25519KeyPair.fromSeed(gen.bytes(32));
        RestfsNodeInfo info = RestfsNodeInfo.sign(key, gen.text() + ".example", random.nextInt(65536), gen.text(),
                random.nextLong() & Long.MAX_VALUE, random.nextLong() & Long.MAX_VALUE);
        KrpcResponse response = KrpcResponse.builder(TransactionId.ofShort(1), key.nodeId()).restfsInfo(info).build();
        KrpcResponse decoded = (KrpcResponse) ((KrpcDecodeResult.Decoded) codec.decode(codec.encode(response))).message();
        RestfsNodeInfo received = decoded.restfsInfo().orElseThrow();
        assertTrue(received.signatureValid());
        assertEquals(decoded.responder(), received.nodeId());
        RestfsNodeInfo inflated = new RestfsNodeInfo(received.publicKey(), received.shardHost(), received.shardPort(),
                received.failureGroup(), received.freeBytes() ^ 1, received.timestampMillis(), received.signature());
        assertFalse(inflated.signatureValid());
    }

    @Provide
    Arbitrary<KrpcMessage> messages() {
        return Arbitraries.randomValue(random -> new RandomMessages(random).any());
    }
}
