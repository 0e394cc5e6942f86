package dev.sysext.entry;

/** The kind of an entry in an image. */
public enum ImageEntryType {
    DIRECTORY('d'),
    FILE('-'),
    SYMLINK('l'),
    BLOCK_DEVICE('b'),
    CHAR_DEVICE('c'),
    FIFO('p'),
    SOCKET('s');

    private final char lsChar;

    ImageEntryType(char lsChar) {
        this.lsChar = lsChar;
    }

    /** The first character of this type in an {@code ls -l} mode string. */
    public char lsChar() {
        return lsChar;
    }
}
