package io.restfs.dht.node;

import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.krpc.KrpcCodec;
import io.restfs.dht.krpc.KrpcDecodeResult;
import io.restfs.dht.krpc.KrpcResponse;
import io.restfs.dht.krpc.PingQuery;
import io.restfs.dht.krpc.TransactionId;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One address flooding a real node over loopback UDP is cut off; another address is still answered. */
class RateLimitOverUdpTest {
    private static final int FLOOD = 2_000;

    @Test
    void floodingAddressIsDroppedWhileOthersAreStillAnswered() throws Exception {
        DhtConfig config = DhtConfig.defaults().withRateLimit(20, 50);
        try (UdpDht dht = UdpDht.open(config, Ed25519KeyPair.fromSeed(new byte[32]),
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), Optional.empty());
             DatagramSocket flooder = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
             DatagramSocket honest = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 0))) {
            InetSocketAddress target = dht.node().localAddress();
            KrpcCodec codec = new KrpcCodec();
            NodeId flooderId = NodeId.sha1(new byte[] {1});
            long start = System.nanoTime();
            for (int i = 0; i < FLOOD; i++) {
                byte[] p = codec.encode(new PingQuery(TransactionId.ofShort(i), flooderId));
                flooder.send(new DatagramPacket(p, p.length, target));
            }
            int answered = drain(flooder, codec);
            double seconds = (System.nanoTime() - start) / 1e9;

            NodeId honestId = NodeId.sha1(new byte[] {2});
            int honestAnswers = 0;
            for (int i = 0; i < 5; i++) {
                byte[] p = codec.encode(new PingQuery(TransactionId.ofShort(i), honestId));
                honest.send(new DatagramPacket(p, p.length, target));
                honestAnswers += drain(honest, codec);
            }
            assertEquals(5, honestAnswers, "the other address is answered every time");
            // Burst of 50 plus 20/s for however long the flood and drain took.
            assertTrue(answered >= 50 && answered <= 50 + 20 * seconds + 5,
                    answered + " of " + FLOOD + " flood pings answered in " + seconds + " s");
            DhtStats stats = dht.node().stats().get(5, TimeUnit.SECONDS);
            // The kernel's socket buffer may drop part of the flood before the node sees it; what arrived over the
            // budget was counted as rate-limited.
            assertTrue(stats.rateLimited() > 0, "dropped queries are counted: " + stats);
            assertEquals(answered + 5, stats.rpc().queriesIn(), "only admitted queries were processed");
        }
    }

    @Test
    void aTrustedSourceIsNotRateLimited() throws Exception {
        DhtConfig config = DhtConfig.defaults().withRateLimit(20, 50);
        try (UdpDht dht = UdpDht.open(config, Ed25519KeyPair.fromSeed(new byte[32]),
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), Optional.empty());
             DatagramSocket member = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.4"), 0))) {
            InetSocketAddress memberAddress = (InetSocketAddress) member.getLocalSocketAddress();
            dht.node().setTrusted(memberAddress::equals);
            KrpcCodec codec = new KrpcCodec();
            NodeId memberId = NodeId.sha1(new byte[] {4});
            int answered = 0;
            // Paced in rounds the socket buffers hold, so every loss would be the limiter's.
            for (int round = 0; round < 10; round++) {
                for (int i = 0; i < 30; i++) {
                    byte[] p = codec.encode(new PingQuery(TransactionId.ofShort(round * 30 + i), memberId));
                    member.send(new DatagramPacket(p, p.length, dht.node().localAddress()));
                }
                answered += drain(member, codec);
            }
            assertEquals(300, answered, "every query of a trusted member is answered");
            assertEquals(0, dht.node().stats().get(5, TimeUnit.SECONDS).rateLimited());
        }
    }

    /** Reads answers until the socket has been quiet for 300 ms. */
    private static int drain(DatagramSocket socket, KrpcCodec codec) throws Exception {
        socket.setSoTimeout(300);
        byte[] buf = new byte[2048];
        int n = 0;
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException quiet) {
                return n;
            }
            byte[] data = java.util.Arrays.copyOf(p.getData(), p.getLength());
            if (codec.decode(data) instanceof KrpcDecodeResult.Decoded d && d.message() instanceof KrpcResponse) {
                n++;
            }
        }
    }
}
