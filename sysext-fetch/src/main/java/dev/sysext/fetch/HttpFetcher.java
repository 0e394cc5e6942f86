package dev.sysext.fetch;

import dev.sysext.fetch.internal.http.FileSink;
import dev.sysext.fetch.internal.http.HttpTransport;
import dev.sysext.fetch.internal.http.MemorySink;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Fetches URLs over HTTP(S) with the project's {@link UrlRewriter} applied to every URL it requests,
 * including each redirect it follows. Redirects, timeouts, retries with backoff, resumption with
 * {@code Range}, a size limit and progress reporting come with every request, through the proxies of
 * {@link HttpSettings#proxies()} (e.g. {@link ProxySettings#fromEnvironment}). Thread-safe.
 */
public final class HttpFetcher {
    /** Limit for small documents (checksum files, signatures, keyrings, raw files): 16 MiB. */
    public static final long SMALL_DOCUMENT_LIMIT = 16L << 20;

    private final HttpSettings settings;
    private final HttpTransport transport;

    /** The suffix of the file beside a partial download that holds its validator. */
    static final String VALIDATOR_SUFFIX = ".validator";

    /** A fetcher with these settings and rewrite rules. */
    public HttpFetcher(HttpSettings settings, UrlRewriter rewriter) {
        this(settings, rewriter, null);
    }

    /** A fetcher whose TLS connections trust what {@code tls} trusts (for tests with their own certificate). */
    HttpFetcher(HttpSettings settings, UrlRewriter rewriter, SSLContext tls) {
        this.settings = settings;
        this.transport = new HttpTransport(settings, rewriter, tls);
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
            transport.get(url, Map.of(), new FileSink(ch, target), settings.maxBytes(), progress, null);
            force(ch, target);
            return ch.size();
        }
    }

    /**
     * Downloads {@code url} into {@code target}, continuing the body that an interrupted earlier call
     * left there. The validator of the response that started the body ({@code ETag}, else
     * {@code Last-Modified}) is kept beside it, in {@code target}'s name plus {@code .validator};
     * the next call asks for the rest with {@code Range} and {@code If-Range}, and starts over when
     * the server's copy changed or no validator was recorded. The caller still verifies the whole
     * file, and deletes both files when it is done with them.
     *
     * @return the number of bytes in {@code target}
     * @throws FetchException on network or HTTP failure after the retries are spent
     * @throws IOException when {@code target} cannot be written
     */
    public long downloadResuming(URI url, Path target, ProgressListener progress) throws IOException {
        return downloadResuming(url, target, progress, List.of());
    }

    /**
     * As {@link #downloadResuming(URI, Path, ProgressListener)}, and hashes the file while writing it:
     * each of {@code digests} (fresh ones) ends up updated with every byte of {@code target}, from
     * byte 0, the part an earlier call left included, so that a check of the download needs no
     * second pass over the file. When this throws, the digests are undefined.
     *
     * @return the number of bytes in {@code target}
     * @throws FetchException on network or HTTP failure after the retries are spent
     * @throws IOException when {@code target} cannot be written
     */
    public long downloadResuming(URI url, Path target, ProgressListener progress, List<MessageDigest> digests)
            throws IOException {
        Path state = target.resolveSibling(target.getFileName() + VALIDATOR_SUFFIX);
        HttpTransport.Resumption resume = new HttpTransport.Resumption() {
            @Override
            public String validator() throws IOException {
                if (!Files.isRegularFile(state)) {
                    return null;
                }
                String v = Files.readString(state, StandardCharsets.UTF_8).strip();
                return v.isEmpty() ? null : v;
            }

            @Override
            public void started(String validator) throws IOException {
                if (validator == null) {
                    Files.deleteIfExists(state);
                } else {
                    try {
                        Files.writeString(state, validator + "\n", StandardCharsets.UTF_8);
                    } catch (FileSystemException e) {
                        throw e;
                    } catch (IOException e) {
                        FileSystemException f = new FileSystemException(state.toString(), null, e.getMessage());
                        f.initCause(e);
                        throw f;
                    }
                }
            }
        };
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.position(ch.size());
            FileSink sink = new FileSink(ch, target, digests);
            transport.get(url, Map.of(), sink, settings.maxBytes(), progress, null, resume);
            sink.finishDigests();
            force(ch, target);
            return ch.size();
        }
    }

    private static void force(FileChannel ch, Path target) throws IOException {
        try {
            ch.force(false);
        } catch (IOException e) {
            FileSystemException f = new FileSystemException(target.toString(), null, e.getMessage());
            f.initCause(e);
            throw f;
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
