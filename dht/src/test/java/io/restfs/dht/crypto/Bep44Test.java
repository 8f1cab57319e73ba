package io.restfs.dht.crypto;

import io.restfs.dht.id.NodeId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BEP 44 "Test vectors" 1-3 and "Signature Verification", as golden values. */
class Bep44Test {
    private static final byte[] VALUE = ascii("12:Hello World!");
    private static final byte[] PUBLIC_KEY = hex("77ff84905a91936367c01360803104f92432fcd904a43511876df5cdf3e7e548");
    private static final byte[] SIG_1 = hex("305ac8aeb6c9c151fa120f120ea2cfb923564e11552d06a5d856091e5e853cff"
            + "1260d3f39e4999684aa92eb73ffd136e6f4f3ecbfda0ce53a1608ecd7ae21f01");
    private static final byte[] SIG_2 = hex("6834284b6b24c3204eb2fea824d82f88883a3d95e8b4a21b8c0ded553d17d17d"
            + "df9a8a7104b1258f30bed3787e6cb896fca78c58f8e03b5f18f14951a87d9a08");

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void buildsTheSignatureBufferOfTestVector1() {
        assertArrayEquals(ascii("3:seqi1e1:v12:Hello World!"), Bep44.signatureBuffer(new byte[0], 1, VALUE));
    }

    @Test
    void buildsTheSaltedSignatureBufferOfTestVector2() {
        assertArrayEquals(ascii("4:salt6:foobar3:seqi1e1:v12:Hello World!"),
                Bep44.signatureBuffer(ascii("foobar"), 1, VALUE));
    }

    @Test
    void verifiesTheSignatureOfTestVector1() {
        assertTrue(Bep44.verifyMutable(PUBLIC_KEY, new byte[0], 1, VALUE, SIG_1));
    }

    @Test
    void verifiesTheSignatureOfTestVector2() {
        assertTrue(Bep44.verifyMutable(PUBLIC_KEY, ascii("foobar"), 1, VALUE, SIG_2));
    }

    @Test
    void rejectsTheSignatureForAnotherSequenceNumber() {
        assertFalse(Bep44.verifyMutable(PUBLIC_KEY, new byte[0], 2, VALUE, SIG_1));
    }

    @Test
    void rejectsATamperedSignatureOrValue() {
        byte[] sig = SIG_1.clone();
        sig[10] ^= 1;
        assertFalse(Bep44.verifyMutable(PUBLIC_KEY, new byte[0], 1, VALUE, sig));
        assertFalse(Bep44.verifyMutable(PUBLIC_KEY, new byte[0], 1, ascii("12:Hello World?"), SIG_1));
    }

    @Test
    void computesTheMutableTargetsOfTestVectors1And2() {
        assertEquals(NodeId.fromHex("4a533d47ec9c7d95b1ad75f576cffc641853b750"), Bep44.mutableTarget(PUBLIC_KEY, new byte[0]));
        assertEquals(NodeId.fromHex("411eba73b6f087ca51a3795d9c8c938d365e32c1"), Bep44.mutableTarget(PUBLIC_KEY, ascii("foobar")));
    }

    @Test
    void computesTheImmutableTargetOfTestVector3() {
        assertEquals(NodeId.fromHex("e5f96f6f38320f0f33959cb4d3d656452117aadb"), Bep44.immutableTarget(VALUE));
    }

    @Test
    void signsItemsThatVerifyUnderTheSigningKey() {
        Ed25519KeyPair key = Ed25519KeyPair.generate(new SecureRandom());
        byte[] sig = Bep44.signMutable(key, ascii("salt"), 7, VALUE);
        assertTrue(Bep44.verifyMutable(key.publicKey(), ascii("salt"), 7, VALUE, sig));
        assertFalse(Bep44.verifyMutable(key.publicKey(), ascii("salt2"), 7, VALUE, sig));
    }

    @Test
    void verificationGivesFalseForMalformedKeysAndSignatures() {
        assertFalse(Bep44.verifyMutable(new byte[31], new byte[0], 1, VALUE, SIG_1));
        assertFalse(Bep44.verifyMutable(PUBLIC_KEY, new byte[0], 1, VALUE, new byte[63]));
        // 0xff..ff is not the encoding of a curve point.
        byte[] notAPoint = new byte[32];
        java.util.Arrays.fill(notAPoint, (byte) 0xff);
        assertFalse(Bep44.verifyMutable(notAPoint, new byte[0], 1, VALUE, SIG_1));
    }
}
