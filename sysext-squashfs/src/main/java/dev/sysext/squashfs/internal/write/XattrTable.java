package dev.sysext.squashfs.internal.write;

import dev.sysext.squashfs.internal.format.Layout;
import dev.sysext.squashfs.internal.format.Superblock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The xattr table. Identical attribute sets share one id; a value already stored once is referred
 * to out of line when that is shorter than repeating it.
 */
final class XattrTable {
    /** An out-of-line value record: u32 size 8 and a u64 reference. */
    private static final int OUT_OF_LINE_RECORD = 12;

    private final BlockProcessor processor;
    private final MetadataPipeline metadata;
    private final MetadataPipeline.Table pairs;
    private final Map<ByteBuffer, Integer> setIds = new HashMap<>();
    private final Map<ByteBuffer, Long> valuePositions = new HashMap<>();
    /** Per set: the position of its first pair, the pair count, the bytes of its pairs. */
    private final List<long[]> idEntries = new ArrayList<>();

    XattrTable(BlockProcessor processor) {
        this.processor = processor;
        this.metadata = new MetadataPipeline(processor);
        this.pairs = metadata.newTable();
    }

    /** The xattr id of a (sorted, non-empty) attribute set, writing it if it is new. */
    int add(Map<String, byte[]> xattrs) throws IOException {
        ByteBuffer key = ByteBuffer.wrap(canonical(xattrs));
        Integer id = setIds.get(key);
        if (id != null) {
            return id;
        }
        long start = pairs.position();
        for (Map.Entry<String, byte[]> e : xattrs.entrySet()) {
            writePair(e.getKey(), e.getValue());
        }
        idEntries.add(new long[] {start, xattrs.size(), pairs.position() - start});
        setIds.put(key, idEntries.size() - 1);
        return idEntries.size() - 1;
    }

    boolean isEmpty() {
        return idEntries.isEmpty();
    }

    private void writePair(String fullName, byte[] value) throws IOException {
        int dot = fullName.indexOf('.');
        String prefix = fullName.substring(0, dot);
        byte[] name = fullName.substring(dot + 1).getBytes(StandardCharsets.UTF_8);
        int type = switch (prefix) {
            case "user" -> Layout.XATTR_USER;
            case "trusted" -> Layout.XATTR_TRUSTED;
            case "security" -> Layout.XATTR_SECURITY;
            default -> throw new IllegalArgumentException("xattr prefix " + prefix);
        };
        ByteBuffer valueKey = ByteBuffer.wrap(value);
        Long earlier = valuePositions.get(valueKey);
        boolean outOfLine = earlier != null && value.length + 4 > OUT_OF_LINE_RECORD;
        ByteBuffer b = ByteBuffer.allocate(4 + name.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) (type | (outOfLine ? Layout.XATTR_VALUE_OUT_OF_LINE : 0))).putShort((short) name.length).put(name);
        write(b.array());
        if (outOfLine) {
            // The reference (block start << 16 | offset, a u64): the offset now, the block start (bits
            // 16..47, i.e. bytes 2..5) once the blocks before it are compressed. One write call, so
            // the field is complete before its block can be sent (see MetadataPipeline).
            ByteBuffer v = ByteBuffer.allocate(OUT_OF_LINE_RECORD).order(ByteOrder.LITTLE_ENDIAN);
            v.putInt(8).putLong(earlier % Layout.METADATA_BLOCK_SIZE);
            pairs.blockStartAt(pairs.position() + 4 + 2, pairs, earlier);
            write(v.array());
        } else {
            if (earlier == null) {
                valuePositions.put(valueKey, pairs.position());
            }
            ByteBuffer v = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value.length);
            write(v.array());
            write(value);
        }
    }

    private void write(byte[] bytes) throws IOException {
        pairs.write(bytes, 0, bytes.length);
    }

    /** Appends the pairs, the id entries and the table header; returns the header's offset. */
    long write(ImageOutput out) throws IOException {
        if (idEntries.isEmpty()) {
            return Superblock.NO_TABLE;
        }
        metadata.finish();
        long pairsStart = out.position();
        out.append(pairs.bytes());
        MetadataPipeline idMetadata = new MetadataPipeline(processor);
        MetadataPipeline.Table ids = idMetadata.newTable();
        for (long[] e : idEntries) {
            byte[] entry = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(pairs.ref(e[0])).putInt((int) e[1]).putInt((int) e[2]).array();
            ids.write(entry, 0, entry.length);
        }
        idMetadata.finish();
        long idsStart = out.position();
        out.append(ids.bytes());
        long header = out.position();
        out.append(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(pairsStart).putInt(idEntries.size()).putInt(0).array());
        LookupTable.appendLocations(out, idsStart, ids.blockStarts());
        return header;
    }

    private static byte[] canonical(Map<String, byte[]> xattrs) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : xattrs.entrySet()) {
            byte[] n = e.getKey().getBytes(StandardCharsets.UTF_8);
            b.write(n.length >>> 8);
            b.write(n.length);
            b.writeBytes(n);
            int v = e.getValue().length;
            b.write(v >>> 24);
            b.write(v >>> 16);
            b.write(v >>> 8);
            b.write(v);
            b.writeBytes(e.getValue());
        }
        return b.toByteArray();
    }
}
