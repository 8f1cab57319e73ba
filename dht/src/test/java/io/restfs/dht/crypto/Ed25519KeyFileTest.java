package io.restfs.dht.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ed25519KeyFileTest {
    @TempDir
    Path dir;

    @Test
    void savesOwnerOnlyHexSeedAndLoadsTheSameKey() throws Exception {
        Ed25519KeyPair key = Ed25519KeyPair.generate(new SecureRandom());
        Path file = dir.resolve("node.key");
        Ed25519KeyFile.save(file, key);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(HexFormat.of().formatHex(key.seed()) + "\n", Files.readString(file));
        assertArrayEquals(key.publicKey(), Ed25519KeyFile.load(file).publicKey());
    }

    @Test
    void loadsARawSeedFile() throws Exception {
        byte[] seed = new byte[32];
        seed[0] = 7;
        Path file = dir.resolve("raw.key");
        Files.write(file, seed);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertArrayEquals(Ed25519KeyPair.fromSeed(seed).publicKey(), Ed25519KeyFile.load(file).publicKey());
    }

    @Test
    void refusesAKeyFileOthersCanRead() throws Exception {
        Path file = dir.resolve("open.key");
        Ed25519KeyFile.save(file, Ed25519KeyPair.generate(new SecureRandom()));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        KeyFileException e = assertThrows(KeyFileException.class, () -> Ed25519KeyFile.load(file));
        assertEquals(file, e.path());
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void refusesAFileThatIsNotASeed() throws Exception {
        Path file = dir.resolve("junk.key");
        Files.writeString(file, "not a key at all\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThrows(KeyFileException.class, () -> Ed25519KeyFile.load(file));
    }

    @Test
    void refusesToOverwriteAnExistingKey() throws Exception {
        Path file = dir.resolve("node.key");
        Ed25519KeyFile.save(file, Ed25519KeyPair.generate(new SecureRandom()));
        assertThrows(FileAlreadyExistsException.class,
                () -> Ed25519KeyFile.save(file, Ed25519KeyPair.generate(new SecureRandom())));
    }

    @Test
    void loadOrCreateKeepsTheFirstKey() throws Exception {
        Path file = dir.resolve("sub/node.key");
        Ed25519KeyPair first = Ed25519KeyFile.loadOrCreate(file, new SecureRandom());
        Ed25519KeyPair again = Ed25519KeyFile.loadOrCreate(file, new SecureRandom());
        assertArrayEquals(first.publicKey(), again.publicKey());
    }
}
