package io.restfs.node.cli;

import io.restfs.sim.SimOptions;
import io.restfs.sim.SimResult;
import io.restfs.sim.Sweep;
import io.restfs.sim.churn.Churn;
import io.restfs.sim.event.Lanes;
import io.restfs.sim.net.LatencyModel;
import io.restfs.sim.net.Partition;
import io.restfs.sim.report.Report;
import io.restfs.sim.report.SummaryText;
import io.restfs.sim.report.SweepReport;
import io.restfs.sim.spec.Specs;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code restfs sim}: a thin adapter from the command line to {@link Sweep} and the sim report writers. */
@Command(
        name = "sim",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Simulate a restfs DHT network: the real dht code on a virtual network in virtual time, "
                    + "deterministic from one seed.",
            "Writes summary.json, timeseries.csv, PNG charts and index.html into --out and prints the summary.",
        },
        footer = {
            "",
            "Durations: 50ms, 30s, 10m, 1h, 2d, 1h30m.  Rates: COUNT/PERIOD: 1/min, 2/s.",
            "",
            "--latency constant:20ms",
            "          uniform:10ms..100ms",
            "          lognormal:median=50ms,sigma=0.5",
            "          regions:FILE   FILE lines: 'region NAME WEIGHT', 'latency FROM TO",
            "                         MEDIAN' (one-way; the reverse is the same unless",
            "                         given), optional 'sigma S' (log-normal, 0.2)",
            "--churn   none | exp:MEDIAN | exp:mean=MEAN | weibull:shape=S,median=M",
            "          plus optional ,leave=crash|graceful|SHARE_OF_CRASHES",
            "          and ,downtime=DURATION: a departed node is replaced by a new",
            "          node (fresh id) after the downtime (default 0)",
            "--partition at=TIME,for=DURATION,groups=G  (repeatable; TIME counts",
            "          from the end of bootstrap)",
            "--workload lookups:RATE   random-key lookups, RATE per live node",
            "          records:items=N,gets=RATE[,size=BYTES]   N immutable BEP 44",
            "          items published (and republished) by random owners, RATE",
            "          gets in all from random nodes; an item retires with its",
            "          owner and a new owner publishes a new one. Repeatable.",
            "",
            "Phases: bootstrap (nodes join in doubling waves, each running the",
            "engine's own bootstrap), safety (--duration: faults on, invariants",
            "checked), liveness (--liveness: faults and churn off; must converge).",
            "Exit code 0 when the run converged with no invariant broken, else 1.",
            "",
            "Examples:",
            "  ./restfs sim --nodes 10000 --duration 1h --seed 1",
            "  ./restfs sim --nodes 1000,10000,100000 --duration 10m --out sweep",
            "  ./restfs sim --nodes 2000 --duration 30m --loss 0.01",
            "      --churn weibull:shape=0.5,median=1h",
            "      --partition at=10m,for=5m,groups=2",
            "      --workload lookups:1/min --workload records:items=500,gets=5/s",
        })
final class SimCommand implements Callable<Integer> {
    @Option(names = "--nodes", split = ",", paramLabel = "N", defaultValue = "10000",
            description = "Network size; a list runs a sweep and charts hops and time against size (default ${DEFAULT-VALUE}).")
    List<Integer> nodes;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "1h",
            description = "Virtual time of the measured (safety) phase (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--churn", paramLabel = "MODEL", defaultValue = "none",
            description = "Session lengths and departures (default ${DEFAULT-VALUE}); see below.")
    String churn;

    @Option(names = "--latency", paramLabel = "MODEL", defaultValue = "lognormal:median=50ms,sigma=0.5",
            description = "One-way delay model (default ${DEFAULT-VALUE}); see below.")
    String latency;

    @Option(names = "--loss", paramLabel = "P", defaultValue = "0",
            description = "Probability that a packet is lost (default ${DEFAULT-VALUE}).")
    double loss;

    @Option(names = "--partition", paramLabel = "at=T,for=D,groups=G",
            description = "Split the network for a while, then heal (repeatable).")
    List<String> partitions = new ArrayList<>();

    @Option(names = "--workload", paramLabel = "SPEC",
            description = "Workload (repeatable; default " + SimOptions.DEFAULT_WORKLOAD + ").")
    List<String> workloads = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "The one seed the run derives every random choice from (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--k", paramLabel = "K", defaultValue = "20", description = "Bucket and result size (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "3", description = "Lookup parallelism (default ${DEFAULT-VALUE}).")
    int alpha;

    @Option(names = "--liveness", paramLabel = "DURATION", defaultValue = "2m",
            description = "Virtual time of the liveness phase, faults off (default ${DEFAULT-VALUE}).")
    String liveness;

    @Option(names = "--interval", paramLabel = "DURATION",
            description = "Width of one time-series row (default: 1m, wider for runs over 4h).")
    String interval;

    @Option(names = "--lanes", paramLabel = "N",
            description = "Groups of nodes whose events run in parallel, one millisecond at a time; part of what "
                    + "determines the run, like the seed (default " + Lanes.DEFAULT_LANES + ").")
    Integer lanes;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads that run the lanes: only a matter of speed, the result is the same for any "
                    + "number (default: one per core, at most one per lane). Never more than free cores: "
                    + "waiting threads spin.")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "sim-out",
            description = "Folder for the report (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", description = "Print the summary as JSON (progress goes to stderr).")
    boolean json;

    @Option(names = "--same-jvm", description = {
        "Run in this JVM as it is. Otherwise, when this is the restfs process itself running the default G1 collector "
                + "and no collector was chosen (-XX:+Use...GC), the run goes to a child JVM with the parallel collector: "
                + "G1's bookkeeping of the simulated nodes' ever-changing tables made a 10,000-node run cost 1.7 times the "
                + "CPU."})
    boolean sameJvm;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** slf4j-simple's per-logger level property for the dht packages. */
    private static final String DHT_LOG_LEVEL = "org.slf4j.simpleLogger.log.io.restfs.dht";
    /** Set in the child JVM of a relaunch, which then never relaunches itself. */
    static final String CHILD_PROPERTY = "restfs.sim.child";
    /** The line the parent prints when it hands the run to a child JVM. */
    static final String RELAUNCH_NOTE = "restfs sim: running in a child JVM with the parallel garbage collector"
            + " (--same-jvm stays in this one)";

    @Override
    public Integer call() {
        Optional<List<String>> child = relaunchCommand();
        if (child.isPresent()) {
            return runChild(child.get());
        }
        // Thousands of simulated nodes each log their start and bootstrap at INFO; keep warnings only,
        // unless the user asked for a level (-Dorg.slf4j.simpleLogger.log.io.restfs.dht=info).
        if (System.getProperty(DHT_LOG_LEVEL) == null) {
            System.setProperty(DHT_LOG_LEVEL, "warn");
        }
        SimOptions options;
        try {
            long durationMillis = Specs.durationMillis("--duration", duration);
            List<Partition> parts = new ArrayList<>();
            for (String p : partitions) {
                parts.add(Partition.parse(p));
            }
            options = new SimOptions(nodes.get(0), durationMillis, Churn.parse(churn), LatencyModel.parse(latency),
                    loss, parts, workloads.isEmpty() ? List.of(SimOptions.DEFAULT_WORKLOAD) : workloads, seed, k,
                    alpha, Specs.durationMillis("--liveness", liveness),
                    interval == null ? SimOptions.defaultInterval(durationMillis)
                            : Specs.durationMillis("--interval", interval));
            int laneCount = lanes == null ? Lanes.DEFAULT_LANES : lanes;
            options = options.withLanes(laneCount, threads == null ? SimOptions.defaultThreads(laneCount) : threads);
            for (int n : nodes) {
                options.withNodes(n); // validates every size before the first run starts
            }
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("restfs sim: " + e.getMessage());
            return 2;
        }
        var err = spec.commandLine().getErr();
        var outStream = spec.commandLine().getOut();
        java.util.function.Consumer<String> log = line -> {
            err.println(line);
            err.flush();
        };
        List<SimResult> results;
        if (nodes.size() == 1) {
            results = List.of(Sweep.runOne(options, out, log));
        } else {
            results = Sweep.runSizes(options, nodes, out, log);
        }
        for (SimResult r : results) {
            outStream.print(json ? Report.summaryJson(r) : SummaryText.format(r));
        }
        if (!json) {
            if (results.size() > 1) {
                outStream.print(SweepReport.csv(results));
            }
            outStream.println("report: " + out.resolve(Report.HTML).toAbsolutePath());
        }
        outStream.flush();
        boolean clean = results.stream().allMatch(r -> r.converged() && r.violations().isEmpty());
        return clean ? 0 : 1;
    }

    /**
     * The command line of a child JVM to run this simulation in, when it should have one: this JVM is the restfs
     * command-line process itself (not, say, a test calling {@link Main#run}), it runs G1 because nobody chose a
     * collector, and the user did not ask to stay ({@code --same-jvm}). The simulator's nodes keep rewriting
     * long-lived tables to point at new objects, and G1's write barriers and remembered sets cost that workload
     * dearly: 10,000 nodes x 1m, seed 1, measured 15.0 CPU-s per million messages with G1 and 9.1 with the parallel
     * collector, for byte-identical results. The child gets the same JVM options (heap size included) and arguments.
     */
    private Optional<List<String>> relaunchCommand() {
        if (sameJvm || Boolean.getBoolean(CHILD_PROPERTY)) {
            return Optional.empty();
        }
        if (!launchedAsRestfs()) {
            return Optional.empty();
        }
        List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
        boolean collectorChosen = jvmOptions.stream().anyMatch(o -> o.matches("-XX:\\+Use\\w*GC"));
        boolean g1 = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).anyMatch(n -> n.startsWith("G1"));
        Optional<String> java = ProcessHandle.current().info().command();
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        int sim = args.indexOf(spec.name());
        if (collectorChosen || !g1 || java.isEmpty() || sim < 0) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(java.get());
        command.addAll(jvmOptions);
        command.add("-XX:+UseParallelGC");
        command.add("-D" + CHILD_PROPERTY + "=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(args.subList(sim, args.size()));
        return Optional.of(command);
    }

    /** Whether this JVM was started to run the restfs command line: its main class, or the jar holding it. */
    private static boolean launchedAsRestfs() {
        String program = System.getProperty("sun.java.command", "").split(" ", 2)[0];
        if (program.equals(Main.class.getName())) {
            return true;
        }
        try {
            Path ownJar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return program.endsWith(".jar") && Files.isRegularFile(ownJar)
                    && Files.isSameFile(Path.of(program), ownJar);
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return false; // no code source to compare with: not the restfs jar as far as we can tell
        }
    }

    /** Runs {@code command} with this process's standard streams and returns its exit code; stops it if we stop. */
    private int runChild(List<String> command) {
        var err = spec.commandLine().getErr();
        err.println(RELAUNCH_NOTE);
        err.flush();
        Process p;
        try {
            p = new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            err.println("restfs sim: could not start a child JVM (" + e.getMessage() + "); running here");
            sameJvm = true;
            return call();
        }
        Thread stopper = new Thread(p::destroy, "restfs-sim-child-stopper");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
            return 130;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: it stops the child
            }
        }
    }
}
