package dev.sysext.fetch.internal.http;

import dev.sysext.fetch.FetchException;
import dev.sysext.fetch.ProgressListener;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code file:} URLs that a rewrite rule produced, so an air-gapped mirror can be a directory
 * ({@code https://github.com=file:///srv/mirror/github.com}). Only the URL the caller asked for may
 * become a file: a redirect from a server never leads to the local disk.
 */
final class LocalFileSource {
    private LocalFileSource() {
    }

    static HttpTransport.Response copy(URI url, URI requested, BodySink sink, long limit, ProgressListener progress)
            throws IOException {
        String name = HttpTransport.describe(url, requested);
        Path path;
        try {
            path = Path.of(requested);
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw new FetchException(url, name + ": not a usable file: URL (" + e.getMessage() + ")", e);
        }
        if (!Files.isRegularFile(path)) {
            throw new FetchException(url, name + ": no such file", null);
        }
        long size = Files.size(path);
        if (size > limit) {
            throw new FetchException(url, name + ": the file has " + size + " bytes, more than the limit of " + limit, null);
        }
        sink.reset();
        long have = 0;
        progress.progress(url, have, size);
        try (FileChannel ch = FileChannel.open(path)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            while (ch.read(buf) > 0) {
                buf.flip();
                have += buf.remaining();
                if (have > limit) {
                    throw new FetchException(url, name + ": the file grew beyond the limit of " + limit + " bytes", null);
                }
                sink.write(buf);
                buf.clear();
                progress.progress(url, have, size);
            }
        }
        return new HttpTransport.Response(url, requested, 200,
                HttpHeaders.of(Map.of("Content-Length", List.of(Long.toString(have))), (k, v) -> true));
    }
}
