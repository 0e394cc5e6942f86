package dev.sysext.squashfs.internal.read;

import dev.sysext.squashfs.SquashfsFormatException;
import dev.sysext.squashfs.internal.format.Layout;
import java.io.IOException;
import java.io.InputStream;

/**
 * A regular file's content, decoded one block at a time: memory stays at two block buffers whatever
 * the file size. Sparse blocks read as zeros; the tail comes from the file's fragment, if any.
 */
final class FileContentStream extends InputStream {
    private final DataReader data;
    private final Inode inode;
    private final MetadataCursor sizes;
    private final String owner;
    private final byte[] block;
    private final byte[] scratch;
    private long nextBlock;
    private long blockPos;
    private long remaining;
    private byte[] current;
    private int currentPos;
    private int currentLen;

    public FileContentStream(DataReader data, MetadataBlockReader blocks, TableArea inodeArea, Inode inode, String owner)
            throws IOException {
        this.data = data;
        this.inode = inode;
        this.owner = owner;
        this.remaining = inode.size();
        this.blockPos = inode.blocksStart();
        this.sizes = inode.blockCount() == 0 ? null
                : MetadataCursor.resume(blocks, inodeArea, inode.blockListPosition(), inode.blockListOffset());
        int bs = data.blockSize();
        this.block = inode.blockCount() == 0 ? null : new byte[bs];
        this.scratch = inode.blockCount() == 0 ? null : new byte[bs];
    }

    private boolean fill() throws IOException {
        if (currentPos < currentLen) {
            return true;
        }
        if (remaining == 0) {
            return false;
        }
        int bs = data.blockSize();
        if (nextBlock < inode.blockCount()) {
            int word = sizes.i32();
            int expected = (int) Math.min(bs, remaining);
            String what = owner + ": data block " + nextBlock;
            data.readBlock(blockPos, word, expected, block, scratch, what);
            blockPos += word & Layout.DATA_SIZE_MASK;
            nextBlock++;
            current = block;
            currentPos = 0;
            currentLen = expected;
        } else if (inode.hasFragment()) {
            int tail = (int) remaining;
            int start = (int) inode.fragmentOffset();
            current = data.fragment(inode.fragment(), start + tail, owner);
            currentPos = start;
            currentLen = start + tail;
        } else {
            throw new SquashfsFormatException(owner + ": " + remaining + " bytes left but no blocks or fragment");
        }
        remaining -= currentLen - currentPos;
        return true;
    }

    /**
     * Decodes every stored block and the tail without handing out bytes, and skips sparse blocks
     * without producing their zeros, so checking a file costs what it stores, not what it claims.
     *
     * @return the number of content bytes the file has
     */
    public long decodeAll() throws IOException {
        int bs = data.blockSize();
        long total = 0;
        while (nextBlock < inode.blockCount()) {
            int word = sizes.i32();
            int expected = (int) Math.min(bs, remaining);
            if ((word & Layout.DATA_SIZE_MASK) != 0) {
                data.readBlock(blockPos, word, expected, block, scratch, owner + ": data block " + nextBlock);
                blockPos += word & Layout.DATA_SIZE_MASK;
            }
            nextBlock++;
            remaining -= expected;
            total += expected;
        }
        while (fill()) {
            total += currentLen - currentPos;
            currentPos = currentLen;
        }
        return total;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return current[currentPos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, currentLen - currentPos);
        System.arraycopy(current, currentPos, b, off, n);
        currentPos += n;
        return n;
    }

    @Override
    public int available() {
        return currentLen - currentPos;
    }
}
