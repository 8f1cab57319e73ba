package io.restfs.node.client;

import io.restfs.api.BucketPolicy;
import io.restfs.node.cli.Main;
import io.restfs.node.cli.client.ClusterStatusCommand;
import io.restfs.node.rpc.ApiFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client commands (bucket, put, get, ls, rm, mv, stat, versions, token, cluster status) against a served API. */
class ClientCommandsTest {
    @TempDir
    static Path dir;
    static ApiFixture fx;

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        fx = new ApiFixture(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Runs {@code restfs ARGS --node URL --token T} as an admin. */
    static Run restfs(String... args) {
        return restfsAs(fx.adminToken, args);
    }

    static Run restfsAs(String token, String... args) {
        return restfsOn(fx, token, args);
    }

    /** Runs {@code restfs ARGS --node URL --token T} against the API of {@code on}. */
    static Run restfsOn(ApiFixture on, String token, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--node");
        a.add(on.uri().toString());
        a.add("--token");
        a.add(token);
        return run(new Main(), a.toArray(String[]::new));
    }

    static void assertOk(Run r) {
        assertEquals(0, r.code(), r.err() + r.out());
    }

    @Test
    void bucketLifecycle() {
        Run c = restfs("bucket", "create", "cli-b", "--k", "2", "--m", "1", "--segment-size", "64k", "--no-compress");
        assertOk(c);
        assertTrue(c.out().contains("2+1, segments of 64.0 KiB"), c.out());
        Run ls = restfs("bucket", "ls");
        assertOk(ls);
        assertTrue(ls.out().contains("cli-b") && ls.out().contains("2+1"), ls.out());
        Run info = restfs("bucket", "info", "cli-b", "--json");
        assertOk(info);
        assertTrue(info.out().contains("\"segmentSize\" : 65536"), info.out());
        assertOk(restfs("bucket", "rm", "cli-b"));
        Run gone = restfs("bucket", "info", "cli-b");
        assertEquals(1, gone.code());
        assertEquals("restfs bucket info: not found: no bucket cli-b", gone.err().strip());
    }

    @Test
    void putWithSegmentWritesOneSegmentAsANewVersion() throws Exception {
        assertOk(restfs("bucket", "create", "cli-seg", "--k", "2", "--m", "1", "--segment-size", "4k"));
        byte[] data = new byte[10_000];
        new Random(4).nextBytes(data);
        assertOk(restfs("put", "-q", Files.write(dir.resolve("seg-all.bin"), data).toString(), "cli-seg/f"));
        byte[] middle = new byte[4096];
        new Random(5).nextBytes(middle);
        Path one = Files.write(dir.resolve("seg-one.bin"), middle);
        Run put = restfs("put", one.toString(), "cli-seg/f", "--segment", "1", "--expect-version", "1");
        assertOk(put);
        assertEquals("stored segment 1 of cli-seg/f version 2: 9.8 KiB in 3 segments", put.out().strip());
        byte[] expected = data.clone();
        System.arraycopy(middle, 0, expected, 4096, 4096);
        assertArrayEquals(expected, fx.admin().objects().get("cli-seg", "/f", null));
        Run stale = restfs("put", one.toString(), "cli-seg/f", "--segment", "1", "--expect-version", "1");
        assertEquals(1, stale.code());
        assertTrue(stale.err().startsWith("restfs put: conflict: "), stale.err());
        Run beyond = restfs("put", one.toString(), "cli-seg/f", "--segment", "5");
        assertEquals(1, beyond.code());
        assertTrue(beyond.err().startsWith("restfs put: invalid params: "), beyond.err());
    }

    @Test
    void filesRoundTripThroughPutGetLsStatVersionsMvRm() throws Exception {
        assertOk(restfs("bucket", "create", "files", "--k", "2", "--m", "1", "--segment-size", "4k"));
        byte[] data = new byte[10_000];
        new Random(3).nextBytes(data);
        Path src = Files.write(dir.resolve("data.bin"), data);
        Run put = restfs("put", src.toString(), "files/dir/");
        assertEquals(1, put.code(), "the directory does not exist yet: " + put.out());
        fx.admin().objects().mkdir("files", "/dir");
        put = restfs("put", src.toString(), "files/dir/");
        assertOk(put);
        assertTrue(put.out().startsWith("stored files/dir/data.bin version 1: 9.8 KiB in 3 segments"), put.out());
        assertOk(restfs("put", "-q", src.toString(), "files/dir/data.bin", "--expect-version", "1"));
        Run conflict = restfs("put", "-q", src.toString(), "files/dir/data.bin", "--expect-version", "1");
        assertEquals(1, conflict.code());
        assertTrue(conflict.err().startsWith("restfs put: conflict: "), conflict.err());

        Path back = dir.resolve("back.bin");
        Run get = restfs("get", "files/dir/data.bin", back.toString());
        assertOk(get);
        assertArrayEquals(data, Files.readAllBytes(back));
        assertTrue(get.out().contains("version 2") && get.out().contains("SHA-256 verified"), get.out());
        Run old = restfs("get", "files/dir/data.bin", back.toString(), "--version", "1", "-q");
        assertOk(old);
        assertTrue(old.out().contains("version 1"), old.out());

        Run ls = restfs("ls", "files/dir");
        assertOk(ls);
        assertTrue(ls.out().contains("data.bin") && ls.out().contains("v2"), ls.out());
        Run root = restfs("ls", "files");
        assertTrue(root.out().contains("dir/"), root.out());

        Run stat = restfs("stat", "files/dir/data.bin");
        assertOk(stat);
        assertTrue(stat.out().contains("segments  3"), stat.out());
        assertEquals(3, stat.out().lines().filter(l -> l.startsWith("segment ")).count(), stat.out());
        assertEquals(9, stat.out().lines().filter(l -> l.startsWith("  shard ")).count(), stat.out());

        Run versions = restfs("versions", "files/dir/data.bin");
        assertOk(versions);
        assertEquals(3, versions.out().lines().count(), versions.out());

        assertOk(restfs("mv", "files/dir/data.bin", "/moved.bin"));
        assertEquals(1, restfs("stat", "files/dir/data.bin").code());
        assertOk(restfs("rm", "files/moved.bin"));
        Run afterRm = restfs("versions", "files/moved.bin");
        assertTrue(afterRm.out().contains("(deleted)"), afterRm.out());
    }

    @Test
    void largeTransferWithProgressBar() throws Exception {
        assertOk(restfs("bucket", "create", "large"));
        byte[] data = new byte[9 << 20];
        new Random(4).nextBytes(data);
        Path src = Files.write(dir.resolve("large.bin"), data);
        Run put = restfs("put", src.toString(), "large/large.bin");
        assertOk(put);
        assertTrue(put.err().contains("put large.bin 100%") && put.err().contains("9/9MiB")
                && put.err().contains("MiB/s"), "progress bar with amount and rate: " + put.err());
        Path back = dir.resolve("large.back");
        Run get = restfs("get", "large/large.bin", back.toString());
        assertOk(get);
        assertTrue(get.err().contains("get large.back 100%"), get.err());
        Run quiet = restfs("put", "-q", src.toString(), "large/again.bin");
        assertEquals("", quiet.err());
        assertArrayEquals(data, Files.readAllBytes(back));
    }

    @Test
    void usageErrorsExitTwoWithOneLine() {
        Run badName = restfs("bucket", "create", "Bad_Name");
        assertEquals(2, badName.code());
        assertEquals(1, badName.err().strip().lines().count(), badName.err());
        assertEquals(2, restfs("bucket", "create", "okname", "--k", "0").code());
        assertEquals(2, restfs("bucket", "create", "okname", "--segment-size", "lots").code());
        assertEquals(2, restfs("put", dir.resolve("missing-file").toString(), "files/x").code());
        assertEquals(2, restfs("ls", "NOT A BUCKET").code());
        assertEquals(2, restfs("mv", "aaa/x", "bbb/y").code());
        assertEquals(2, run(new Main(), "ls", "abc", "--config", dir.resolve("no-such.toml").toString()).code());
        assertEquals(2, restfs("get").code(), "picocli's missing parameter");
    }

    @Test
    void failuresExitOneWithoutStackTraces() throws Exception {
        fx.admin().buckets().create("private", BucketPolicy.defaults());
        Run nf = restfs("get", "private/none.txt", dir.resolve("x").toString());
        assertEquals(1, nf.code());
        assertEquals(1, nf.err().strip().lines().count(), nf.err());
        assertFalse(nf.err().contains("Exception"), nf.err());
        String other = fx.token(java.util.Set.of("files"), java.util.Set.of());
        Run forbidden = restfsAs(other, "ls", "private");
        assertEquals(1, forbidden.code());
        assertTrue(forbidden.err().startsWith("restfs ls: forbidden: "), forbidden.err());
        Run unauth = restfsAs("x".repeat(43), "bucket", "ls");
        assertEquals(1, unauth.code());
        assertTrue(unauth.err().startsWith("restfs bucket ls: unauthorized: "), unauth.err());
        Run down = run(new Main(), "bucket", "ls", "--node", "http://127.0.0.1:1", "--token", fx.adminToken);
        assertEquals(1, down.code());
        assertTrue(down.err().startsWith("restfs bucket ls: not ready: cannot reach the node"), down.err());
    }

    @Test
    void tokenCreateMakesWorkingTokensWithTheirRights() throws Exception {
        fx.admin().buckets().create("tok-a", BucketPolicy.defaults());
        fx.admin().buckets().create("tok-b", BucketPolicy.defaults());
        Run made = run(new Main(), "token", "create", "--dir", fx.nodeDir.toString(), "--read", "tok-a",
                "--label", "reader");
        assertOk(made);
        String token = made.out().strip();
        assertEquals(43, token.length(), made.out());
        assertOk(restfsAs(token, "ls", "tok-a"));
        assertEquals(1, restfsAs(token, "ls", "tok-b").code());
        Path f = Files.writeString(dir.resolve("t.txt"), "t");
        assertEquals(1, restfsAs(token, "put", f.toString(), "tok-a/t.txt").code(), "read token cannot write");

        Run admin = run(new Main(), "token", "create", "--dir", fx.nodeDir.toString(), "--admin", "--json");
        assertOk(admin);
        assertTrue(admin.out().contains("\"token\""), admin.out());
        assertEquals(2, run(new Main(), "token", "create", "--dir", fx.nodeDir.toString()).code());
        assertEquals(2, run(new Main(), "token", "create", "--dir", fx.nodeDir.toString(), "--read", "Bad!").code());
        assertEquals(2, run(new Main(), "token", "create", "--dir", dir.resolve("nowhere").toString(), "--admin")
                .code());

        Run ls = run(new Main(), "token", "ls", "--dir", fx.nodeDir.toString());
        assertOk(ls);
        assertFalse(ls.out().contains(token), "ls never shows tokens");
        String id = ls.out().lines().filter(l -> l.contains("reader")).findFirst().orElseThrow().split(" ")[0];
        assertOk(run(new Main(), "token", "revoke", "--dir", fx.nodeDir.toString(), id));
        assertEquals(1, restfsAs(token, "ls", "tok-a").code(), "revoked token is refused");
    }

    @Test
    void clusterStatusShowsMembers() {
        Run r = run(new ClusterStatusCommand(), "--node", fx.uri().toString(), "--token", fx.adminToken);
        assertOk(r);
        assertTrue(r.out().contains("members   1"), r.out());
    }

    @Test
    void clientConfigFileSuppliesNodeAndToken() throws Exception {
        fx.admin().buckets().create("cfg", BucketPolicy.defaults());
        Path cfg = Files.writeString(dir.resolve("client.toml"), "# as cluster up writes it\nurl = \""
                + fx.uri() + "\"\ntoken = \"" + fx.adminToken + "\"\n");
        Run r = run(new Main(), "ls", "cfg", "--config", cfg.toString());
        assertOk(r);
    }
}
