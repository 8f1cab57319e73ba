package io.restfs.sim.churn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restfs.sim.net.Partition;
import io.restfs.sim.spec.SpecException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChurnModelTest {
    private static final int SAMPLES = 200_000;
    private static final long HOUR = 3_600_000L;

    private static long[] sample(SessionLength s) {
        SplittableRandom r = new SplittableRandom(11);
        long[] out = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            out[i] = s.sampleMillis(r);
        }
        Arrays.sort(out);
        return out;
    }

    @Test
    void exponentialSessionsHaveTheGivenMedianAndMeanMedianOverLnTwo() {
        Churn c = Churn.parse("exp:1h");
        long[] s = sample(c.sessions());
        assertEquals(HOUR, s[SAMPLES / 2], HOUR * 0.01);
        double mean = Arrays.stream(s).average().orElseThrow();
        assertEquals(HOUR / Math.log(2), mean, HOUR * 0.01);
        assertEquals(1.0, c.crashShare());
    }

    @Test
    void exponentialCanBeGivenByItsMean() {
        Churn c = Churn.parse("exp:mean=2h");
        assertEquals(Math.round(2 * HOUR * Math.log(2)), c.sessions().medianMillis());
    }

    @Test
    void weibullSessionsFollowTheirShape() {
        Churn c = Churn.parse("weibull:shape=0.5,median=1h,leave=graceful");
        SessionLength.Weibull w = assertInstanceOf(SessionLength.Weibull.class, c.sessions());
        long[] s = sample(w);
        assertEquals(HOUR, s[SAMPLES / 2], HOUR * 0.02);
        // the quantile function lambda * (-ln(1-p))^(1/shape) at p = 0.1 and 0.9
        double lambda = w.scaleMillis();
        assertEquals(lambda * Math.pow(-Math.log(0.9), 2), s[SAMPLES / 10], lambda * Math.pow(-Math.log(0.9), 2) * 0.03);
        assertEquals(lambda * Math.pow(-Math.log(0.1), 2), s[SAMPLES * 9 / 10], lambda * Math.pow(-Math.log(0.1), 2) * 0.03);
        assertEquals(0.0, c.crashShare());
    }

    @Test
    void leaveCanMixCrashesAndGracefulDepartures() {
        Churn c = Churn.parse("exp:30m,leave=0.25,downtime=10s");
        assertEquals(0.25, c.crashShare());
        assertEquals(10_000, c.downtimeMillis());
        assertEquals(c, Churn.parse(c.spec()));
    }

    @Test
    void badChurnSpecsAreRefusedWithTheOptionNamed() {
        for (String bad : List.of("exp", "exp:", "poisson:1h", "weibull:median=1h", "exp:1h,leave=maybe",
                "exp:1h,median=2h", "weibull:shape=-1,median=1h", "exp:1h,colour=red")) {
            SpecException e = assertThrows(SpecException.class, () -> Churn.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--churn"), e.getMessage());
        }
        assertEquals(Churn.NONE, Churn.parse("none"));
    }

    @Test
    void partitionSplitsNodesIntoRoughlyEqualGroupsOnlyWhileActive() {
        Partition p = Partition.parse("at=20m,for=10m,groups=3");
        assertEquals(20 * 60_000L, p.startMillis());
        assertEquals(30 * 60_000L, p.endMillis());
        int[] counts = new int[3];
        for (int slot = 0; slot < 30_000; slot++) {
            counts[p.groupOf(slot, 99)]++;
        }
        for (int c : counts) {
            assertEquals(10_000, c, 300);
        }
        int a = 0;
        int b = 1;
        while (p.groupOf(b, 99) == p.groupOf(a, 99)) {
            b++;
        }
        assertTrue(p.separates(a, b, 25 * 60_000L, 99));
        assertTrue(!p.separates(a, b, 19 * 60_000L, 99) && !p.separates(a, b, 30 * 60_000L, 99));
    }
}
