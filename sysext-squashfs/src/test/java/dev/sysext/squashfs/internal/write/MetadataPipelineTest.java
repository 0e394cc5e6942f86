package dev.sysext.squashfs.internal.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.squashfs.Compression;
import dev.sysext.squashfs.CompressorConfig;
import dev.sysext.squashfs.internal.codec.Codec;
import dev.sysext.squashfs.internal.format.Layout;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Two tables that refer to each other's block starts, as the inode and directory tables do: every
 * filled-in field must hold the block start the other table really has, whatever the worker count.
 */
class MetadataPipelineTest {
    private static final int BLOCK = 131072;
    private static final CompressorConfig SPEC = CompressorConfig.defaults(Compression.GZIP, BLOCK);

    /** A field written into {@code table} at {@code position}, naming {@code targetPosition} of the other table. */
    private record Field(int table, long position, long targetPosition) {
    }

    @Test
    void filledInFieldsHoldTheOtherTablesRealBlockStarts() throws Exception {
        Written one = write(1);
        List<List<Long>> starts = List.of(new ArrayList<>(), new ArrayList<>());
        byte[][] unpacked = {unpack(one.packed[0], starts.get(0)), unpack(one.packed[1], starts.get(1))};
        for (int i = 0; i < 2; i++) {
            byte[] plain = unpacked[i];
            assertEquals(one.plain[i].length, plain.length);
            assertTrue(starts.get(i).size() > 30, "only " + starts.get(i).size() + " blocks");
            ByteBuffer expected = ByteBuffer.wrap(one.plain[i].clone()).order(ByteOrder.LITTLE_ENDIAN);
            for (Field f : one.fields) {
                if (f.table() == i) {
                    List<Long> targetStarts = starts.get(1 - i);
                    int index = (int) (f.targetPosition() / Layout.METADATA_BLOCK_SIZE);
                    long start = index < targetStarts.size() ? targetStarts.get(index) : one.packed[1 - i].length;
                    expected.putInt((int) f.position(), (int) start);
                }
            }
            assertArrayEquals(expected.array(), plain, "table " + i);
        }
        long straddling = one.fields.stream()
                .filter(f -> f.position() / Layout.METADATA_BLOCK_SIZE != (f.position() + 3) / Layout.METADATA_BLOCK_SIZE)
                .count();
        assertTrue(straddling > 0, "no field runs into the next block");
    }

    @Test
    void theBytesAreTheSameForAnyWorkerCount() throws Exception {
        Written one = write(1);
        for (int workers : new int[] {2, 3, 8}) {
            Written many = write(workers);
            assertArrayEquals(one.packed[0], many.packed[0], workers + " workers, table 0");
            assertArrayEquals(one.packed[1], many.packed[1], workers + " workers, table 1");
        }
    }

    private record Written(byte[][] packed, byte[][] plain, List<Field> fields) {
    }

    /** Items of random, compressible content; every third one carries a field naming the other table. */
    private static Written write(int workers) throws Exception {
        Random random = new Random(42);
        BlockProcessor processor = new BlockProcessor(SPEC, BLOCK, workers, new BlockWriter(null));
        try {
            MetadataPipeline pipeline = new MetadataPipeline(processor);
            MetadataPipeline.Table[] tables = {pipeline.newTable(), pipeline.newTable()};
            ByteArrayOutputStream[] plain = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
            List<Field> fields = new ArrayList<>();
            for (int i = 0; i < 12000; i++) {
                int t = i % 2;
                byte[] item = new byte[8 + random.nextInt(90)];
                for (int j = 0; j < item.length; j++) {
                    item[j] = (byte) ('a' + random.nextInt(6));
                }
                if (i % 3 == 0) {
                    // A field names the other table's current position or an earlier one, as in the image.
                    long current = tables[1 - t].position();
                    long target = random.nextBoolean() ? current : random.nextLong(current + 1);
                    int at = random.nextInt(item.length - 3);
                    long position = tables[t].position() + at;
                    tables[t].blockStartAt(position, tables[1 - t], target);
                    fields.add(new Field(t, position, target));
                    item[at] = item[at + 1] = item[at + 2] = item[at + 3] = 0;
                }
                tables[t].write(item, 0, item.length);
                plain[t].write(item);
            }
            pipeline.finish();
            return new Written(new byte[][] {tables[0].bytes(), tables[1].bytes()},
                    new byte[][] {plain[0].toByteArray(), plain[1].toByteArray()}, fields);
        } finally {
            processor.close();
        }
    }

    /** The uncompressed table; {@code starts} gets each block's start. */
    private static byte[] unpack(byte[] table, List<Long> starts) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] block = new byte[Layout.METADATA_BLOCK_SIZE];
        try (Codec codec = Codec.create(SPEC)) {
            int at = 0;
            while (at < table.length) {
                starts.add((long) at);
                int header = (table[at] & 0xFF) | (table[at + 1] & 0xFF) << 8;
                int size = header & ~Layout.METADATA_UNCOMPRESSED;
                if ((header & Layout.METADATA_UNCOMPRESSED) != 0) {
                    out.write(table, at + 2, size);
                } else {
                    int n = codec.decompress(table, at + 2, size, block, block.length);
                    out.write(block, 0, n);
                }
                at += 2 + size;
            }
        }
        return out.toByteArray();
    }
}
