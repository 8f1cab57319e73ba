package io.restfs.sim.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SpecsTest {
    @Test
    void readsDurationsInEveryUnitAndCombined() {
        assertEquals(50, Specs.durationMillis("--x", "50ms"));
        assertEquals(30_000, Specs.durationMillis("--x", "30s"));
        assertEquals(600_000, Specs.durationMillis("--x", "10m"));
        assertEquals(5_400_000, Specs.durationMillis("--x", "1h30m"));
        assertEquals(86_400_000, Specs.durationMillis("--x", "1d"));
        assertEquals(1_500, Specs.durationMillis("--x", "1.5s"));
        assertEquals("1h30m", Specs.formatDuration(5_400_000));
    }

    @Test
    void refusesDurationsWithoutOrWithUnknownUnits() {
        assertThrows(SpecException.class, () -> Specs.durationMillis("--x", "10"));
        assertThrows(SpecException.class, () -> Specs.durationMillis("--x", "10y"));
        assertThrows(SpecException.class, () -> Specs.durationMillis("--x", "h"));
        assertThrows(SpecException.class, () -> Specs.durationMillis("--x", ""));
    }

    @Test
    void readsRates() {
        assertEquals(1.0 / 60_000, Specs.ratePerMilli("--x", "1/min"), 1e-15);
        assertEquals(2.0 / 1000, Specs.ratePerMilli("--x", "2/s"), 1e-15);
        assertEquals(1.0 / 600_000, Specs.ratePerMilli("--x", "1/10m"), 1e-15);
        assertThrows(SpecException.class, () -> Specs.ratePerMilli("--x", "5"));
        assertThrows(SpecException.class, () -> Specs.ratePerMilli("--x", "1/0s"));
    }
}
