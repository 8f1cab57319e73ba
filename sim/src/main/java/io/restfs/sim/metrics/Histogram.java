package io.restfs.sim.metrics;

import java.util.Arrays;

/**
 * Exact counts of non-negative whole values below a bound, plus an overflow count: percentiles come out
 * exact (nearest-rank) at the values' own resolution, with no per-sample allocation.
 */
public final class Histogram {
    private long[] counts;
    private final int bound;
    private long overflow;
    private long overflowMax;
    private long n;
    private double sum;

    /** Values from 0 to {@code bound - 1} are counted exactly; the array grows as needed up to the bound. */
    public Histogram(int bound) {
        this.bound = bound;
        this.counts = new long[Math.min(bound, 256)];
    }

    public void add(long value) {
        long v = Math.max(0, value);
        n++;
        sum += v;
        if (v >= bound) {
            overflow++;
            overflowMax = Math.max(overflowMax, v);
            return;
        }
        int i = (int) v;
        if (i >= counts.length) {
            counts = Arrays.copyOf(counts, Math.min(bound, Math.max(counts.length * 2, i + 1)));
        }
        counts[i]++;
    }

    public long count() {
        return n;
    }

    public double mean() {
        return n == 0 ? 0 : sum / n;
    }

    /**
     * The nearest-rank percentile {@code p} (0 to 100): the smallest value with at least p% of samples at or
     * below it; values beyond the bound report the largest one seen. 0 when empty.
     */
    public long percentile(double p) {
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * n));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return i;
            }
        }
        return overflowMax;
    }

    public long max() {
        if (overflow > 0) {
            return overflowMax;
        }
        for (int i = counts.length - 1; i >= 0; i--) {
            if (counts[i] > 0) {
                return i;
            }
        }
        return 0;
    }

    /** Count of samples equal to {@code value} (below the bound). */
    public long countOf(int value) {
        return value < counts.length ? counts[value] : 0;
    }

    public void clear() {
        Arrays.fill(counts, 0);
        overflow = 0;
        overflowMax = 0;
        n = 0;
        sum = 0;
    }
}
