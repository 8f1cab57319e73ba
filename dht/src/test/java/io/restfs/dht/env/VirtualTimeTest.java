package io.restfs.dht.env;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VirtualTimeTest {
    @Test
    void advancingPastACancelledTaskRunsNothingThatIsDueLater() {
        VirtualTime time = new VirtualTime();
        List<Long> ran = new ArrayList<>();
        // An RPC timeout cancelled by its answer, then a maintenance pass a minute away.
        Cancellable timeout = time.schedule(100, () -> ran.add(time.nowMillis()));
        time.schedule(60_000, () -> ran.add(time.nowMillis()));
        timeout.cancel();

        time.advance(200);

        assertEquals(List.of(), ran, "nothing was due within 200 ms");
        assertEquals(200, time.nowMillis(), "the clock moved by what was asked, no further");
        time.advance(60_000);
        assertEquals(List.of(60_000L), ran, "the later task runs at its own time");
    }
}
