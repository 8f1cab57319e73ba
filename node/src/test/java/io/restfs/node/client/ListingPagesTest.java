package io.restfs.node.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.restfs.api.BucketPolicy;
import io.restfs.api.DirEntry;
import io.restfs.api.ErrorCode;
import io.restfs.api.Limits;
import io.restfs.api.ObjectApi;
import io.restfs.api.ObjectVersion;
import io.restfs.api.RestfsException;
import io.restfs.node.rpc.ApiFixture;
import io.restfs.node.rpc.RpcTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * object.list and object.versions in pages, over the wire: 2,500 entries and 2,500 versions come back complete and
 * in order through the Java client and the CLI, a call without paging params gets the first page, and a bad cursor
 * or limit gets INVALID_PARAMS that says what is wrong.
 */
class ListingPagesTest {
    static final int ENTRIES = 2_500;

    @TempDir
    static Path dir;
    static ApiFixture fx;
    static ObjectApi objects;
    static List<String> names = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        fx = new ApiFixture(dir);
        fx.store.create("pages", BucketPolicy.defaults());
        fx.store.mkdir("pages", "/big");
        // Written in an order unlike the names' sort order, so the listing's order is the server's doing.
        for (int i = ENTRIES - 1; i >= 0; i--) {
            String name = String.format(Locale.ROOT, "f%05d", (i * 7919) % ENTRIES);
            fx.store.put("pages", "/big/" + name, new byte[]{1}, null);
            names.add(name);
        }
        names.sort(null);
        for (int v = 1; v <= ENTRIES; v++) {
            fx.store.put("pages", "/history", ("v" + v).getBytes(StandardCharsets.UTF_8), null);
        }
        objects = fx.admin().objects();
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @Test
    void aLargeDirectoryListsCompletelyAndInOrderThroughPages() {
        assertEquals(names, objects.listAll("pages", "/big").stream().map(DirEntry::name).toList());
        List<String> paged = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String after = null;
        List<DirEntry> page;
        do {
            page = objects.list("pages", "/big", after, 1_000);
            sizes.add(page.size());
            page.forEach(e -> paged.add(e.name()));
            after = page.isEmpty() ? after : page.get(page.size() - 1).name();
        } while (page.size() == 1_000);
        assertEquals(List.of(1_000, 1_000, 500), sizes);
        assertEquals(names, paged);
        // A cursor that names no entry starts where it would sort.
        assertEquals(List.of("f00100", "f00101"), objects.list("pages", "/big", "f00099x", 2).stream()
                .map(DirEntry::name).toList());
        assertEquals(List.of(), objects.list("pages", "/big", "zzz", null));
    }

    @Test
    void versionsComeNewestFirstThroughPages() {
        List<Long> all = objects.versionsAll("pages", "/history").stream().map(ObjectVersion::version).toList();
        assertEquals(ENTRIES, all.size());
        for (int i = 0; i < ENTRIES; i++) {
            assertEquals(ENTRIES - i, all.get(i));
        }
        assertEquals(List.of(1_500L, 1_499L), objects.versions("pages", "/history", 1_501L, 2).stream()
                .map(ObjectVersion::version).toList());
        assertEquals(List.of(1L), objects.versions("pages", "/history", 2L, 10).stream()
                .map(ObjectVersion::version).toList());
    }

    @Test
    void aCallWithoutPagingParamsGetsTheFirstPage() throws Exception {
        RpcTestClient rpc = new RpcTestClient(fx.uri(), fx.adminToken);
        JsonNode r = rpc.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"object.list\",\"params\":[\"pages\","
                + "\"/big\"]}").json();
        assertEquals(Limits.DEFAULT_PAGE, r.path("result").size(), r.toString());
        assertEquals(names.get(0), r.path("result").get(0).path("name").asText());
        JsonNode v = rpc.post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"object.versions\",\"params\":"
                + "{\"bucket\":\"pages\",\"path\":\"/history\"}}").json();
        assertEquals(Limits.DEFAULT_PAGE, v.path("result").size(), v.toString());
        assertEquals(ENTRIES, v.path("result").get(0).path("version").asInt());
    }

    @Test
    void aBadCursorOrLimitIsInvalidParamsSayingWhy() throws Exception {
        assertRefused("largest page, 10000", () -> objects.list("pages", "/big", null, Limits.MAX_PAGE + 1));
        assertRefused("limit must be 1 or more", () -> objects.list("pages", "/big", null, 0));
        assertRefused("name of the previous page's last entry", () -> objects.list("pages", "/big", "a/b", 10));
        assertRefused("name of the previous page's last entry", () -> objects.list("pages", "/big", "", 10));
        assertRefused("largest page, 10000", () -> objects.versions("pages", "/history", null, 1 << 20));
        assertRefused("version of the previous page's last entry", () -> objects.versions("pages", "/history",
                0L, 10));
        RpcTestClient rpc = new RpcTestClient(fx.uri(), fx.adminToken);
        JsonNode r = rpc.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"object.list\",\"params\":{\"bucket\":"
                + "\"pages\",\"path\":\"/big\",\"after\":17}}").json();
        assertEquals(ErrorCode.INVALID_PARAMS.code(), r.path("error").path("code").asInt(), r.toString());
        assertTrue(r.path("error").path("data").asText().contains("param 'after' must be a string"), r.toString());
    }

    @Test
    void cliListsAndVersionsEverything() {
        ClientCommandsTest.Run ls = ClientCommandsTest.restfsOn(fx, fx.adminToken, "ls", "pages/big");
        ClientCommandsTest.assertOk(ls);
        List<String> printed = ls.out().lines().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
        assertEquals(names, printed);
        ClientCommandsTest.Run versions = ClientCommandsTest.restfsOn(fx, fx.adminToken, "versions",
                "pages/history");
        ClientCommandsTest.assertOk(versions);
        List<String> lines = versions.out().lines().toList();
        assertEquals(ENTRIES + 1, lines.size());
        assertTrue(lines.get(1).startsWith(ENTRIES + " ") && lines.get(ENTRIES).startsWith("1 "),
                lines.get(1) + " / " + lines.get(ENTRIES));
    }

    private static void assertRefused(String why, Runnable call) {
        RestfsException e = assertThrows(RestfsException.class, call::run);
        assertEquals(ErrorCode.INVALID_PARAMS, e.code(), e.toString());
        assertTrue(e.detail().contains(why), e.detail());
    }
}
