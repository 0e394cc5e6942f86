package dev.sysext.fetch.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Where a body goes: memory or a file. Can start over when a server ignores a Range request. */
interface BodySink {
    /** Appends {@code buffer}. */
    void write(ByteBuffer buffer) throws IOException;

    /** Bytes held so far. */
    long size() throws IOException;

    /** Drops everything held, to start over from byte 0. */
    void reset() throws IOException;
}
