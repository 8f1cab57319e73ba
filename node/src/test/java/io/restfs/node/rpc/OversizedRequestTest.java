package io.restfs.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restfs.api.BucketPolicy;
import io.restfs.api.ErrorCode;
import io.restfs.api.Limits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests over Limits.MAX_REQUEST_BYTES are refused before they are read whole; one just under goes through. */
class OversizedRequestTest {
    @TempDir
    static Path dir;
    static ApiFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = new ApiFixture(dir);
        fx.admin().buckets().create("big", BucketPolicy.defaults());
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    /** Sends request headers (and a body from {@code body}, written on another thread) and reads the answer. */
    private static String exchange(String headers, byte[] chunkedBody) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", fx.port()), 5_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(headers.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread writer = null;
            if (chunkedBody != null) {
                writer = new Thread(() -> {
                    try {
                        int chunk = 64 << 10;
                        for (int off = 0; off < chunkedBody.length; off += chunk) {
                            int n = Math.min(chunk, chunkedBody.length - off);
                            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.write(chunkedBody, off, n);
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        // The server refused the body and closed: expected for an oversized one.
                    }
                }, "oversized-body-writer");
                writer.start();
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    got.write(buf, 0, n);
                    if (complete(got.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (IOException e) {
                // A reset after the answer arrived; what was read is checked below.
            }
            if (writer != null) {
                s.close();
                writer.join(10_000);
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    private static boolean complete(String response) {
        int end = response.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        int cl = response.toLowerCase().indexOf("content-length: ");
        if (cl < 0 || cl > end) {
            return false;
        }
        int len = Integer.parseInt(response.substring(cl + 16, response.indexOf("\r\n", cl)).strip());
        return response.length() >= end + 4 + len;
    }

    private static JsonNode body(String response) throws IOException {
        return new ObjectMapper().readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
    }

    @Test
    void declaredLengthOverTheLimitIsRefusedWithoutReadingTheBody() throws Exception {
        String r = exchange("POST /rpc HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + fx.adminToken
                + "\r\nContent-Type: application/json\r\nContent-Length: " + (Limits.MAX_REQUEST_BYTES + 1L)
                + "\r\n\r\n", null);
        assertTrue(r.startsWith("HTTP/1.1 413"), r);
        JsonNode b = body(r);
        assertEquals(ErrorCode.TOO_LARGE.code(), b.path("error").path("code").asInt(), r);
        assertTrue(b.get("id").isNull(), r);
    }

    @Test
    void chunkedBodyRunningPastTheLimitIsCutOff() throws Exception {
        byte[] body = new byte[Limits.MAX_REQUEST_BYTES + (1 << 20)];
        Arrays.fill(body, (byte) ' ');
        String r = exchange("POST /rpc HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + fx.adminToken
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", body);
        assertTrue(r.startsWith("HTTP/1.1 413"), r);
        assertEquals(ErrorCode.TOO_LARGE.code(), body(r).path("error").path("code").asInt(), r);
    }

    @Test
    void batchOverTheLimitIsRefused() throws Exception {
        String one = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cluster.status\"}";
        String batch = "[" + String.join(",", java.util.Collections.nCopies(Limits.MAX_BATCH + 1, one)) + "]";
        JsonNode r = new RpcTestClient(fx.uri(), fx.adminToken).post(batch).json();
        assertEquals(ErrorCode.TOO_LARGE.code(), r.path("error").path("code").asInt(), r.toString());
        String full = "[" + String.join(",", java.util.Collections.nCopies(Limits.MAX_BATCH, one)) + "]";
        assertEquals(Limits.MAX_BATCH, new RpcTestClient(fx.uri(), fx.adminToken).post(full).json().size());
    }

    @Test
    void largestInlineBodyFits() throws Exception {
        byte[] data = new byte[Limits.MAX_INLINE_BODY_BYTES];
        new java.util.Random(7).nextBytes(data);
        String req = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"object.put\",\"params\":[\"big\",\"/inline\",\""
                + Base64.getEncoder().encodeToString(data) + "\",null]}";
        assertTrue(req.length() <= Limits.MAX_REQUEST_BYTES, "limit leaves room for the largest inline body");
        JsonNode r = new RpcTestClient(fx.uri(), fx.adminToken).post(req).json();
        assertEquals(data.length, r.path("result").path("size").asLong(), r.toString().substring(0, 200));
    }
}
