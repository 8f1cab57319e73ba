package io.restfs.node.client;

import io.restfs.api.BucketInfo;
import io.restfs.api.BucketPolicy;
import io.restfs.api.ClusterStatus;
import io.restfs.api.DirEntry;
import io.restfs.api.ErrorCode;
import io.restfs.api.ObjectInfo;
import io.restfs.api.ObjectType;
import io.restfs.api.ObjectVersion;
import io.restfs.api.RestfsException;
import io.restfs.api.SegmentInfo;
import io.restfs.api.client.RestfsClient;
import io.restfs.node.rpc.ApiFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java client against the API served over HTTP by the in-memory test service: every call, errors, streams. */
class RestfsClientRoundTripTest {
    @TempDir
    static Path dir;
    static ApiFixture fx;
    static RestfsClient client;

    @BeforeAll
    static void start() throws Exception {
        fx = new ApiFixture(dir);
        client = fx.admin();
        client.buckets().create("docs", new BucketPolicy(2, 1, 1024, false, true, false));
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    static void assertCode(ErrorCode code, Executable call) {
        RestfsException e = assertThrows(RestfsException.class, call);
        assertEquals(code, e.code(), e.toString());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void bucketCalls() {
        BucketInfo made = client.buckets().create("temp", BucketPolicy.of(3, 2));
        assertEquals(BucketPolicy.of(3, 2), made.policy());
        assertEquals(made.policy(), client.buckets().info("temp").policy());
        assertTrue(client.buckets().list().stream().anyMatch(b -> b.name().equals("temp")));
        assertCode(ErrorCode.ALREADY_EXISTS, () -> client.buckets().create("temp", BucketPolicy.of(3, 2)));
        client.objects().put("temp", "/x", bytes("x"), null);
        assertCode(ErrorCode.NOT_EMPTY, () -> client.buckets().delete("temp"));
        client.objects().delete("temp", "/x");
        client.buckets().delete("temp");
        assertCode(ErrorCode.NOT_FOUND, () -> client.buckets().info("temp"));
    }

    @Test
    void objectCallsRoundTrip() {
        ObjectInfo v1 = client.objects().put("docs", "/a.txt", bytes("one"), null);
        assertEquals(1, v1.version());
        ObjectInfo v2 = client.objects().put("docs", "/a.txt", bytes("two!"), 1L);
        assertEquals(2, v2.version());
        assertCode(ErrorCode.CONFLICT, () -> client.objects().put("docs", "/a.txt", bytes("lost"), 1L));
        assertArrayEquals(bytes("one"), client.objects().get("docs", "/a.txt", 1L));
        assertArrayEquals(bytes("two!"), client.objects().get("docs", "/a.txt", null));
        assertEquals(4, client.objects().stat("docs", "/a.txt", null).size());
        List<ObjectVersion> versions = client.objects().versionsAll("docs", "/a.txt");
        assertEquals(List.of(2L, 1L), versions.stream().map(ObjectVersion::version).toList());

        client.objects().mkdir("docs", "/dir");
        client.objects().put("docs", "/dir/b", new byte[0], 0L);
        List<DirEntry> root = client.objects().listAll("docs", "/");
        assertTrue(root.stream().anyMatch(e -> e.name().equals("dir") && e.type() == ObjectType.DIRECTORY), root.toString());
        ObjectInfo moved = client.objects().rename("docs", "/dir/b", "/c");
        assertEquals("/c", moved.path());
        assertCode(ErrorCode.NOT_FOUND, () -> client.objects().stat("docs", "/dir/b", null));
        client.objects().delete("docs", "/c");
        assertTrue(client.objects().versionsAll("docs", "/c").get(0).deleted());
        assertCode(ErrorCode.NOT_FOUND, () -> client.objects().get("docs", "/nope", null));
    }

    @Test
    void segmentAndClusterCalls() {
        byte[] data = new byte[2500];
        new Random(1).nextBytes(data);
        client.objects().put("docs", "/seg", data, null);
        List<SegmentInfo> segs = client.segments().locations("docs", "/seg", null);
        assertEquals(3, segs.size());
        assertEquals(3, segs.get(0).shards().size());
        assertArrayEquals(Arrays.copyOfRange(data, 1024, 2048), client.segments().get("docs", "/seg", null, 1));
        ClusterStatus s = client.cluster().status();
        assertEquals(1, s.members().size());
    }

    @Test
    void uploadAndDownloadStreamWithProgress() throws Exception {
        byte[] data = new byte[3 << 20];
        new Random(2).nextBytes(data);
        Path src = Files.write(dir.resolve("src.bin"), data);
        List<long[]> up = new ArrayList<>();
        ObjectInfo info = client.upload("docs", "/big bin+é?#%", src, null, (d, t) -> up.add(new long[] {d, t}));
        assertEquals(data.length, info.size());
        assertEquals("/big bin+é?#%", info.path(), "path travels percent-encoded and arrives as sent");
        assertEquals(data.length, up.get(up.size() - 1)[0]);
        assertEquals(data.length, up.get(0)[1]);
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)), info.sha256());

        Path dst = dir.resolve("dst.bin");
        List<Long> down = new ArrayList<>();
        client.download("docs", info.path(), null, dst, (d, t) -> down.add(d));
        assertArrayEquals(data, Files.readAllBytes(dst));
        assertEquals(data.length, down.get(down.size() - 1));
        assertArrayEquals(Arrays.copyOfRange(data, 1000, 1100), client.readRange("docs", info.path(), null, 1000, 100));
    }

    @Test
    void rangeRequestsAnswer206AndUnsatisfiableOnes416() throws Exception {
        client.objects().put("docs", "/r", bytes("0123456789"), null);
        HttpClient http = HttpClient.newHttpClient();
        URI u = fx.uri().resolve("/o/docs/r");
        HttpResponse<String> part = http.send(HttpRequest.newBuilder(u).header("Authorization", "Bearer " + fx.adminToken)
                .header("Range", "bytes=2-4").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(206, part.statusCode());
        assertEquals("234", part.body());
        assertEquals("bytes 2-4/10", part.headers().firstValue("Content-Range").orElseThrow());
        HttpResponse<String> suffix = http.send(HttpRequest.newBuilder(u).header("Authorization", "Bearer "
                + fx.adminToken).header("Range", "bytes=-3").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("789", suffix.body());
        HttpResponse<String> beyond = http.send(HttpRequest.newBuilder(u).header("Authorization", "Bearer "
                + fx.adminToken).header("Range", "bytes=10-").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(416, beyond.statusCode());
        assertEquals("bytes */10", beyond.headers().firstValue("Content-Range").orElseThrow());
        HttpResponse<String> whole = http.send(HttpRequest.newBuilder(u).header("Authorization", "Bearer "
                + fx.adminToken).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, whole.statusCode());
        assertEquals("0123456789", whole.body());
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(fx.uri().resolve("/o/docs/none"))
                .header("Authorization", "Bearer " + fx.adminToken).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("" + ErrorCode.NOT_FOUND.code()), missing.body());
    }

    @Test
    void conflictOnStreamedPutIsReported() throws Exception {
        Path f = Files.writeString(dir.resolve("c.txt"), "c");
        client.upload("docs", "/cas", f, 0L, io.restfs.api.client.TransferListener.NONE);
        RestfsException e = assertThrows(RestfsException.class,
                () -> client.upload("docs", "/cas", f, 0L, (d, t) -> { }));
        assertEquals(ErrorCode.CONFLICT, e.code());
    }

    @Test
    void unreachableNodeIsNotReady() {
        RestfsClient nowhere = RestfsClient.connect(URI.create("http://127.0.0.1:1/"), fx.adminToken);
        assertCode(ErrorCode.NOT_READY, () -> nowhere.cluster().status());
    }
}
