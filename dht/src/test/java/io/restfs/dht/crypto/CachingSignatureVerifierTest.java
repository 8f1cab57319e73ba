package io.restfs.dht.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CachingSignatureVerifierTest {
    private static final Ed25519KeyPair KEY = Ed25519KeyPair.fromSeed(new byte[32]);

    private static byte[] msg(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Real Ed25519 verification that counts how often it ran. */
    private static SignatureVerifier counting(AtomicInteger calls) {
        return (pk, m, sig) -> {
            calls.incrementAndGet();
            return Ed25519.verify(pk, m, sig);
        };
    }

    @Test
    void givesTheSameVerdictsAsPlainVerification() {
        CachingSignatureVerifier memo = new CachingSignatureVerifier(100);
        byte[] m = msg("restfs_info payload");
        byte[] sig = KEY.sign(m);
        byte[] badSig = sig.clone();
        badSig[5] ^= 1;
        for (int round = 0; round < 2; round++) {
            assertTrue(memo.verify(KEY.publicKey(), m, sig));
            assertFalse(memo.verify(KEY.publicKey(), msg("restfs_info payloaD"), sig), "other message");
            assertFalse(memo.verify(KEY.publicKey(), m, badSig), "other signature");
            assertFalse(memo.verify(Ed25519KeyPair.fromSeed(new byte[] {
                    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}).publicKey(), m, sig), "other key");
            assertFalse(memo.verify(KEY.publicKey(), m, new byte[10]), "malformed signature");
        }
    }

    @Test
    void verifiesEachDistinctSignatureOnce() {
        AtomicInteger calls = new AtomicInteger();
        CachingSignatureVerifier memo = new CachingSignatureVerifier(counting(calls), 100);
        byte[] m = msg("hello");
        byte[] sig = KEY.sign(m);
        for (int i = 0; i < 50; i++) {
            assertTrue(memo.verify(KEY.publicKey(), m, sig));
        }
        assertEquals(1, calls.get());
        assertEquals(49, memo.hits());
        assertEquals(1, memo.misses());
    }

    @Test
    void forgetsTheLeastRecentlyUsedVerdictWhenFull() {
        AtomicInteger calls = new AtomicInteger();
        CachingSignatureVerifier memo = new CachingSignatureVerifier(counting(calls), 3);
        byte[][] m = {msg("a"), msg("b"), msg("c"), msg("d")};
        byte[][] sig = new byte[4][];
        for (int i = 0; i < 4; i++) {
            sig[i] = KEY.sign(m[i]);
        }
        memo.verify(KEY.publicKey(), m[0], sig[0]);
        memo.verify(KEY.publicKey(), m[1], sig[1]);
        memo.verify(KEY.publicKey(), m[2], sig[2]);
        memo.verify(KEY.publicKey(), m[0], sig[0]); // a is now the most recently used
        memo.verify(KEY.publicKey(), m[3], sig[3]); // evicts b
        assertEquals(3, memo.size());
        assertEquals(4, calls.get());
        memo.verify(KEY.publicKey(), m[0], sig[0]);
        assertEquals(4, calls.get(), "a was kept");
        memo.verify(KEY.publicKey(), m[1], sig[1]);
        assertEquals(5, calls.get(), "b was forgotten and verified again");
    }

    @Test
    void refusesAnEmptyMemo() {
        assertThrows(IllegalArgumentException.class, () -> new CachingSignatureVerifier(0));
    }
}
