package dev.sysext.erofs.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Clusters decode to the segment (checked with lz4-java's safe decoder, as the kernel decodes them
 * whole), each fills at most its blocks, and the input compressed stays close to what they hold.
 */
class ClusterCompressorTest {

    /**
     * 3 MiB whose compressibility changes every few KiB: random bytes, text, zeros and repeated
     * structures, so that guesses from the previous cluster often miss in both directions.
     */
    private static byte[] mixed(long seed) {
        Random r = new Random(seed);
        byte[] words = "erofs cluster lz4 block inode kernel segment literal match offset sysext image "
                .getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[3 << 20];
        int p = 0;
        while (p < out.length) {
            int n = Math.min(out.length - p, 1024 + r.nextInt(24 * 1024));
            switch (r.nextInt(4)) {
                case 0 -> {
                    byte[] b = new byte[n];
                    r.nextBytes(b);
                    System.arraycopy(b, 0, out, p, n);
                }
                case 1 -> {
                    for (int i = 0; i < n; i++) {
                        out[p + i] = r.nextInt(8) == 0 ? (byte) r.nextInt(256) : words[(p + i) % words.length];
                    }
                }
                case 2 -> Arrays.fill(out, p, p + n, (byte) 0);
                default -> {
                    for (int i = 0; i < n; i++) {
                        out[p + i] = (byte) (i % 97 < 40 ? i / 97 : r.nextInt(4));
                    }
                }
            }
            p += n;
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"true, 12, 65536", "true, 9, 4096", "true, 12, 16384", "false, 0, 65536", "false, 0, 4096"})
    void clustersDecodeToTheInputAndWasteLittle(boolean hc, int level, int clusterSize) {
        LZ4SafeDecompressor lz4 = LZ4Factory.fastestJavaInstance().safeDecompressor();
        for (long seed = 1; seed <= 3; seed++) {
            byte[] seg = mixed(seed);
            ClusterCompressor c = new ClusterCompressor(hc, level, clusterSize);
            List<ClusterCompressor.Cluster> clusters = c.compressSegment(seg, 0, true, 3000);
            long pos = 0;
            long compressedHeld = 0;
            for (ClusterCompressor.Cluster k : clusters) {
                assertEquals(pos, k.start(), "clusters follow each other");
                byte[] want = Arrays.copyOfRange(seg, (int) pos, (int) pos + k.length());
                byte[] payload = k.payloadBytes();
                if (k.plain()) {
                    assertArrayEquals(want, payload, "plain cluster at " + pos);
                } else {
                    assertTrue(k.blocks() == 0 ? payload.length <= 3000 : payload.length <= k.blocks() * 4096,
                            "cluster at " + pos + " overflows its blocks");
                    assertTrue(k.blocks() * 4096 <= clusterSize);
                    byte[] got = new byte[k.length()];
                    assertEquals(k.length(), lz4.decompress(payload, 0, payload.length, got, 0), "decoded length at " + pos);
                    assertArrayEquals(want, got, "cluster at " + pos);
                    compressedHeld += k.length();
                }
                pos += k.length();
            }
            assertEquals(seg.length, pos, "the clusters cover the segment");
            // lz4hc: the old guess-and-redo compressed about 1.4 times the input; the profile and
            // chunks keep it near 1. (Fast lz4 costs little per byte and is not profiled.)
            double over = (double) c.compressedInput / seg.length;
            assertTrue(!hc || over < 1.2, "compressed " + over + " times the input");
            assertTrue(compressedHeld > seg.length / 3, "most of the mixed input is compressed");
            // The same segment gives the same clusters, whatever was compressed before.
            List<ClusterCompressor.Cluster> again = c.compressSegment(seg, 0, true, 3000);
            assertEquals(clusters.size(), again.size());
            for (int i = 0; i < clusters.size(); i++) {
                assertArrayEquals(clusters.get(i).data(), again.get(i).data(), "cluster " + i);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void theLastLiteralRunIsTheLongestThatFits() {
        for (int room = 0; room < 70_000; room += room < 600 ? 1 : 97) {
            for (int input : new int[] {0, 1, 14, 15, 16, 269, 270, 271, 4096, 65_536, 1 << 20}) {
                int want = 0;
                for (int n = Math.min(input, Math.max(0, room - 1)); n > 0; n--) {
                    if (1 + n + (n >= 15 ? (n - 15) / 255 + 1 : 0) <= room) {
                        want = n;
                        break;
                    }
                }
                assertEquals(want, ClusterCompressor.lastLiterals(room, input), "room " + room + ", input " + input);
            }
        }
    }
}
