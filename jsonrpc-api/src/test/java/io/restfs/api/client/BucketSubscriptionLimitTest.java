package io.restfs.api.client;

import io.restfs.api.BucketEvent;
import io.restfs.api.Limits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A node that misbehaves on /ws: after confirming the subscription and sending one event, it sends a text message
 * far over {@link Limits#MAX_PUBSUB_FRAME_CHARS}, whole or in fragments. The client must close the subscription
 * instead of buffering it. The "node" is a raw WebSocket server on a loopback socket (RFC 6455 handshake and
 * unmasked server frames), since a well-behaved server would never send such a message.
 */
class BucketSubscriptionLimitTest {
    private static final String WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int HUGE_CHARS = 2 * 1024 * 1024;

    private ServerSocket server;
    private Thread serving;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws IOException, InterruptedException {
        server.close();
        if (serving != null) {
            serving.join(10_000);
        }
    }

    @ParameterizedTest(name = "fragments: {0}")
    @ValueSource(ints = {1, 64})
    void oversizedMessageFromNodeClosesTheSubscription(int fragments) throws Exception {
        serving = new Thread(() -> serveOnce(fragments), "bad-ws-node");
        serving.start();
        List<BucketEvent> events = new CopyOnWriteArrayList<>();
        RestfsClient client = RestfsClient.connect(URI.create("http://127.0.0.1:" + server.getLocalPort()), "tok");
        try (BucketSubscription s = client.subscribe("photos", events::add)) {
            s.closed().get(30, TimeUnit.SECONDS);
        }
        assertEquals(List.of(new BucketEvent("created", "/a.jpg", 1)), events);
    }

    private void serveOnce(int fragments) {
        try (Socket c = server.accept()) {
            c.setSoTimeout(30_000);
            String request = readHeaders(c.getInputStream());
            Matcher key = Pattern.compile("(?im)^sec-websocket-key:\\s*(\\S+)").matcher(request);
            if (!key.find()) {
                return;
            }
            OutputStream out = c.getOutputStream();
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept(key.group(1)) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            // Answer only once the client's subscribe frame is in: aborting while it still sends would fail the
            // subscribe call itself instead of ending an open subscription.
            readClientFrame(c.getInputStream());
            sendText(out, "{\"type\":\"subscribed\",\"topic\":\"bucket.photos\"}");
            sendText(out, "{\"type\":\"event\",\"topic\":\"bucket.photos\",\"data\":"
                    + "{\"type\":\"created\",\"path\":\"/a.jpg\",\"version\":1}}");
            byte[] chunk = "x".repeat(HUGE_CHARS / fragments).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < fragments; i++) {
                int opcode = i == 0 ? 0x1 : 0x0;
                frame(out, i == fragments - 1, opcode, chunk);
            }
            out.flush();
            // Keep the connection open: the client must end it by itself, not because we hung up.
            c.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // The client aborting the connection is what the test waits for.
        }
    }

    private static String readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed during the handshake");
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** Reads and drops one masked client frame (RFC 6455 section 5.2). */
    private static void readClientFrame(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        d.readUnsignedByte();
        int len = d.readUnsignedByte() & 0x7f;
        long length = len == 126 ? d.readUnsignedShort() : len == 127 ? d.readLong() : len;
        d.skipNBytes(4 + length); // the mask key, then the payload
    }

    private static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + WS_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static void sendText(OutputStream out, String text) throws IOException {
        frame(out, true, 0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** One unmasked server frame (RFC 6455 section 5.2). */
    private static void frame(OutputStream out, boolean fin, int opcode, byte[] payload) throws IOException {
        out.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            out.write(payload.length);
        } else if (payload.length < 65536) {
            out.write(126);
            out.write(payload.length >>> 8);
            out.write(payload.length);
        } else {
            out.write(127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) payload.length >>> shift));
            }
        }
        out.write(payload);
    }
}
