package io.restfs.blockstore.store;

import io.restfs.blockstore.testing.ChildLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Child process for {@link ShardStoreCrashTest}: writes (and now and then deletes) shards as fast
 * as it can until it is killed, logging a line after each operation returns, so the parent knows
 * what was acknowledged. Lines: {@code PUT <key>}, {@code DELETING <key>}, {@code DELETED <key>}.
 */
public final class ShardStoreCrashChild {

    private ShardStoreCrashChild() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        List<ShardKey> written = new ArrayList<>();
        try (ShardStore store = ShardStore.open(dir, 1L << 30, Clock.systemUTC());
                ChildLog log = new ChildLog(Path.of(args[2]))) {
            log.line("OPEN");
            for (long n = 0; ; n++) {
                byte[] data = new byte[1 + random.nextInt(200_000)];
                random.nextBytes(data);
                Sha256 sha = Sha256.of(data);
                // Half content-addressed, half named by position, as the node may do either.
                ShardKey key = random.nextBoolean() ? ShardKey.of(sha) : randomKey(random);
                ShardSpec spec = new ShardSpec(key, sha, "segment-" + n, (int) (n % 9), n);
                if (random.nextBoolean()) {
                    store.put(spec, data);
                } else {
                    store.put(spec, new java.io.ByteArrayInputStream(data), data.length);
                }
                written.add(key);
                log.line("PUT " + key.hex());
                if (n % 5 == 4) {
                    ShardKey victim = written.remove(random.nextInt(written.size()));
                    log.line("DELETING " + victim.hex());
                    store.delete(victim);
                    log.line("DELETED " + victim.hex());
                }
            }
        }
    }

    private static ShardKey randomKey(Random random) {
        byte[] k = new byte[ShardKey.LENGTH];
        random.nextBytes(k);
        return new ShardKey(k);
    }
}
