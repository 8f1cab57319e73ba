package io.restfs.sim.net;

import io.restfs.sim.spec.SpecException;
import io.restfs.sim.spec.Specs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One-way delay of a message between two simulated nodes. Nodes are named by their index in the run and a
 * region (0 unless the model has regions); delays are whole milliseconds, the resolution of the DHT's clock.
 */
public sealed interface LatencyModel {
    /** Delay in milliseconds for one message from a node in {@code fromRegion} to one in {@code toRegion}. */
    long sampleMillis(int fromRegion, int toRegion, RandomGenerator random);

    /** The option text that recreates this model, for the replay command. */
    String spec();

    /** Number of regions nodes are spread over (1 for the models without regions). */
    default int regions() {
        return 1;
    }

    /** Share of nodes placed in region {@code r}. */
    default double regionWeight(int r) {
        return 1.0;
    }

    /** The default of the issue: log-normal with a median of 50 ms and sigma 0.5. */
    static LatencyModel defaultModel() {
        return new LogNormal(50, 0.5);
    }

    /** Every message takes exactly {@code millis}. */
    record Constant(long millis) implements LatencyModel {
        public Constant {
            if (millis < 0) {
                throw new IllegalArgumentException("negative latency " + millis);
            }
        }

        @Override
        public long sampleMillis(int fromRegion, int toRegion, RandomGenerator random) {
            return millis;
        }

        @Override
        public String spec() {
            return "constant:" + Specs.formatDuration(millis);
        }
    }

    /** Uniform between {@code minMillis} and {@code maxMillis}, both included. */
    record Uniform(long minMillis, long maxMillis) implements LatencyModel {
        public Uniform {
            if (minMillis < 0 || maxMillis < minMillis) {
                throw new IllegalArgumentException("bad uniform range " + minMillis + ".." + maxMillis);
            }
        }

        @Override
        public long sampleMillis(int fromRegion, int toRegion, RandomGenerator random) {
            return minMillis + random.nextLong(maxMillis - minMillis + 1);
        }

        @Override
        public String spec() {
            return "uniform:" + Specs.formatDuration(minMillis) + ".." + Specs.formatDuration(maxMillis);
        }
    }

    /**
     * Log-normal: {@code median * exp(sigma * Z)} with Z standard normal. Internet round trips have this
     * shape (a floor-ish median and a long right tail); sigma 0.5 puts p99 near 3.2 times the median.
     */
    record LogNormal(double medianMillis, double sigma) implements LatencyModel {
        public LogNormal {
            if (!(medianMillis > 0) || sigma < 0) {
                throw new IllegalArgumentException("log-normal needs median > 0 and sigma >= 0");
            }
        }

        @Override
        public long sampleMillis(int fromRegion, int toRegion, RandomGenerator random) {
            return Math.round(medianMillis * Math.exp(sigma * random.nextGaussian()));
        }

        @Override
        public String spec() {
            return "lognormal:median=" + Specs.formatDuration(Math.round(medianMillis)) + ",sigma=" + sigma;
        }
    }

    /**
     * A matrix of regions: each node lives in a region (drawn by weight from its seed), and a message's delay
     * is log-normal around the median of its (from, to) region pair.
     */
    record Regions(String file, List<String> names, double[] weights, long[][] medianMillis, double sigma)
            implements LatencyModel {
        @Override
        public long sampleMillis(int fromRegion, int toRegion, RandomGenerator random) {
            double median = medianMillis[fromRegion][toRegion];
            return Math.round(median * Math.exp(sigma * random.nextGaussian()));
        }

        @Override
        public int regions() {
            return names.size();
        }

        @Override
        public double regionWeight(int r) {
            return weights[r];
        }

        @Override
        public String spec() {
            return "regions:" + file;
        }
    }

    /**
     * Parses {@code constant:20ms}, {@code uniform:10ms..100ms}, {@code lognormal:median=50ms,sigma=0.5} or
     * {@code regions:FILE} (see {@link #readRegions}).
     */
    static LatencyModel parse(String text) {
        String option = "--latency";
        int colon = text.indexOf(':');
        String kind = (colon < 0 ? text : text.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? "" : text.substring(colon + 1).trim();
        switch (kind) {
            case "constant": {
                if (rest.isEmpty()) {
                    throw new SpecException(option, text, "constant needs a delay, e.g. constant:20ms");
                }
                return new Constant(Specs.durationMillis(option, rest));
            }
            case "uniform": {
                int dots = rest.indexOf("..");
                if (dots < 0) {
                    throw new SpecException(option, text, "uniform needs MIN..MAX, e.g. uniform:10ms..100ms");
                }
                long lo = Specs.durationMillis(option, rest.substring(0, dots));
                long hi = Specs.durationMillis(option, rest.substring(dots + 2));
                if (hi < lo) {
                    throw new SpecException(option, text, "MAX is below MIN");
                }
                return new Uniform(lo, hi);
            }
            case "lognormal": {
                Map<String, String> p = Specs.params(option, text, rest);
                Specs.onlyKeys(option, text, p, "median", "sigma");
                long median = p.containsKey("median") ? Specs.durationMillis(option, p.get("median")) : 50;
                double sigma = p.containsKey("sigma") ? Specs.number(option, text, p.get("sigma")) : 0.5;
                if (median <= 0 || sigma < 0) {
                    throw new SpecException(option, text, "median must be > 0 and sigma >= 0");
                }
                return new LogNormal(median, sigma);
            }
            case "regions": {
                if (rest.isEmpty()) {
                    throw new SpecException(option, text, "regions needs a file, e.g. regions:world.txt");
                }
                return readRegions(Path.of(rest));
            }
            default:
                throw new SpecException(option, text,
                        "unknown latency model '" + kind + "' (constant, uniform, lognormal or regions)");
        }
    }

    /**
     * Reads a regions file. Lines (blank lines and {@code #} comments are skipped):
     * <pre>
     * region NAME WEIGHT        a region and the share of nodes placed in it
     * latency FROM TO MEDIAN    median one-way delay, e.g. "latency eu us 45ms"; the reverse direction
     *                           gets the same value unless it has its own line; every pair needs a value
     * sigma S                   log-normal spread around each median (default 0.2)
     * </pre>
     */
    static Regions readRegions(Path file) {
        String option = "--latency";
        String text = "regions:" + file;
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new SpecException(option, text, "cannot read the regions file: " + e.getMessage());
        }
        List<String> names = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<String[]> pairs = new ArrayList<>();
        double sigma = 0.2;
        int lineNo = 0;
        for (String raw : lines) {
            lineNo++;
            String line = raw.strip();
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash).strip();
            }
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            String where = "line " + lineNo + ": ";
            switch (f[0]) {
                case "region" -> {
                    if (f.length != 3) {
                        throw new SpecException(option, text, where + "expected 'region NAME WEIGHT'");
                    }
                    if (names.contains(f[1])) {
                        throw new SpecException(option, text, where + "region '" + f[1] + "' defined twice");
                    }
                    double w = Specs.number(option, text, f[2]);
                    if (!(w > 0)) {
                        throw new SpecException(option, text, where + "weight must be positive");
                    }
                    names.add(f[1]);
                    weights.add(w);
                }
                case "latency" -> {
                    if (f.length != 4) {
                        throw new SpecException(option, text, where + "expected 'latency FROM TO MEDIAN'");
                    }
                    pairs.add(new String[] {f[1], f[2], f[3], where});
                }
                case "sigma" -> {
                    if (f.length != 2) {
                        throw new SpecException(option, text, where + "expected 'sigma S'");
                    }
                    sigma = Specs.number(option, text, f[1]);
                    if (sigma < 0) {
                        throw new SpecException(option, text, where + "sigma must be >= 0");
                    }
                }
                default -> throw new SpecException(option, text,
                        where + "unknown directive '" + f[0] + "' (region, latency or sigma)");
            }
        }
        int n = names.size();
        if (n == 0) {
            throw new SpecException(option, text, "no regions defined");
        }
        long[][] median = new long[n][n];
        boolean[][] explicit = new boolean[n][n];
        for (long[] row : median) {
            java.util.Arrays.fill(row, -1);
        }
        for (String[] p : pairs) {
            int a = names.indexOf(p[0]);
            int b = names.indexOf(p[1]);
            if (a < 0 || b < 0) {
                throw new SpecException(option, text, p[3] + "unknown region '" + (a < 0 ? p[0] : p[1]) + "'");
            }
            long ms = Specs.durationMillis(option, p[2]);
            if (ms <= 0) {
                throw new SpecException(option, text, p[3] + "median must be positive");
            }
            median[a][b] = ms;
            explicit[a][b] = true;
            if (!explicit[b][a]) {
                median[b][a] = ms;
            }
        }
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = weights.get(i) / total;
            for (int j = 0; j < n; j++) {
                if (median[i][j] < 0) {
                    throw new SpecException(option, text,
                            "no latency given between '" + names.get(i) + "' and '" + names.get(j) + "'");
                }
            }
        }
        return new Regions(file.toString(), List.copyOf(names), w, median, sigma);
    }
}
