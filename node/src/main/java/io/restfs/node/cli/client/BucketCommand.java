package io.restfs.node.cli.client;

import io.restfs.api.BucketInfo;
import io.restfs.api.BucketPolicy;
import io.restfs.api.Limits;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** {@code restfs bucket create|ls|info|rm}. */
@Command(name = "bucket", mixinStandardHelpOptions = true, description = "Create, list, inspect and delete buckets.",
        subcommands = {BucketCommand.Create.class, BucketCommand.Ls.class, BucketCommand.Info.class,
            BucketCommand.Rm.class})
public final class BucketCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Bounds of a bucket policy, as BucketPolicy documents them. */
    static final int MAX_K = 32;
    static final int MAX_M = 16;
    static final int MIN_SEGMENT = 1 << 10;
    static final int MAX_SEGMENT = 64 << 20;

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a bucket with its policy "
            + "(needs an admin token).")
    static final class Create extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "Lowercase letters, digits and '-', 3 to 63.")
        String name;

        @Option(names = "--k", defaultValue = "4", description = "Data shards per segment (default ${DEFAULT-VALUE}).")
        int k;

        @Option(names = "--m", defaultValue = "2", description = "Parity shards per segment: how many may be lost "
                + "(default ${DEFAULT-VALUE}).")
        int m;

        @Option(names = "--segment-size", defaultValue = "4m", paramLabel = "SIZE",
                description = "Bytes per segment, with k/m suffix (default ${DEFAULT-VALUE}).")
        String segmentSize;

        @Option(names = "--no-compress", description = "Do not compress.")
        boolean noCompress;

        @Option(names = "--no-encrypt", description = "Do not encrypt.")
        boolean noEncrypt;

        @Option(names = "--allow-double-up", description = "Let one node hold several shards of a segment when "
                + "there are fewer than k+m nodes.")
        boolean allowDoubleUp;

        @Option(names = "--json", description = "Print the bucket as JSON.")
        boolean json;

        @Override
        int execute(PrintWriter out) throws Usage, ClientSettings.Missing {
            if (!name.matches(Limits.BUCKET_NAME_PATTERN)) {
                throw new Usage("bad bucket name '" + name + "': 3 to 63 lowercase letters, digits and '-', not "
                        + "starting or ending with '-'");
            }
            if (k < 1 || k > MAX_K) {
                throw new Usage("--k must be 1 to " + MAX_K);
            }
            if (m < 0 || m > MAX_M) {
                throw new Usage("--m must be 0 to " + MAX_M);
            }
            long seg = parseSize(segmentSize);
            if (seg < MIN_SEGMENT || seg > MAX_SEGMENT) {
                throw new Usage("--segment-size must be 1k to 64m, got " + segmentSize);
            }
            BucketInfo b = client().buckets().create(name, new BucketPolicy(k, m, (int) seg, !noCompress, !noEncrypt,
                    allowDoubleUp));
            out.println(json ? json(b) : "created bucket " + b.name() + " (" + policy(b.policy()) + ")");
            return 0;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the buckets the token may read.")
    static final class Ls extends ClientCommand {
        @Option(names = "--json", description = "Print a JSON array.")
        boolean json;

        @Override
        int execute(PrintWriter out) throws Usage, ClientSettings.Missing {
            List<BucketInfo> list = client().buckets().list();
            if (json) {
                out.println(json(list));
                return 0;
            }
            out.printf(Locale.ROOT, "%-24s %-6s %9s %11s  %s%n", "NAME", "CODE", "OBJECTS", "STORED", "CREATED");
            for (BucketInfo b : list) {
                out.printf(Locale.ROOT, "%-24s %-6s %9d %11s  %s%n", b.name(), b.policy().k() + "+" + b.policy().m(),
                        b.objectCount(), size(b.storedBytes()), time(b.createdMillis()));
            }
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Show a bucket's policy and totals.")
    static final class Info extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--json", description = "Print as JSON.")
        boolean json;

        @Override
        int execute(PrintWriter out) throws Usage, ClientSettings.Missing {
            BucketInfo b = client().buckets().info(name);
            if (json) {
                out.println(json(b));
                return 0;
            }
            out.println("bucket   " + b.name());
            out.println("policy   " + policy(b.policy()));
            out.println("objects  " + b.objectCount());
            out.println("stored   " + size(b.storedBytes()) + " (" + b.storedBytes() + " bytes)");
            out.println("created  " + time(b.createdMillis()));
            return 0;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete an empty bucket (needs an admin "
            + "token).")
    static final class Rm extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        int execute(PrintWriter out) throws Usage, ClientSettings.Missing {
            client().buckets().delete(name);
            out.println("deleted bucket " + name);
            return 0;
        }
    }

    static String policy(BucketPolicy p) {
        return p.k() + "+" + p.m() + ", segments of " + size(p.segmentSize())
                + (p.compress() ? ", compressed" : "") + (p.encrypt() ? ", encrypted" : ", not encrypted")
                + (p.allowDoubleUp() ? ", doubling up allowed" : "");
    }

    private static String size(long b) {
        return ClientCommand.size(b);
    }

    private static String time(long millis) {
        return ClientCommand.time(millis);
    }

    private static String json(Object o) {
        return ClientCommand.json(o);
    }

    /** "4m", "64k", "1g", "4MiB", "65536" to bytes. */
    static long parseSize(String s) throws ClientCommand.Usage {
        String t = s.strip().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
        long mult = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> mult = 1L << 10;
                case 'm' -> mult = 1L << 20;
                case 'g' -> mult = 1L << 30;
                default -> mult = 1;
            }
        }
        String digits = mult == 1 ? t : t.substring(0, t.length() - 1);
        try {
            return Math.multiplyExact(Long.parseLong(digits.strip()), mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ClientCommand.Usage("not a size: '" + s + "' (use a number with an optional k, m or g)");
        }
    }
}
