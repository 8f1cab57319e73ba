package io.restfs.blockstore.drqueue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;

/**
 * Child process for {@link DrQueueCrashTest}: enqueues and acknowledges entries as fast as it can
 * until killed, logging a line after each operation returns. Lines: {@code ENQ <id> <payload>},
 * {@code ACKING <id>}, {@code ACKED <id>}.
 *
 * <p>The log is a file written with one unbuffered write per line, not standard output: the tail of a
 * pipe can be lost when the JDK drains it for a killed process, which once made a sound queue look
 * lossy. A write that returned survives SIGKILL.
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
                FileOutputStream log = new FileOutputStream(logFile.toFile(), true)) {
            line(log, "OPEN");
            for (long n = 0; ; n++) {
                String payload = "round-" + round + "-entry-" + n;
                long id = q.enqueue("test.upload", payload.getBytes(StandardCharsets.UTF_8));
                line(log, "ENQ " + id + " " + payload);
                if (random.nextInt(3) == 0) {
                    Optional<DrLease> lease = q.take(Duration.ofMinutes(10));
                    if (lease.isPresent()) {
                        line(log, "ACKING " + lease.get().id());
                        q.ack(lease.get());
                        line(log, "ACKED " + lease.get().id());
                    }
                }
            }
        }
    }

    private static void line(FileOutputStream log, String line) throws IOException {
        log.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
