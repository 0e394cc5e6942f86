package dev.sysext.squashfs.internal.write;

import dev.sysext.squashfs.internal.format.Layout;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * The one writer of metadata tables (inodes, directories, xattrs, and the entries of the fragment,
 * export, id and xattr id lookup tables): 8 KiB metadata blocks compressed by the
 * {@link BlockProcessor}'s workers while later blocks are still being written.
 *
 * <p>Tables refer to each other, or to themselves (an xattr value stored out of line), by block
 * start. The inode and directory tables refer to each other by block start: the compressed offset of a block in its
 * table, known only once every block before it has been compressed. So such a field is written as a
 * placeholder ({@link Table#blockStartAt}) and filled in just before its block goes to a worker. A
 * field always names the other table's current or an earlier block (a directory's listing is
 * written after its children's inodes, its inode after the listing), so every block gets filled in
 * eventually, and the blocks of both tables are compressed concurrently. The bytes are the same as
 * compressing each block in turn, for any number of workers.
 */
final class MetadataPipeline {
    private static final int SIZE = Layout.METADATA_BLOCK_SIZE;

    private final BlockProcessor processor;
    private final List<Table> tables = new ArrayList<>(2);

    MetadataPipeline(BlockProcessor processor) {
        this.processor = processor;
    }

    Table newTable() {
        Table t = new Table();
        tables.add(t);
        return t;
    }

    /** Closes every table's last block and waits until all blocks are compressed. */
    void finish() throws IOException {
        for (Table t : tables) {
            t.closeOpenBlock();
        }
        long before = -1;
        while (true) {
            pump();
            long progress = 0;
            boolean unfinished = false;
            Future<byte[]> running = null;
            for (Table t : tables) {
                progress += t.known + t.blocks.size() - t.waiting.size();
                unfinished |= t.known < t.blocks.size();
                if (running == null) {
                    running = t.running();
                }
            }
            if (!unfinished) {
                return;
            }
            if (running != null) {
                BlockProcessor.await(running);
            } else if (progress == before) {
                // Nothing is being compressed, and the last pass neither sent nor took in a block.
                throw new IllegalStateException("metadata blocks refer to each other in a cycle");
            }
            before = progress;
        }
    }

    /** Learns which compressions finished, then sends every block whose fields can be filled in. */
    private void pump() throws IOException {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Table t : tables) {
                t.learnFinished();
            }
            for (Table t : tables) {
                progress |= t.submitReady();
            }
        }
    }

    /** A field to fill in: 4 bytes at {@code position} get the block start of {@code target}'s {@code targetPosition}. */
    private record Fixup(long position, Table target, long targetPosition) {
    }

    private static final class Block {
        /** Dropped once compressed: a table of a million inodes would otherwise keep 40 MiB twice. */
        byte[] data = new byte[SIZE];
        /** Uncompressed offset of the block in its table. */
        final long start;
        int fill;
        Future<byte[]> packed;

        Block(long start) {
            this.start = start;
        }
    }

    /** One metadata table. Positions are uncompressed byte offsets in the table. */
    final class Table {
        private final List<Block> blocks = new ArrayList<>();
        /** Closed blocks not yet sent to a worker, oldest first. */
        private final ArrayDeque<Block> waiting = new ArrayDeque<>();
        /** Fields not yet filled in, in position order. */
        private final ArrayDeque<Fixup> fixups = new ArrayDeque<>();
        private Block open = new Block(0);
        /** How many leading blocks have a known compressed size, and those sizes summed. */
        private int known;
        private long knownBytes;
        private final List<Long> starts = new ArrayList<>();

        private Table() {
        }

        /** The uncompressed offset the next byte goes to. */
        long position() {
            return open.start + open.fill;
        }

        /**
         * Makes the 4 bytes at {@code position} of this table (written before this table's next
         * block closes) the block start, in {@code target}, of {@code targetPosition}.
         */
        void blockStartAt(long position, Table target, long targetPosition) {
            fixups.add(new Fixup(position, target, targetPosition));
        }

        void write(byte[] bytes, int off, int len) throws IOException {
            boolean closed = false;
            while (len > 0) {
                int n = Math.min(len, SIZE - open.fill);
                System.arraycopy(bytes, off, open.data, open.fill, n);
                open.fill += n;
                off += n;
                len -= n;
                if (open.fill == SIZE) {
                    closeOpenBlock();
                    closed = true;
                }
            }
            // Only a closed block can be sent; finished compressions are taken in at the next one.
            if (closed) {
                pump();
            }
        }

        /**
         * The on-disk reference (block start shifted left 16, or-ed with the offset in the block)
         * of a position; valid once the pipeline finished.
         */
        long ref(long position) {
            if (known < blocks.size() || !startKnown(position)) {
                throw new IllegalStateException("metadata position " + position + " is not compressed yet");
            }
            return Layout.metadataRef(startOf(position), (int) (position % SIZE));
        }

        /** Starts of the compressed blocks, relative to the table; valid once the pipeline finished. */
        List<Long> blockStarts() {
            if (known < blocks.size()) {
                throw new IllegalStateException("metadata table is not compressed yet");
            }
            return List.copyOf(starts);
        }

        /** Appends the compressed table to {@code out}; valid once the pipeline finished. */
        void writeTo(ImageOutput out) throws IOException {
            if (known < blocks.size()) {
                throw new IllegalStateException("metadata table is not compressed yet");
            }
            // Gathered into writes of about 256 KiB: a block is only a few KiB.
            byte[] chunk = new byte[(int) Math.min(knownBytes, 256 << 10)];
            int fill = 0;
            for (Block b : blocks) {
                byte[] p = BlockProcessor.await(b.packed);
                if (fill + p.length > chunk.length) {
                    out.append(chunk, 0, fill);
                    fill = 0;
                }
                if (p.length > chunk.length) {
                    out.append(p);
                } else {
                    System.arraycopy(p, 0, chunk, fill, p.length);
                    fill += p.length;
                }
            }
            if (fill > 0) {
                out.append(chunk, 0, fill);
            }
        }

        /** The compressed table; valid once the pipeline finished. */
        byte[] bytes() throws IOException {
            byte[] all = new byte[Math.toIntExact(knownBytes)];
            int at = 0;
            for (Block b : blocks) {
                byte[] p = BlockProcessor.await(b.packed);
                System.arraycopy(p, 0, all, at, p.length);
                at += p.length;
            }
            return all;
        }

        private void closeOpenBlock() {
            if (open.fill == 0) {
                return;
            }
            blocks.add(open);
            waiting.add(open);
            open = new Block(open.start + open.fill);
        }

        /** Takes in the sizes of blocks whose compression finished, in order. */
        private void learnFinished() throws IOException {
            while (known < blocks.size()) {
                Future<byte[]> f = blocks.get(known).packed;
                if (f == null || !f.isDone()) {
                    return;
                }
                starts.add(knownBytes);
                knownBytes += BlockProcessor.await(f).length;
                blocks.get(known).data = null;
                known++;
            }
        }

        /** A block still being compressed, or null. */
        private Future<byte[]> running() {
            for (int i = known; i < blocks.size(); i++) {
                Future<byte[]> f = blocks.get(i).packed;
                if (f != null && !f.isDone()) {
                    return f;
                }
            }
            return null;
        }

        /** Whether the block start of {@code position} is known: the sizes of all blocks before it are. */
        private boolean startKnown(long position) {
            return position / SIZE <= known;
        }

        private long startOf(long position) {
            int index = (int) (position / SIZE);
            return index < known ? starts.get(index) : knownBytes;
        }

        /** Sends waiting blocks, oldest first, until one has a field that cannot be filled in yet. */
        private boolean submitReady() {
            boolean sent = false;
            while (!waiting.isEmpty()) {
                Block b = waiting.peek();
                long blockEnd = b.start + b.fill;
                for (Fixup f : fixups) {
                    if (f.position() >= blockEnd) {
                        break;
                    }
                    if (!f.target().startKnown(f.targetPosition())) {
                        return sent;
                    }
                }
                while (!fixups.isEmpty() && fixups.peek().position() < blockEnd) {
                    Fixup f = fixups.poll();
                    put(f.position(), f.target().startOf(f.targetPosition()));
                }
                waiting.poll();
                b.packed = processor.compressMetadata(b.data, b.fill);
                sent = true;
            }
            return sent;
        }

        /** Writes a u32 at {@code position}; a field may run into the next (possibly still open) block. */
        private void put(long position, long value) {
            if (value < 0 || value > 0xFFFFFFFFL) {
                throw new IllegalStateException("metadata block start " + value + " does not fit 32 bits");
            }
            for (int i = 0; i < 4; i++) {
                long p = position + i;
                int index = (int) (p / SIZE);
                Block target = index < blocks.size() ? blocks.get(index) : open;
                target.data[(int) (p % SIZE)] = (byte) (value >>> (8 * i));
            }
        }
    }
}
