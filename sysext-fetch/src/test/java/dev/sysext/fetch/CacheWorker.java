package dev.sysext.fetch;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** A separate process sharing a cache, for {@link DownloadCacheTest}: CACHE_DIR REWRITE_RULE URL SHA256. */
public final class CacheWorker {
    private CacheWorker() {
    }

    public static void main(String[] args) throws Exception {
        HttpFetcher fetcher = new HttpFetcher(HttpSettings.defaults(), UrlRewriter.of(List.of(args[1])));
        VerifiedArtifact a = new ArtifactFetcher(fetcher, new DownloadCache(Path.of(args[0])))
                .fetch(ArtifactRequest.of(URI.create(args[2])).verifiedBy(Verification.sha256(args[3], "test")),
                        ProgressListener.NONE);
        System.out.println(a.path());
    }
}
