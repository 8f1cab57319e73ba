package io.restfs.dht.crypto;

import io.restfs.dht.id.NodeId;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.Random;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ed25519KeyPairTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void matchesRfc8032TestVector1() {
        // RFC 8032 section 7.1, TEST 1 (empty message).
        Ed25519KeyPair key = Ed25519KeyPair.fromSeed(hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertArrayEquals(hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"), key.publicKey());
        byte[] expected = hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        assertArrayEquals(expected, key.sign(new byte[0]));
        assertTrue(Ed25519.verify(key.publicKey(), new byte[0], expected));
    }

    @Test
    void derivesNodeIdAsSha1OfPublicKey() {
        Ed25519KeyPair key = Ed25519KeyPair.fromSeed(new byte[32]);
        assertEquals(NodeId.sha1(key.publicKey()), key.nodeId());
        assertEquals(key.nodeId(), Ed25519.nodeIdOf(key.publicKey()));
    }

    @Test
    void generatesTheSameKeyFromTheSameSeededRandom() {
        Ed25519KeyPair a = Ed25519KeyPair.generate(seeded(42));
        Ed25519KeyPair b = Ed25519KeyPair.generate(seeded(42));
        Ed25519KeyPair c = Ed25519KeyPair.generate(seeded(43));
        assertArrayEquals(a.publicKey(), b.publicKey());
        assertFalse(java.util.Arrays.equals(a.publicKey(), c.publicKey()));
    }

    @Test
    void refusesSeedOfWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> Ed25519KeyPair.fromSeed(new byte[31]));
    }

    @Test
    void neverPrintsTheSeed() {
        Ed25519KeyPair key = Ed25519KeyPair.fromSeed(hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertFalse(key.toString().contains("9d61b19d"));
        assertNotEquals(-1, key.toString().indexOf("d75a9801"));
    }

    /** A SecureRandom whose bytes come from a seeded Random, as a simulator would inject. */
    private static SecureRandom seeded(long seed) {
        Random r = new Random(seed);
        return new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                r.nextBytes(bytes);
            }
        };
    }
}
