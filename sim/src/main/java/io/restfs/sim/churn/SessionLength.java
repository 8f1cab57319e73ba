package io.restfs.sim.churn;

import io.restfs.sim.spec.Specs;
import java.util.random.RandomGenerator;

/** How long a node stays online once it joins. */
public sealed interface SessionLength {
    /** One session length in milliseconds (at least 1). */
    long sampleMillis(RandomGenerator random);

    long medianMillis();

    String spec();

    /** Exponential (memoryless) sessions; the median is ln 2 times the mean. */
    record Exponential(long medianMillis) implements SessionLength {
        public Exponential {
            if (medianMillis <= 0) {
                throw new IllegalArgumentException("median must be positive");
            }
        }

        public double meanMillis() {
            return medianMillis / Math.log(2);
        }

        @Override
        public long sampleMillis(RandomGenerator random) {
            // inverse transform: -mean * ln(U), U in (0, 1]
            double u = 1.0 - random.nextDouble();
            return Math.max(1, Math.round(-meanMillis() * Math.log(u)));
        }

        @Override
        public String spec() {
            return "exp:median=" + Specs.formatDuration(medianMillis);
        }
    }

    /**
     * Weibull sessions. Measured peer-to-peer sessions fit a shape below 1 (many short sessions and a long
     * tail; Stutzbach and Rejaie, IMC 2006, report shapes of 0.3 to 0.6).
     */
    record Weibull(double shape, long medianMillis) implements SessionLength {
        public Weibull {
            if (!(shape > 0) || medianMillis <= 0) {
                throw new IllegalArgumentException("Weibull needs shape > 0 and median > 0");
            }
        }

        /** Scale parameter lambda, from median = lambda * (ln 2)^(1/shape). */
        public double scaleMillis() {
            return medianMillis / Math.pow(Math.log(2), 1.0 / shape);
        }

        @Override
        public long sampleMillis(RandomGenerator random) {
            double u = 1.0 - random.nextDouble();
            return Math.max(1, Math.round(scaleMillis() * Math.pow(-Math.log(u), 1.0 / shape)));
        }

        @Override
        public String spec() {
            return "weibull:shape=" + shape + ",median=" + Specs.formatDuration(medianMillis);
        }
    }
}
