package io.restfs.node.cli.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.restfs.api.Limits;
import io.restfs.api.RestfsException;
import io.restfs.api.client.RestfsClient;
import io.restfs.api.client.TransferListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * What every client command shares: where the node is and which token to send (see {@link ClientSettings}), and
 * one-line errors with exit codes ({@value #USAGE} for bad input, {@value #FAILED} when the node refused or failed)
 * instead of stack traces.
 */
abstract class ClientCommand implements Callable<Integer> {
    /** picocli's own exit code for bad arguments, so all usage errors look alike to scripts. */
    static final int USAGE = 2;
    static final int FAILED = 1;
    /** Transfers smaller than this finish before a progress bar would be worth drawing. */
    static final long PROGRESS_BAR_BYTES = 8L << 20;
    /** Shown for a file version without a whole-content hash: one written segment by segment (segment.put). */
    static final String NO_HASH = "(not known: written segment by segment)";

    @Option(names = "--node", paramLabel = "URL", description = "The node's API URL (else $RESTFS_NODE, else the "
            + "client config).")
    String node;

    @Option(names = "--token", paramLabel = "T", description = "API bearer token (else $RESTFS_TOKEN, else the "
            + "client config).")
    String token;

    @Option(names = "--config", paramLabel = "FILE", description = "Client config (TOML: url, token), e.g. the "
            + "client.toml that cluster up writes (else $RESTFS_CONFIG, ./.restfs/client.toml, ~/.restfs/client.toml).")
    Path config;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "Give up on a call after this many seconds (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Bad input found by the command itself; reported like picocli's own usage errors. */
    static final class Usage extends Exception {
        Usage(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public final Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return execute(spec.commandLine().getOut());
        } catch (Usage | ClientSettings.Missing e) {
            err.println(name() + ": " + e.getMessage());
            return USAGE;
        } catch (RestfsException e) {
            err.println(name() + ": " + e.code().name().toLowerCase().replace('_', ' ') + ": " + oneLine(e.detail()));
            return FAILED;
        } catch (IOException | RuntimeException e) {
            err.println(name() + ": " + oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return FAILED;
        } finally {
            spec.commandLine().getOut().flush();
            err.flush();
        }
    }

    /** Does the work, printing to {@code out}; returns the exit code. */
    abstract int execute(PrintWriter out) throws Usage, ClientSettings.Missing, IOException;

    final String name() {
        return spec.qualifiedName();
    }

    final RestfsClient client() throws ClientSettings.Missing, Usage {
        if (timeoutSeconds < 1) {
            throw new Usage("--timeout must be at least 1 second");
        }
        String home = System.getProperty("user.home");
        ClientSettings s = ClientSettings.resolve(node, token, config, System.getenv(), Path.of("").toAbsolutePath(),
                home == null ? null : Path.of(home));
        return new RestfsClient(s.node(), s.token(), Duration.ofSeconds(timeoutSeconds));
    }

    /** A bucket and an absolute path from {@code BUCKET/PATH} ({@code BUCKET} alone is its root). */
    record Target(String bucket, String path) {
        @Override
        public String toString() {
            return bucket + path;
        }
    }

    static Target target(String arg) throws Usage {
        String a = arg.startsWith("/") ? arg.substring(1) : arg;
        int slash = a.indexOf('/');
        String bucket = slash < 0 ? a : a.substring(0, slash);
        String path = slash < 0 ? "/" : a.substring(slash);
        if (!bucket.matches(Limits.BUCKET_NAME_PATTERN)) {
            throw new Usage("'" + arg + "' does not start with a bucket name (BUCKET/PATH; bucket names are 3 to 63"
                    + " lowercase letters, digits and '-')");
        }
        return new Target(bucket, path);
    }

    /**
     * A progress bar with rate and time left, for transfers worth one: drawn on the terminal when there is one, else
     * as plain-text updates on the command's error stream.
     */
    static final class Progress implements AutoCloseable {
        /** Width of the bar's line when there is no terminal to ask. */
        private static final int PLAIN_WIDTH = 100;

        private final ProgressBar bar;
        private final PrintWriter plain;

        Progress(String task, long total, boolean quiet, PrintWriter err) {
            boolean show = !quiet && total >= PROGRESS_BAR_BYTES;
            this.plain = show && System.console() == null ? err : null;
            ProgressBarBuilder b = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(total)
                    .setUnit("MiB", 1 << 20)
                    .showSpeed()
                    .setUpdateIntervalMillis(250);
            if (plain != null) {
                b.setStyle(ProgressBarStyle.ASCII).setConsumer(new DelegatingProgressBarConsumer(line -> {
                    plain.print("\r" + line);
                    plain.flush();
                }, PLAIN_WIDTH));
            }
            this.bar = show ? b.build() : null;
        }

        TransferListener listener() {
            return bar == null ? TransferListener.NONE : (done, total) -> bar.stepTo(done);
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
            if (plain != null) {
                plain.println();
                plain.flush();
            }
        }
    }

    static String json(Object value) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Sizes for people: 1536 -> "1.5 KiB". */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String time(long millis) {
        return java.time.Instant.ofEpochMilli(millis).toString().replaceFirst("\\.\\d+Z$", "Z");
    }

    static final int MAX_MESSAGE_CHARS = 300;

    static String oneLine(String m) {
        String s = m == null ? "" : m.replace('\n', ' ').strip();
        return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
}
