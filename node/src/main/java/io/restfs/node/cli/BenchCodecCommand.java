package io.restfs.node.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.blockstore.bench.CodecBenchmark;
import io.restfs.blockstore.bench.CodecBenchmark.DataResult;
import io.restfs.blockstore.bench.CodecBenchmark.Options;
import io.restfs.blockstore.bench.CodecBenchmark.Result;
import io.restfs.blockstore.bench.CodecBenchmark.Stages;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code restfs bench codec}: a thin adapter printing {@link CodecBenchmark}'s figures as a table and JSON. */
@Command(
        name = "codec",
        mixinStandardHelpOptions = true,
        description = "Measure the segment codec: SHA-256, snappy, AES-GCM and Reed-Solomon alone, then the"
                + " encode and decode pipelines on one thread and on all cores, on random and on compressible"
                + " data. Figures are MB (10^6 bytes) of plaintext per second.")
final class BenchCodecCommand implements Callable<Integer> {
    @Option(names = "--size", defaultValue = "256m", converter = ByteSizeConverter.class,
            description = "Bytes of each kind of data (suffix k, m or g; default ${DEFAULT-VALUE}).")
    long size;

    @Option(names = "--k", defaultValue = "6", description = "Data shards (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--m", defaultValue = "3", description = "Parity shards (default ${DEFAULT-VALUE}).")
    int m;

    @Option(names = "--segment-size", defaultValue = "4m", converter = ByteSizeConverter.class,
            description = "Segment size (default ${DEFAULT-VALUE}).")
    long segmentSize;

    @Option(names = "--threads", description = "Threads for the all-cores runs (default: available processors).")
    Integer threads;

    @Option(names = "--repeats", defaultValue = "3",
            description = "Measurements per figure after warm-up; the fastest is kept (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated data (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Also print one JSON object with every figure as the last line.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintStream out = System.out;
        Options options;
        try {
            options = new Options(size, k, m, Math.toIntExact(segmentSize),
                    threads != null ? threads : Runtime.getRuntime().availableProcessors(), repeats, seed);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        out.printf(Locale.ROOT, "codec benchmark: %d MB per data kind, %d+%d, %d KiB segments, %d threads, best of %d%n",
                options.size() / 1_000_000, options.k(), options.m(), options.segmentSize() >> 10,
                options.threads(), options.repeats());
        Result result = new CodecBenchmark().run(options, line -> System.err.println("bench codec: " + line));
        for (DataResult d : result.data()) {
            printTable(out, d);
        }
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(toJson(result)));
        }
        return 0;
    }

    private static void printTable(PrintStream out, DataResult d) {
        Stages s = d.stages();
        out.printf(Locale.ROOT, "%n%s data: stored/plaintext %.3f, %d of %d segments compressed (MB/s of plaintext)%n",
                d.data(), d.storedRatio(), d.compressedSegments(), d.segments());
        row(out, "sha256 (plaintext)", s.sha256Plaintext());
        row(out, "snappy compress", s.snappyCompress());
        row(out, "aes-gcm encrypt", s.aesGcmEncrypt());
        row(out, "reed-solomon encode", s.rsEncode());
        row(out, "sha256 (all shards)", s.sha256Shards());
        row(out, "sha256 (k shards read)", s.sha256ShardsRead());
        row(out, "reed-solomon decode", s.rsDecode());
        row(out, "aes-gcm decrypt", s.aesGcmDecrypt());
        row(out, "snappy uncompress", s.snappyUncompress());
        row(out, "encode bound", s.encodeBound());
        row(out, "encode, 1 thread", d.pipelines().encodeOneThread());
        row(out, "encode, all cores", d.pipelines().encodeAllCores());
        row(out, "decode bound", s.decodeBound());
        row(out, "decode, 1 thread", d.pipelines().decodeOneThread());
        row(out, "decode, all cores", d.pipelines().decodeAllCores());
        out.printf(Locale.ROOT, "  %-26s encode %.2f  decode %.2f%n", "pipeline / bound", d.encodeVsBound(), d.decodeVsBound());
        out.printf(Locale.ROOT, "  %-26s encode %.2f  decode %.2f%n", "all cores / 1 thread",
                d.encodeParallelVsSingle(), d.decodeParallelVsSingle());
        out.printf(Locale.ROOT, "  %-26s encode %.2f  decode %.2f  (1 thread: %.1f / %.1f MB/s per CPU-second)%n",
                "pipeline / bound, CPU time", d.cpu().encodeVsBound(), d.cpu().decodeVsBound(),
                d.cpu().encodeOneThread(), d.cpu().decodeOneThread());
        CodecBenchmark.Scaling sc = d.cpu().scaling();
        out.printf(Locale.ROOT, "  %-26s encode %.2f  decode %.2f  (cores kept busy: %.2f / %.2f)%n",
                "all cores, work per CPU-s", sc.encodeEfficiency(), sc.decodeEfficiency(),
                sc.encodeCoresUsed(), sc.decodeCoresUsed());
    }

    private static void row(PrintStream out, String name, double mbps) {
        out.printf(Locale.ROOT, "  %-26s %9.1f%n", name, mbps);
    }

    private static ObjectNode toJson(Result r) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("benchmark", "codec");
        root.put("size_bytes", r.options().size());
        root.put("k", r.options().k());
        root.put("m", r.options().m());
        root.put("segment_size", r.options().segmentSize());
        root.put("threads", r.options().threads());
        root.put("repeats", r.options().repeats());
        for (DataResult d : r.data()) {
            ObjectNode n = root.putObject(d.data());
            Stages s = d.stages();
            n.put("stored_ratio", round(d.storedRatio()));
            n.put("compressed_segments", d.compressedSegments());
            n.put("segments", d.segments());
            n.put("sha256_plaintext_mbps", round(s.sha256Plaintext()));
            n.put("snappy_compress_mbps", round(s.snappyCompress()));
            n.put("aes_gcm_encrypt_mbps", round(s.aesGcmEncrypt()));
            n.put("rs_encode_mbps", round(s.rsEncode()));
            n.put("sha256_shards_mbps", round(s.sha256Shards()));
            n.put("sha256_shards_read_mbps", round(s.sha256ShardsRead()));
            n.put("rs_decode_mbps", round(s.rsDecode()));
            n.put("aes_gcm_decrypt_mbps", round(s.aesGcmDecrypt()));
            n.put("snappy_uncompress_mbps", round(s.snappyUncompress()));
            n.put("encode_bound_mbps", round(s.encodeBound()));
            n.put("decode_bound_mbps", round(s.decodeBound()));
            n.put("encode_1t_mbps", round(d.pipelines().encodeOneThread()));
            n.put("decode_1t_mbps", round(d.pipelines().decodeOneThread()));
            n.put("encode_all_mbps", round(d.pipelines().encodeAllCores()));
            n.put("decode_all_mbps", round(d.pipelines().decodeAllCores()));
            ObjectNode vsBound = n.putObject("pipeline_vs_bound");
            vsBound.put("encode", round(d.encodeVsBound()));
            vsBound.put("decode", round(d.decodeVsBound()));
            ObjectNode cpu = n.putObject("cpu_time");
            cpu.put("encode_bound_mbps", round(d.cpu().stages().encodeBound()));
            cpu.put("decode_bound_mbps", round(d.cpu().stages().decodeBound()));
            cpu.put("encode_1t_mbps", round(d.cpu().encodeOneThread()));
            cpu.put("decode_1t_mbps", round(d.cpu().decodeOneThread()));
            ObjectNode cpuVsBound = cpu.putObject("pipeline_vs_bound");
            cpuVsBound.put("encode", round(d.cpu().encodeVsBound()));
            cpuVsBound.put("decode", round(d.cpu().decodeVsBound()));
            ObjectNode scaling = cpu.putObject("all_cores");
            scaling.put("encode_cores_used", round(d.cpu().scaling().encodeCoresUsed()));
            scaling.put("decode_cores_used", round(d.cpu().scaling().decodeCoresUsed()));
            scaling.put("encode_efficiency", round(d.cpu().scaling().encodeEfficiency()));
            scaling.put("decode_efficiency", round(d.cpu().scaling().decodeEfficiency()));
            ObjectNode vsSingle = n.putObject("parallel_vs_single");
            vsSingle.put("encode", round(d.encodeParallelVsSingle()));
            vsSingle.put("decode", round(d.decodeParallelVsSingle()));
        }
        return root;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** Parses sizes such as {@code 4096}, {@code 64k}, {@code 256m}, {@code 1g} (binary multiples). */
    static final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.endsWith("ib")) {
                v = v.substring(0, v.length() - 2);
            } else if (v.endsWith("b")) {
                v = v.substring(0, v.length() - 1);
            }
            long unit = 1;
            if (!v.isEmpty()) {
                switch (v.charAt(v.length() - 1)) {
                    case 'k' -> unit = 1L << 10;
                    case 'm' -> unit = 1L << 20;
                    case 'g' -> unit = 1L << 30;
                    default -> unit = 1;
                }
            }
            String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
            try {
                long n = Long.parseLong(digits);
                if (n < 0) {
                    throw new CommandLine.TypeConversionException("size must not be negative: " + value);
                }
                return Math.multiplyExact(n, unit);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new CommandLine.TypeConversionException("not a size: '" + value + "' (use e.g. 4096, 64k, 256m, 1g)");
            }
        }
    }
}
