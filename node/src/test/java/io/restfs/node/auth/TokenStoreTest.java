package io.restfs.node.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenStoreTest {
    @TempDir
    Path dir;

    @Test
    void createdTokenIsFoundWithItsGrant() throws Exception {
        TokenStore store = TokenStore.open(dir);
        String token = store.create(Grant.on(Set.of("photos"), Set.of("docs")), "alice");
        Grant g = store.lookup(token).orElseThrow();
        assertTrue(g.allows(Right.READ, "photos"));
        assertTrue(g.allows(Right.READ, "docs"), "write includes read");
        assertTrue(g.allows(Right.WRITE, "docs"));
        assertFalse(g.allows(Right.WRITE, "photos"));
        assertFalse(g.allows(Right.READ, "other"));
        assertFalse(g.allows(Right.ADMIN, null));
    }

    @Test
    void tokensAre32RandomBytesInBase64Url() throws Exception {
        TokenStore store = TokenStore.open(dir);
        String a = store.create(Grant.adminGrant(), null);
        String b = store.create(Grant.adminGrant(), null);
        assertEquals(43, a.length());
        assertTrue(a.matches("[A-Za-z0-9_-]+"));
        assertEquals(BearerToken.TOKEN_BYTES, java.util.Base64.getUrlDecoder().decode(a).length);
        assertNotEquals(a, b);
    }

    @Test
    void fileHoldsTheHashNeverTheToken() throws Exception {
        TokenStore store = TokenStore.open(dir);
        String token = store.create(Grant.adminGrant(), "root");
        String file = Files.readString(dir.resolve(TokenStore.FILE_NAME));
        assertFalse(file.contains(token));
        assertTrue(file.contains(TokenStore.sha256(token)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve(TokenStore.FILE_NAME))));
    }

    @Test
    void unknownAndMalformedTokensAreRefused() throws Exception {
        TokenStore store = TokenStore.open(dir);
        store.create(Grant.adminGrant(), null);
        assertTrue(store.lookup(BearerToken.generate(new SecureRandom())).isEmpty());
        assertTrue(store.lookup("").isEmpty());
        assertTrue(store.lookup("short").isEmpty());
        assertTrue(store.lookup(null).isEmpty());
        assertTrue(store.lookup("!".repeat(43)).isEmpty());
    }

    @Test
    void aSecondStoreOnTheSameDirectorySeesNewTokensAndKeepsOthers() throws Exception {
        TokenStore node = TokenStore.open(dir);
        String first = node.create(Grant.adminGrant(), "first");
        TokenStore cli = TokenStore.open(dir);
        String second = cli.create(Grant.on(Set.of("*"), Set.of()), "second");
        assertTrue(node.lookup(second).isPresent(), "the running node sees a token made by another process");
        assertTrue(cli.lookup(first).isPresent(), "the writer kept the earlier token");
        assertEquals(2, node.entries().size());
    }

    @Test
    void revokedTokenIsRefused() throws Exception {
        TokenStore store = TokenStore.open(dir);
        String token = store.create(Grant.adminGrant(), null);
        String id = store.entries().get(0).id();
        assertEquals(1, store.revoke(id));
        assertTrue(store.lookup(token).isEmpty());
    }

    @Test
    void existingTokenCanBeAddedToAnotherNode() throws Exception {
        Path other = Files.createDirectory(dir.resolve("other"));
        String token = TokenStore.open(dir).create(Grant.adminGrant(), null);
        TokenStore.open(other).add(token, Grant.adminGrant(), "copied");
        assertTrue(TokenStore.open(other).lookup(token).isPresent());
    }

    @Test
    void grantRefusesBadBucketNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Grant.on(Set.of("Bad Name"), Set.of()));
        assertTrue(e.getMessage().contains("Bad Name"));
    }

    @Test
    void wildcardCoversEveryBucket() {
        Grant g = Grant.on(Set.of(), Set.of(Grant.ALL_BUCKETS));
        assertTrue(g.allows(Right.WRITE, "anything"));
        assertTrue(g.allows(Right.READ, "anything"));
        assertFalse(g.allows(Right.ADMIN, null));
    }

    @Test
    void corruptStoreIsReportedWithItsPath() throws Exception {
        Files.writeString(dir.resolve(TokenStore.FILE_NAME), "{not json");
        Exception e = assertThrows(java.io.UncheckedIOException.class, () -> TokenStore.open(dir));
        assertTrue(e.getMessage().contains(TokenStore.FILE_NAME), e.getMessage());
    }

    @Test
    void subscriberAuthorizerMapsBucketTopicsToReadRights() throws Exception {
        TokenStore store = TokenStore.open(dir);
        String reader = store.create(Grant.on(Set.of("photos"), Set.of()), null);
        String admin = store.create(Grant.adminGrant(), null);
        TokenSubscriberAuthorizer auth = new TokenSubscriberAuthorizer(store);
        assertTrue(auth.maySubscribe(reader, "bucket.photos"));
        assertFalse(auth.maySubscribe(reader, "bucket.docs"));
        assertFalse(auth.maySubscribe(reader, "cluster.members"));
        assertTrue(auth.maySubscribe(admin, "cluster.members"));
        assertFalse(auth.maySubscribe("", "bucket.photos"));
    }
}
