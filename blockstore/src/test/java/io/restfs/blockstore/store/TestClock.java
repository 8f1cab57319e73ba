package io.restfs.blockstore.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand; its sleeper advances it instead of waiting. */
final class TestClock extends Clock {

    private Instant now;
    private Duration slept = Duration.ZERO;

    TestClock(Instant start) {
        this.now = start;
    }

    synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    synchronized Duration slept() {
        return slept;
    }

    Sleeper sleeper() {
        return d -> {
            synchronized (this) {
                slept = slept.plus(d);
                now = now.plus(d);
            }
        };
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("tests use UTC");
    }
}
