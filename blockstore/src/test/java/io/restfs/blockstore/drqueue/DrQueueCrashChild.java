package io.restfs.blockstore.drqueue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;

/**
 * Child process for {@link DrQueueCrashTest}: enqueues and acknowledges entries as fast as it can
 * until killed, printing a line after each operation returns. Lines: {@code ENQ <id> <payload>},
 * {@code ACKING <id>}, {@code ACKED <id>}.
 */
public final class DrQueueCrashChild {

    private DrQueueCrashChild() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        String round = args[1];
        Random random = new Random(Long.parseLong(round));
        try (DrQueue q = DrQueue.open(dir, RetryPolicy.DEFAULT, Clock.systemUTC(), random)) {
            System.out.println("OPEN");
            System.out.flush();
            for (long n = 0; ; n++) {
                String payload = "round-" + round + "-entry-" + n;
                long id = q.enqueue("test.upload", payload.getBytes(StandardCharsets.UTF_8));
                System.out.println("ENQ " + id + " " + payload);
                System.out.flush();
                if (random.nextInt(3) == 0) {
                    Optional<DrLease> lease = q.take(Duration.ofMinutes(10));
                    if (lease.isPresent()) {
                        System.out.println("ACKING " + lease.get().id());
                        System.out.flush();
                        q.ack(lease.get());
                        System.out.println("ACKED " + lease.get().id());
                        System.out.flush();
                    }
                }
            }
        }
    }
}
