package io.restfs.node.client;

import io.restfs.api.BucketEvent;
import io.restfs.api.client.BucketSubscription;
import io.restfs.api.client.RestfsClient;
import io.restfs.node.auth.Grant;
import io.restfs.node.auth.TokenStore;
import io.restfs.node.auth.TokenSubscriberAuthorizer;
import io.restfs.node.config.ClusterKeyFile;
import io.restfs.node.daemon.NodeDaemon;
import io.restfs.node.daemon.NodeFixture;
import io.restfs.node.pubsub.PubSubHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subscriber that stops reading must not hold up the writes that publish its bucket's events: events queue per
 * connection and go out on the hub's sender threads, and a connection whose queue passes its bound is closed as
 * too slow. The stalled subscriber is a raw socket that does the WebSocket handshake, subscribes and never reads
 * again; the publisher is the node's own (what a write calls).
 */
class SlowSubscriberTest {
    /** Events of about 3 KB: far more than loopback socket buffers and the queue bound hold together. */
    private static final int EVENTS = 16_000;
    private static final String LONG_NAME = "/" + "n".repeat(3000);

    @TempDir
    Path tmp;

    @Test
    void aSubscriberThatStopsReadingIsClosedAsTooSlowWithoutHoldingUpPublishers() throws Exception {
        Path config = NodeFixture.init(tmp.resolve("n"), ClusterKeyFile.generate(new SecureRandom()), List.of(), "g1");
        try (NodeDaemon d = NodeFixture.start(config)) {
            TokenStore tokens = TokenStore.open(d.context().config().dataDir());
            d.setSubscriberAuthorizer(new TokenSubscriberAuthorizer(tokens));
            String token = tokens.create(Grant.on(Set.of("slow"), Set.of()), "reader");
            URI api = URI.create(d.runtime().apiUrl());
            PubSubHub hub = (PubSubHub) d.context().publisher();

            try (Socket stalled = stalledSubscriber(api, token, "bucket.slow")) {
                // Publishing runs on this thread, as a write's would; before the queue, the first send that found
                // the stalled socket's buffers full held it until the send timeout.
                for (int i = 1; i <= EVENTS; i++) {
                    hub.publish(BucketEvent.topic("slow"), new BucketEvent(BucketEvent.CHANGED, LONG_NAME, i));
                }
                assertEquals(1, hub.slowSubscribersClosed(), "the stalled subscriber was closed as too slow");
            }

            // The hub still serves a subscriber that reads, in order.
            BlockingQueue<BucketEvent> events = new LinkedBlockingQueue<>();
            try (BucketSubscription sub = RestfsClient.connect(api, token).subscribe("slow", events::add)) {
                for (int i = 1; i <= 3; i++) {
                    hub.publish(BucketEvent.topic("slow"), new BucketEvent(BucketEvent.CREATED, "/f" + i, i));
                }
                List<Long> seen = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    BucketEvent e = events.poll(BucketSubscriptionTest.EVENT_WAIT_SECONDS, TimeUnit.SECONDS);
                    seen.add(e == null ? -1 : e.version());
                }
                assertEquals(List.of(1L, 2L, 3L), seen);
            }
        }
    }

    /** Opens /ws with a bearer token, subscribes to {@code topic}, reads the answer, and from then on reads nothing. */
    private static Socket stalledSubscriber(URI api, String token, String topic) throws IOException {
        Socket s = new Socket(api.getHost(), api.getPort());
        s.setSoTimeout(30_000);
        s.setReceiveBufferSize(4096);
        OutputStream out = s.getOutputStream();
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        out.write(("GET /ws HTTP/1.1\r\nHost: " + api.getHost() + ":" + api.getPort() + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(key) + "\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        String response = readHeaders(s.getInputStream());
        assertTrue(response.startsWith("HTTP/1.1 101"), response);
        maskedText(out, "{\"type\":\"subscribe\",\"topic\":\"" + topic + "\"}");
        // The node greets every connection with a hello (for node links) before it answers.
        String answer = readTextFrame(s.getInputStream());
        for (int i = 0; i < 4 && !answer.contains("\"subscribed\""); i++) {
            answer = readTextFrame(s.getInputStream());
        }
        assertTrue(answer.contains("\"subscribed\""), answer);
        return s;
    }

    private static String readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed during the handshake: " + b);
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** One unfragmented, unmasked server text frame with a payload under 64 KiB. */
    private static String readTextFrame(InputStream in) throws IOException {
        in.read();
        int len = in.read() & 0x7f;
        if (len == 126) {
            len = (in.read() << 8) | in.read();
        }
        return new String(in.readNBytes(len), StandardCharsets.UTF_8);
    }

    /** A client text frame under 126 bytes, masked as RFC 6455 requires of clients. */
    private static void maskedText(OutputStream out, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {1, 2, 3, 4};
        out.write(0x81);
        out.write(0x80 | payload.length);
        out.write(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i % 4]);
        }
        out.flush();
    }
}
