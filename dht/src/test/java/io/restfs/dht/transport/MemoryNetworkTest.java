package io.restfs.dht.transport;

import io.restfs.dht.env.VirtualTime;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryNetworkTest {
    @Test
    void deliversAfterLatencyAndNothingReachesADownNode() {
        VirtualTime time = new VirtualTime();
        MemoryNetwork net = new MemoryNetwork(time, new SplittableRandom(1), 10, 20, 0);
        MemoryTransport a = net.attach(net.nextAddress());
        MemoryTransport b = net.attach(net.nextAddress());
        List<Long> arrivals = new ArrayList<>();
        List<InetSocketAddress> senders = new ArrayList<>();
        b.start((from, p) -> {
            arrivals.add(time.nowMillis());
            senders.add(from);
        });
        a.send(b.localAddress(), new byte[] {1});
        time.advance(9);
        assertTrue(arrivals.isEmpty());
        time.advance(11);
        assertEquals(1, arrivals.size());
        assertEquals(a.localAddress(), senders.get(0));
        net.setDown(b.localAddress(), true);
        a.send(b.localAddress(), new byte[] {2});
        time.advance(100);
        assertEquals(1, arrivals.size());
        assertEquals(1, net.dropped());
    }
}
