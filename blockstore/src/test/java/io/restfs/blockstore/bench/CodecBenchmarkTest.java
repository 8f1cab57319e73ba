package io.restfs.blockstore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/** Runs the benchmark small: it must measure every figure and see the data kinds it claims to. */
class CodecBenchmarkTest {
    @Test
    void measuresEveryFigureForBothKindsOfData() {
        List<String> progress = new ArrayList<>();
        CodecBenchmark.Result r = new CodecBenchmark().run(
                new CodecBenchmark.Options(3 << 20, 4, 2, 256 << 10, 2, 1, 7), progress::add);
        assertEquals(2, r.data().size());
        assertTrue(progress.size() >= 6, progress.toString());
        for (CodecBenchmark.DataResult d : r.data()) {
            CodecBenchmark.Stages s = d.stages();
            for (double v : new double[] {s.sha256Plaintext(), s.snappyCompress(), s.aesGcmEncrypt(), s.rsEncode(),
                    s.sha256Shards(), s.sha256ShardsRead(), s.rsDecode(), s.aesGcmDecrypt(),
                    d.pipelines().encodeOneThread(), d.pipelines().decodeOneThread(),
                    d.pipelines().encodeAllCores(), d.pipelines().decodeAllCores()}) {
                assertTrue(v > 0 && Double.isFinite(v), d.data() + ": " + d);
            }
            assertEquals(12, d.segments());
            CodecBenchmark.Scaling sc = d.cpu().scaling();
            for (double v : new double[] {d.cpu().encodeOneThread(), d.cpu().decodeOneThread(), sc.encodeCoresUsed(),
                    sc.decodeCoresUsed(), sc.encodeEfficiency(), sc.decodeEfficiency()}) {
                assertTrue(v > 0 && Double.isFinite(v), d.data() + ": " + d.cpu());
            }
            assertTrue(s.encodeBound() < s.rsEncode() && s.decodeBound() < s.rsDecode(), d.toString());
        }
        CodecBenchmark.DataResult random = r.data().get(0);
        CodecBenchmark.DataResult text = r.data().get(1);
        assertEquals("random", random.data());
        assertEquals(0, random.compressedSegments());
        assertEquals(0.0, random.stages().snappyUncompress());
        assertTrue(random.storedRatio() > 1.5, "4+2 stores at least 1.5 times the plaintext: " + random.storedRatio());
        assertEquals(12, text.compressedSegments());
        assertTrue(text.stages().snappyUncompress() > 0);
        assertTrue(text.storedRatio() < 1.5, "compressed 4+2 stores less than 1.5 times: " + text.storedRatio());
    }

    @Test
    void compressibleDataCompressesLikeText() throws Exception {
        byte[] text = CodecBenchmark.compressibleData(1 << 20, 1);
        double ratio = (double) Snappy.compress(text).length / text.length;
        assertTrue(ratio > 0.25 && ratio < 0.75, "snappy ratio " + ratio);
    }

    @Test
    void refusesNonsenseOptions() {
        assertThrows(IllegalArgumentException.class, () -> new CodecBenchmark.Options(0, 4, 2, 1 << 20, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new CodecBenchmark.Options(1 << 20, 0, 2, 1 << 20, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new CodecBenchmark.Options(1 << 20, 4, 2, 1 << 20, 0, 1, 1));
    }
}
