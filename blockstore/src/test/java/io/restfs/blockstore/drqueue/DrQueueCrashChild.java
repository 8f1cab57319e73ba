package io.restfs.blockstore.drqueue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import io.restfs.blockstore.testing.ChildLog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;

/**
 * Child process for {@link DrQueueCrashTest}: enqueues and acknowledges entries as fast as it can
 * until killed, logging a line after each operation returns. Lines: {@code ENQ <id> <payload>},
 * {@code ACKING <id>}, {@code ACKED <id>}.
 * The log is a {@link ChildLog}: see {@link io.restfs.blockstore.testing.KilledChild} for why not stdout.
 */
public final class DrQueueCrashChild {

    private DrQueueCrashChild() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        String round = args[1];
        Path logFile = Path.of(args[2]);
        Random random = new Random(Long.parseLong(round));
        try (DrQueue q = DrQueue.open(dir, RetryPolicy.DEFAULT, Clock.systemUTC(), random);
                ChildLog log = new ChildLog(logFile)) {
            log.line("OPEN");
            for (long n = 0; ; n++) {
                String payload = "round-" + round + "-entry-" + n;
                long id = q.enqueue("test.upload", payload.getBytes(StandardCharsets.UTF_8));
                log.line("ENQ " + id + " " + payload);
                if (random.nextInt(3) == 0) {
                    Optional<DrLease> lease = q.take(Duration.ofMinutes(10));
                    if (lease.isPresent()) {
                        log.line("ACKING " + lease.get().id());
                        q.ack(lease.get());
                        log.line("ACKED " + lease.get().id());
                    }
                }
            }
        }
    }
}
