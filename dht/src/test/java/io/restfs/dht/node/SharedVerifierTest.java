package io.restfs.dht.node;

import io.restfs.dht.crypto.CachingSignatureVerifier;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedVerifierTest {
    @Test
    void nodesSharingAVerifierCheckEachSignedInfoOnceAmongThemAll() {
        MemoryCluster cluster = new MemoryCluster(31, DhtConfig.defaults(), 5, 20);
        CachingSignatureVerifier memo = new CachingSignatureVerifier(10_000);
        cluster.verifier = memo;
        cluster.grow(60);
        // Each node re-signs its info only when it changes or after 15 minutes, and the cluster grew in 42 s of
        // virtual time: one distinct signed info per node, each checked by many peers.
        assertTrue(memo.misses() <= 2 * 60, "distinct verifications: " + memo.misses());
        assertTrue(memo.hits() > 5 * memo.misses(), "verdicts reused: " + memo.hits() + " vs " + memo.misses());
    }
}
