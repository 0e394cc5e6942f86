package dev.sysext.fetch;

import dev.sysext.fetch.internal.http.FileSink;
import dev.sysext.fetch.internal.http.HttpTransport;
import dev.sysext.fetch.internal.http.MemorySink;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Fetches URLs over HTTP(S) with the project's {@link UrlRewriter} applied to every URL it requests,
 * including each redirect it follows. Redirects, timeouts, retries with backoff, resumption with
 * {@code Range}, a size limit and progress reporting come with every request. Thread-safe.
 */
public final class HttpFetcher {
    /** Limit for small documents (checksum files, signatures, keyrings, raw files): 16 MiB. */
    public static final long SMALL_DOCUMENT_LIMIT = 16L << 20;

    private final HttpSettings settings;
    private final HttpTransport transport;

    /** A fetcher with these settings and rewrite rules. */
    public HttpFetcher(HttpSettings settings, UrlRewriter rewriter) {
        this.settings = settings;
        this.transport = new HttpTransport(settings, rewriter);
    }

    /** The settings in force. */
    public HttpSettings settings() {
        return settings;
    }

    /** The rewrite rules applied to every URL. */
    public UrlRewriter rewriter() {
        return transport.rewriter();
    }

    /**
     * The body of {@code url}, in memory; for small documents.
     *
     * @throws FetchException when the server cannot be reached, answers with an error status, or
     *     sends more than {@code maxBytes}
     */
    public byte[] fetchBytes(URI url, long maxBytes) throws FetchException {
        MemorySink sink = new MemorySink();
        get(transport, url, Map.of(), sink, maxBytes, null);
        return sink.bytes();
    }

    /** The body of {@code url} as UTF-8 text, at most {@link #SMALL_DOCUMENT_LIMIT} bytes. */
    public String fetchText(URI url) throws FetchException {
        return new String(fetchBytes(url, SMALL_DOCUMENT_LIMIT), StandardCharsets.UTF_8);
    }

    /**
     * Downloads {@code url} into {@code target}, creating or truncating it. The caller owns
     * {@code target}: it should be a temporary name, renamed only once the content is verified
     * (as {@link DownloadCache} does). On failure {@code target} may hold part of the body.
     *
     * @return the number of bytes written
     * @throws FetchException on network or HTTP failure after the retries are spent
     * @throws IOException when {@code target} cannot be written
     */
    public long download(URI url, Path target, ProgressListener progress) throws IOException {
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            transport.get(url, Map.of(), new FileSink(ch), settings.maxBytes(), progress, null);
            ch.force(false);
            return ch.size();
        }
    }

    /** A GET into memory, whose only possible failures are network ones. */
    static HttpTransport.Response get(HttpTransport transport, URI url, Map<String, String> headers, MemorySink sink,
                                      long maxBytes, HttpTransport.StatusCheck check) throws FetchException {
        try {
            return transport.get(url, headers, sink, maxBytes, ProgressListener.NONE, check);
        } catch (FetchException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
    }

    HttpTransport transport() {
        return transport;
    }
}
