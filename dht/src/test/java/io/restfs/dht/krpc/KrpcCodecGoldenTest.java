package io.restfs.dht.krpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.restfs.dht.crypto.Bep44;
import io.restfs.dht.id.NodeId;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pins the wire layout with the example packets of BEP 5 "DHT Queries" and the test vectors of BEP 44. */
class KrpcCodecGoldenTest {
    private static final TransactionId AA = TransactionId.of(ascii("aa"));
    private static final NodeId ABC = NodeId.of(ascii("abcdefghij0123456789"));
    private static final NodeId MNO = NodeId.of(ascii("mnopqrstuvwxyz123456"));

    private final KrpcCodec codec = new KrpcCodec();

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private KrpcMessage decoded(String packet) {
        KrpcDecodeResult result = codec.decode(ascii(packet));
        return assertInstanceOf(KrpcDecodeResult.Decoded.class, result, result.toString()).message();
    }

    private void assertEncodesTo(String packet, KrpcMessage message) {
        assertEquals(packet, new String(codec.encode(message), StandardCharsets.ISO_8859_1));
    }

    @Test
    void decodesAndEncodesBep5PingQuery() {
        // BEP 5, "ping", Example Packets.
        String packet = "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe";
        assertEquals(new PingQuery(AA, ABC), decoded(packet));
        assertEncodesTo(packet, new PingQuery(AA, ABC));
    }

    @Test
    void decodesAndEncodesBep5PingResponse() {
        // BEP 5, "ping", Example Packets (also the announce_peer response).
        String packet = "d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re";
        assertEquals(KrpcResponse.of(AA, MNO), decoded(packet));
        assertEncodesTo(packet, KrpcResponse.of(AA, MNO));
    }

    @Test
    void decodesAndEncodesBep5FindNodeQuery() {
        // BEP 5, "find_node", Example Packets.
        String packet = "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node1:t2:aa1:y1:qe";
        assertEquals(new FindNodeQuery(AA, ABC, MNO), decoded(packet));
        assertEncodesTo(packet, new FindNodeQuery(AA, ABC, MNO));
    }

    @Test
    void refusesBep5ExampleNodesThatAreNotWholeCompactInfos() {
        // BEP 5, "find_node" response example: "def456..." (9 bytes) stands in for compact node info and is not a
        // multiple of 26 bytes, so a strict decoder refuses it, keeping t and y for the caller.
        KrpcDecodeResult result = codec.decode(ascii("d1:rd2:id20:0123456789abcdefghij5:nodes9:def456...e1:t2:aa1:y1:re"));
        KrpcDecodeResult.Malformed bad = assertInstanceOf(KrpcDecodeResult.Malformed.class, result);
        assertEquals(Optional.of(AA), bad.transactionId());
        assertEquals(Optional.of(MessageKind.RESPONSE), bad.kind());
        assertTrue(bad.reason().contains("multiple of 26"), bad.reason());
        assertTrue(bad.reply().isEmpty(), "responses are never answered");
    }

    @Test
    void decodesAndEncodesBep5GetPeersQuery() {
        // BEP 5, "get_peers", Example Packets.
        String packet = "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456e1:q9:get_peers1:t2:aa1:y1:qe";
        assertEquals(new GetPeersQuery(AA, ABC, MNO), decoded(packet));
        assertEncodesTo(packet, new GetPeersQuery(AA, ABC, MNO));
    }

    @Test
    void decodesAndEncodesBep5GetPeersResponseWithPeers() throws Exception {
        // BEP 5, "get_peers", Response with peers: "axje.u" and "idhtnm" are 6-byte compact peers.
        String packet = "d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re";
        KrpcResponse expected = KrpcResponse.builder(AA, ABC)
                .token(ascii("aoeusnth"))
                .values(List.of(
                        new InetSocketAddress(InetAddress.getByAddress(ascii("axje")), ('.' << 8) | 'u'),
                        new InetSocketAddress(InetAddress.getByAddress(ascii("idht")), ('n' << 8) | 'm')))
                .build();
        assertEquals(expected, decoded(packet));
        assertEncodesTo(packet, expected);
    }

    @Test
    void decodesAndEncodesBep5AnnouncePeerQuery() {
        // BEP 5, "announce_peer", Example Packets (the bencoded form, which omits implied_port).
        String packet = "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe";
        AnnouncePeerQuery expected = new AnnouncePeerQuery(AA, ABC, MNO, 6881, false, ascii("aoeusnth"));
        assertEquals(expected, decoded(packet));
        assertEncodesTo(packet, expected);
    }

    @Test
    void decodesAndEncodesBep5AnnouncePeerWithImpliedPort() {
        // BEP 5, "announce_peer": the example dictionary with "implied_port": 1, bencoded canonically.
        String packet = "d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe";
        AnnouncePeerQuery expected = new AnnouncePeerQuery(AA, ABC, MNO, 6881, true, ascii("aoeusnth"));
        assertEquals(expected, decoded(packet));
        assertEncodesTo(packet, expected);
    }

    @Test
    void decodesAndEncodesBep43ReadOnlyPing() {
        // BEP 43, "Read-Only State": a read-only node puts "ro": 1 in the top-level dictionary of each query it
        // sends. Here on BEP 5's example ping; canonical key order puts "ro" between "q" and "t".
        String packet = "d1:ad2:id20:abcdefghij0123456789e1:q4:ping2:roi1e1:t2:aa1:y1:qe";
        KrpcQuery q = assertInstanceOf(PingQuery.class, decoded(packet));
        assertTrue(q.readOnly());
        assertEquals(new PingQuery(AA, ABC, true), q);
        assertEncodesTo(packet, new PingQuery(AA, ABC).withReadOnly(true));
    }

    @Test
    void decodesAndEncodesBep43ReadOnlyFindNode() {
        // BEP 43 "ro": 1 on BEP 5's example find_node; the arguments are untouched.
        String packet = "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node2:roi1e1:t2:aa1:y1:qe";
        assertEquals(new FindNodeQuery(AA, ABC, MNO, true), decoded(packet));
        assertEncodesTo(packet, new FindNodeQuery(AA, ABC, MNO).withReadOnly(true));
        assertFalse(new FindNodeQuery(AA, ABC, MNO).readOnly(), "a query is from a full node unless marked");
    }

    @Test
    void queryWithoutRoOrWithRoZeroIsFromAFullNode() {
        // BEP 43 defines only "ro": 1; "ro": 0, or an "ro" that is not an integer, leaves the querier a full node
        // (unknown keys are ignored in KRPC) rather than making the query malformed.
        assertFalse(((KrpcQuery) decoded("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe")).readOnly());
        assertFalse(((KrpcQuery) decoded("d1:ad2:id20:abcdefghij0123456789e1:q4:ping2:roi0e1:t2:aa1:y1:qe")).readOnly());
        assertFalse(((KrpcQuery) decoded("d1:ad2:id20:abcdefghij0123456789e1:q4:ping2:ro1:11:t2:aa1:y1:qe")).readOnly());
        assertEncodesTo("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe",
                new PingQuery(AA, ABC, true).withReadOnly(false));
    }

    @Test
    void decodesAndEncodesBep5GenericError() {
        // BEP 5, "Errors", Example Error Packets.
        String packet = "d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee";
        KrpcError expected = new KrpcError(AA, KrpcError.GENERIC, "A Generic Error Ocurred");
        assertEquals(expected, decoded(packet));
        assertEncodesTo(packet, expected);
    }

    // BEP 44, "Test vectors", test 1 and test 2.
    private static final byte[] BEP44_PUBLIC_KEY = hex("77ff84905a91936367c01360803104f92432fcd904a43511876df5cdf3e7e548");
    private static final byte[] BEP44_SIG_TEST1 = hex("305ac8aeb6c9c151fa120f120ea2cfb923564e11552d06a5d856091e5e853cff"
            + "1260d3f39e4999684aa92eb73ffd136e6f4f3ecbfda0ce53a1608ecd7ae21f01");
    private static final byte[] BEP44_SIG_TEST2 = hex("6834284b6b24c3204eb2fea824d82f88883a3d95e8b4a21b8c0ded553d17d17d"
            + "df9a8a7104b1258f30bed3787e6cb896fca78c58f8e03b5f18f14951a87d9a08");

    private static byte[] mutablePut(byte[] salt, byte[] sig) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("d1:ad2:id20:abcdefghij01234567891:k32:"));
        out.writeBytes(BEP44_PUBLIC_KEY);
        if (salt.length > 0) {
            out.writeBytes(ascii("4:salt" + salt.length + ":"));
            out.writeBytes(salt);
        }
        out.writeBytes(ascii("3:seqi1e3:sig64:"));
        out.writeBytes(sig);
        out.writeBytes(ascii("5:token8:aoeusnth1:v12:Hello World!e1:q3:put1:t2:aa1:y1:qe"));
        return out.toByteArray();
    }

    @Test
    void decodesBep44MutablePutTestVector1WithValidSignatureAndTarget() {
        byte[] packet = mutablePut(new byte[0], BEP44_SIG_TEST1);
        KrpcDecodeResult result = codec.decode(packet);
        PutMutableQuery put = (PutMutableQuery) assertInstanceOf(KrpcDecodeResult.Decoded.class, result).message();
        assertArrayEquals(ascii("12:Hello World!"), put.value());
        assertEquals(1, put.seq());
        assertTrue(put.signatureValid());
        assertEquals(NodeId.fromHex("4a533d47ec9c7d95b1ad75f576cffc641853b750"), put.target());
        assertArrayEquals(packet, codec.encode(put));
    }

    @Test
    void decodesBep44MutablePutTestVector2WithSalt() {
        byte[] packet = mutablePut(ascii("foobar"), BEP44_SIG_TEST2);
        PutMutableQuery put = (PutMutableQuery) ((KrpcDecodeResult.Decoded) codec.decode(packet)).message();
        assertArrayEquals(ascii("foobar"), put.salt());
        assertTrue(put.signatureValid());
        assertEquals(NodeId.fromHex("411eba73b6f087ca51a3795d9c8c938d365e32c1"), put.target());
        assertArrayEquals(packet, codec.encode(put));
    }

    @Test
    void refusesForgedSignatureOnBep44Item() {
        // Test vector 1's signature does not cover test vector 2's salted buffer.
        PutMutableQuery put = (PutMutableQuery) ((KrpcDecodeResult.Decoded) codec.decode(
                mutablePut(ascii("foobar"), BEP44_SIG_TEST1))).message();
        assertFalse(put.signatureValid());
    }

    @Test
    void decodesBep44ImmutablePutTestVector3() {
        String packet = "d1:ad2:id20:abcdefghij01234567895:token8:aoeusnth1:v12:Hello World!e1:q3:put1:t2:aa1:y1:qe";
        PutImmutableQuery put = (PutImmutableQuery) decoded(packet);
        assertEquals(NodeId.fromHex("e5f96f6f38320f0f33959cb4d3d656452117aadb"), Bep44.immutableTarget(put.value()));
        assertEncodesTo(packet, put);
    }

    @Test
    void keepsNonStringValueVerbatim() {
        // BEP 44 "Messages": v may be any bencoded type and is hashed in the form it appeared.
        String packet = "d1:ad2:id20:abcdefghij01234567895:token1:x1:vd1:ai-5e1:bl0:i0eeee1:q3:put1:t2:aa1:y1:qe";
        PutImmutableQuery put = (PutImmutableQuery) decoded(packet);
        assertArrayEquals(ascii("d1:ai-5e1:bl0:i0eee"), put.value());
        assertEncodesTo(packet, put);
    }

    @Test
    void refusesValueOverBep44SizeWithError205() {
        String big = "1000:" + "x".repeat(1000);
        KrpcDecodeResult result = codec.decode(ascii("d1:ad2:id20:abcdefghij01234567895:token1:x1:v" + big + "e1:q3:put1:t2:aa1:y1:qe"));
        KrpcDecodeResult.Malformed bad = assertInstanceOf(KrpcDecodeResult.Malformed.class, result);
        assertEquals(KrpcError.VALUE_TOO_BIG, bad.errorCode());
        assertEquals(KrpcError.VALUE_TOO_BIG, bad.reply().orElseThrow().code());
        assertEquals(AA, bad.reply().orElseThrow().transactionId());
    }

    @Test
    void refusesSaltOverBep44SizeWithError207() {
        byte[] packet = mutablePut(ascii("s".repeat(65)), BEP44_SIG_TEST1);
        KrpcDecodeResult.Malformed bad = assertInstanceOf(KrpcDecodeResult.Malformed.class, codec.decode(packet));
        assertEquals(KrpcError.SALT_TOO_BIG, bad.errorCode());
    }

    @Test
    void answersMalformedQueryWithProtocolErrorCarryingItsTransactionId() {
        // A ping whose id is 19 bytes: BEP 5 says answer 203.
        KrpcDecodeResult result = codec.decode(ascii("d1:ad2:id19:abcdefghij012345678e1:q4:ping1:t2:aa1:y1:qe"));
        KrpcError reply = assertInstanceOf(KrpcDecodeResult.Malformed.class, result).reply().orElseThrow();
        assertEquals(KrpcError.PROTOCOL, reply.code());
        assertEquals(AA, reply.transactionId());
    }

    @Test
    void recoversTransactionIdOfQueryWithUnsortedKeys() {
        KrpcDecodeResult result = codec.decode(ascii("d1:t2:aa1:y1:q1:q4:ping1:ad2:id20:abcdefghij0123456789ee"));
        KrpcDecodeResult.Malformed bad = assertInstanceOf(KrpcDecodeResult.Malformed.class, result);
        assertEquals(Optional.of(AA), bad.transactionId());
        assertEquals(Optional.of(MessageKind.QUERY), bad.kind());
    }

    @Test
    void decodesAndEncodesRestfsSilentReportAndRefusesOneWithoutTarget() {
        String packet = "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e"
                + "1:q13:restfs_silent1:t2:aa1:y1:qe";
        assertEquals(new RestfsSilentQuery(AA, ABC, MNO), decoded(packet));
        assertEncodesTo(packet, new RestfsSilentQuery(AA, ABC, MNO));
        KrpcDecodeResult result = codec.decode(
                ascii("d1:ad2:id20:abcdefghij0123456789e1:q13:restfs_silent1:t2:aa1:y1:qe"));
        KrpcError reply = assertInstanceOf(KrpcDecodeResult.Malformed.class, result).reply().orElseThrow();
        assertEquals(KrpcError.PROTOCOL, reply.code());
    }

    @Test
    void decodesUnknownMethodSoTheNodeCanAnswer204() {
        String packet = "d1:ad2:id20:abcdefghij0123456789e1:q11:sample_info1:t2:aa1:y1:qe";
        assertEquals(new UnknownQuery(AA, ABC, "sample_info"), decoded(packet));
    }

    @Test
    void decodesFromByteBufWithoutConsumingIt() {
        ByteBuf buf = Unpooled.wrappedBuffer(ascii("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe"));
        assertEquals(new PingQuery(AA, ABC), ((KrpcDecodeResult.Decoded) codec.decode(buf)).message());
        assertEquals(0, buf.readerIndex());
        ByteBuf out = Unpooled.buffer();
        codec.encode(new PingQuery(AA, ABC), out);
        assertEquals(buf, out);
    }

    @Test
    void refusesToBuildAValueTooDeepToFitInADatagram() {
        byte[] fits = ascii("l".repeat(14) + "e".repeat(14));
        byte[] tooDeep = ascii("l".repeat(15) + "e".repeat(15));
        PutImmutableQuery put = new PutImmutableQuery(AA, ABC, ascii("x"), fits);
        assertInstanceOf(KrpcDecodeResult.Decoded.class, codec.decode(codec.encode(put)));
        assertThrows(IllegalArgumentException.class, () -> new PutImmutableQuery(AA, ABC, ascii("x"), tooDeep));
    }

    @Test
    void keepsIpv4MappedIpv6ContactsInNodes6() throws Exception {
        byte[] mapped = hex("00000000000000000000ffff01020304");
        NodeInfo contact = new NodeInfo(MNO, new InetSocketAddress(java.net.Inet6Address.getByAddress(null, mapped, -1), 6881));
        KrpcResponse response = KrpcResponse.builder(AA, ABC).nodes(List.of(contact)).build();
        assertEquals(List.of(contact), response.nodes6());
        KrpcMessage back = ((KrpcDecodeResult.Decoded) codec.decode(codec.encode(response))).message();
        assertEquals(response, back);
    }

    @Test
    void refusesMutablePutWithoutSequenceNumber() {
        byte[] packet = mutablePut(new byte[0], BEP44_SIG_TEST1);
        String text = new String(packet, StandardCharsets.ISO_8859_1).replace("3:seqi1e", "");
        KrpcDecodeResult.Malformed bad = assertInstanceOf(KrpcDecodeResult.Malformed.class, codec.decode(ascii(text)));
        assertEquals(KrpcError.PROTOCOL, bad.errorCode());
        assertTrue(bad.reason().contains("seq"), bad.reason());
    }

    @Test
    void refusesOversizedDatagramBeforeParsing() {
        KrpcDecodeResult.Malformed bad = assertInstanceOf(KrpcDecodeResult.Malformed.class,
                codec.decode(new byte[1501]));
        assertTrue(bad.transactionId().isEmpty());
        assertTrue(bad.reply().isEmpty());
    }

    @Test
    void carriesRestfsInfoOfANodeWithoutShardEndpoint() {
        io.restfs.dht.crypto.Ed25519KeyPair key = io.restfs.dht.crypto.Ed25519KeyPair.fromSeed(new byte[32]);
        RestfsNodeInfo info = RestfsNodeInfo.sign(key, "", 0, "", 0, 1);
        assertFalse(info.servesShards());
        KrpcResponse response = KrpcResponse.builder(AA, key.nodeId()).restfsInfo(info).build();
        KrpcResponse back = (KrpcResponse) ((KrpcDecodeResult.Decoded) codec.decode(codec.encode(response))).message();
        assertEquals(response, back);
        assertTrue(back.restfsInfo().orElseThrow().signatureValid());
    }
}
