package io.restfs.dht.transport;

import io.restfs.dht.env.EventLoopScheduler;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UdpTransportTest {
    @Test
    void deliversDatagramsOnTheLogicThreadAndDropsOversizeOnes() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (EventLoopScheduler logic = new EventLoopScheduler("test-dht-logic");
             UdpTransport a = UdpTransport.bind(any, logic);
             UdpTransport b = UdpTransport.bind(any, logic)) {
            BlockingQueue<Object[]> got = new ArrayBlockingQueue<>(10);
            b.start((from, packet) -> got.add(new Object[] {from, packet, logic.inLogicThread()}));
            a.start((from, packet) -> { });
            a.send(b.localAddress(), new byte[] {1, 2, 3});
            Object[] first = got.poll(5, TimeUnit.SECONDS);
            assertNotNull(first);
            assertEquals(a.localAddress().getPort(), ((InetSocketAddress) first[0]).getPort());
            assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) first[1]);
            assertTrue((Boolean) first[2], "handed over to the logic thread");

            a.send(b.localAddress(), new byte[UdpTransport.MAX_DATAGRAM + 1]);
            a.send(b.localAddress(), new byte[] {4});
            Object[] second = got.poll(5, TimeUnit.SECONDS);
            assertNotNull(second);
            assertArrayEquals(new byte[] {4}, (byte[]) second[1], "the oversize datagram never arrived");
            assertEquals(1, b.oversizeDropped());
            assertNull(got.poll(100, TimeUnit.MILLISECONDS));
        }
    }
}
