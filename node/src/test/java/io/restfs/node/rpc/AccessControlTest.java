package io.restfs.node.rpc;

import io.restfs.api.BucketInfo;
import io.restfs.api.BucketPolicy;
import io.restfs.api.ErrorCode;
import io.restfs.api.RestfsException;
import io.restfs.api.client.RestfsClient;
import io.restfs.api.client.TransferListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Bearer tokens and bucket rights, through the JSON-RPC endpoint and the streaming one. */
class AccessControlTest {
    @TempDir
    static Path dir;
    static ApiFixture fx;
    static RestfsClient readerOfA;
    static RestfsClient writerOfA;
    static RestfsClient readerOfAll;

    @BeforeAll
    static void start() throws Exception {
        fx = new ApiFixture(dir);
        RestfsClient admin = fx.admin();
        admin.buckets().create("alpha", BucketPolicy.defaults());
        admin.buckets().create("beta", BucketPolicy.defaults());
        admin.objects().put("alpha", "/a.txt", bytes("in alpha"), null);
        admin.objects().put("beta", "/b.txt", bytes("in beta"), null);
        readerOfA = fx.client(fx.token(Set.of("alpha"), Set.of()));
        writerOfA = fx.client(fx.token(Set.of(), Set.of("alpha")));
        readerOfAll = fx.client(fx.token(Set.of("*"), Set.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void assertCode(ErrorCode code, Executable call) {
        RestfsException e = assertThrows(RestfsException.class, call);
        assertEquals(code, e.code(), e.toString());
    }

    @Test
    void tokenForOneBucketCannotReadAnother() {
        assertArrayEquals(bytes("in alpha"), readerOfA.objects().get("alpha", "/a.txt", null));
        assertCode(ErrorCode.FORBIDDEN, () -> readerOfA.objects().get("beta", "/b.txt", null));
        assertCode(ErrorCode.FORBIDDEN, () -> readerOfA.objects().listAll("beta", "/"));
        assertCode(ErrorCode.FORBIDDEN, () -> readerOfA.buckets().info("beta"));
        assertCode(ErrorCode.FORBIDDEN, () -> readerOfA.segments().locations("beta", "/b.txt", null));
    }

    @Test
    void readTokenCannotWrite() {
        assertCode(ErrorCode.FORBIDDEN, () -> readerOfA.objects().put("alpha", "/new", bytes("x"), null));
        assertCode(ErrorCode.FORBIDDEN, () -> readerOfA.objects().mkdir("alpha", "/d"));
        assertCode(ErrorCode.FORBIDDEN, () -> readerOfA.objects().rename("alpha", "/a.txt", "/z.txt"));
        assertCode(ErrorCode.FORBIDDEN, () -> readerOfA.objects().delete("alpha", "/a.txt"));
        assertCode(ErrorCode.FORBIDDEN, () -> readerOfA.segments().put("alpha", "/a.txt", 0, bytes("x"), null));
        assertCode(ErrorCode.FORBIDDEN, () -> readerOfAll.objects().put("beta", "/new", bytes("x"), null));
    }

    @Test
    void writeTokenMayReadAndWriteItsBucketOnly() {
        writerOfA.objects().put("alpha", "/w.txt", bytes("written"), null);
        assertArrayEquals(bytes("written"), writerOfA.objects().get("alpha", "/w.txt", null));
        assertCode(ErrorCode.FORBIDDEN, () -> writerOfA.objects().put("beta", "/w.txt", bytes("x"), null));
        writerOfA.segments().put("alpha", "/w.txt", 0, bytes("rewritten"), null);
        assertArrayEquals(bytes("rewritten"), readerOfA.objects().get("alpha", "/w.txt", null));
        assertCode(ErrorCode.FORBIDDEN, () -> writerOfA.segments().put("beta", "/b.txt", 0, bytes("x"), null));
    }

    @Test
    void onlyAdminCreatesAndDeletesBuckets() {
        assertCode(ErrorCode.FORBIDDEN, () -> writerOfA.buckets().create("gamma", BucketPolicy.defaults()));
        assertCode(ErrorCode.FORBIDDEN, () -> writerOfA.buckets().delete("alpha"));
        assertCode(ErrorCode.FORBIDDEN, () -> readerOfAll.buckets().delete("alpha"));
    }

    @Test
    void bucketListShowsOnlyReadableBuckets() {
        assertEquals(List.of("alpha"), readerOfA.buckets().list().stream().map(BucketInfo::name).toList());
        assertEquals(List.of("alpha", "beta"), readerOfAll.buckets().list().stream().map(BucketInfo::name).toList());
    }

    @Test
    void missingOrUnknownTokenIsUnauthorized() throws Exception {
        assertCode(ErrorCode.UNAUTHORIZED, () -> fx.client("not-a-token").buckets().list());
        String wellFormedButUnknown = "A".repeat(43);
        assertCode(ErrorCode.UNAUTHORIZED, () -> fx.client(wellFormedButUnknown).cluster().status());
        RpcTestClient.Answer a = new RpcTestClient(fx.uri(), null).post(
                "{\"jsonrpc\":\"2.0\",\"method\":\"cluster.status\",\"id\":1}");
        assertEquals(401, a.status());
        assertEquals(ErrorCode.UNAUTHORIZED.code(), a.json().path("error").path("code").asInt());
        assertEquals(true, a.json().get("id").isNull());
    }

    @Test
    void streamingEndpointChecksTheSameRights() throws Exception {
        Path f = Files.writeString(dir.resolve("up.txt"), "streamed");
        assertCode(ErrorCode.FORBIDDEN, () -> readerOfA.upload("alpha", "/s.txt", f, null, TransferListener.NONE));
        assertCode(ErrorCode.FORBIDDEN, () -> readerOfA.readRange("beta", "/b.txt", null, 0, 2));
        assertCode(ErrorCode.UNAUTHORIZED, () -> fx.client("A".repeat(43)).readRange("alpha", "/a.txt", null, 0, 2));
        writerOfA.upload("alpha", "/s.txt", f, null, TransferListener.NONE);
        assertArrayEquals(bytes("str"), readerOfA.readRange("alpha", "/s.txt", null, 0, 3));
    }

    @Test
    void refusedLargeUploadIsReportedAsForbidden() throws Exception {
        Path big = dir.resolve("big.bin");
        try (var out = Files.newOutputStream(big)) {
            out.write(new byte[24 << 20]);
        }
        assertCode(ErrorCode.FORBIDDEN, () -> readerOfA.upload("alpha", "/big.bin", big, null, TransferListener.NONE));
    }

    @Test
    void tokenCreatedAfterStartIsAcceptedWithoutRestart() throws Exception {
        // Another process (restfs token create) writes the store; a second store object stands in for it here.
        String later = io.restfs.node.auth.TokenStore.open(fx.nodeDir).create(
                io.restfs.node.auth.Grant.on(Set.of("beta"), Set.of()), "later");
        assertArrayEquals(bytes("in beta"), fx.client(later).objects().get("beta", "/b.txt", null));
    }
}
