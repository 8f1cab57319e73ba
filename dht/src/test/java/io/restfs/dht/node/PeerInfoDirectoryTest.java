package io.restfs.dht.node;

import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.krpc.RestfsNodeInfo;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerInfoDirectoryTest {
    private static RestfsNodeInfo info(int seed) {
        byte[] s = new byte[32];
        s[0] = (byte) seed;
        return RestfsNodeInfo.sign(Ed25519KeyPair.fromSeed(s), "10.0.0." + seed, 7000, "g", 0, 1);
    }

    @Test
    void forgetsTheLeastRecentlyUsedInfoWhenFull() {
        PeerInfoDirectory d = new PeerInfoDirectory(2, 42);
        RestfsNodeInfo a = info(1);
        RestfsNodeInfo b = info(2);
        RestfsNodeInfo c = info(3);
        d.put(a.nodeId(), a);
        d.put(b.nodeId(), b);
        d.get(a.nodeId());
        d.put(c.nodeId(), c);
        assertEquals(2, d.size());
        assertTrue(d.get(a.nodeId()).isPresent(), "recently used, kept");
        assertTrue(d.get(b.nodeId()).isEmpty(), "least recently used, forgotten");
        assertTrue(d.get(c.nodeId()).isPresent());
    }

    @Test
    void evictionDoesNotDependOnIdOrder() {
        // The old directory dropped the highest id, so a newly verified peer with a high id was forgotten at once.
        RestfsNodeInfo[] infos = {info(1), info(2), info(3)};
        java.util.Arrays.sort(infos, (x, y) -> x.nodeId().compareTo(y.nodeId()));
        PeerInfoDirectory d = new PeerInfoDirectory(2, 42);
        for (RestfsNodeInfo i : infos) {
            d.put(i.nodeId(), i);
        }
        NodeId lowest = infos[0].nodeId();
        assertTrue(d.get(lowest).isEmpty(), "the lowest id, put first and least recently used, went");
        assertTrue(d.get(infos[2].nodeId()).isPresent(), "the highest id, put last, stayed");
    }
}
