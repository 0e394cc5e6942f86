package dev.sysext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sysext.fetch.testing.LoopbackServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A download cache on a full disk (a 1 MiB tmpfs): the error names the file being written. */
class DiskFullTest {
    @TempDir
    Path dir;

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    @Test
    void fullCacheDiskNamesThePartialFile() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("small"));
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt.toString()) == 0,
                "cannot mount a tmpfs here (needs root)");
        try (LoopbackServer server = LoopbackServer.start()) {
            byte[] body = new byte[3 << 20];
            new Random(2).nextBytes(body);
            server.file("/f", body);
            URI url = server.uri("/f");
            HttpFetcher fetcher = new HttpFetcher(HttpFetcherTest.fastSettings(), UrlRewriter.of(List.of()));
            DownloadCache cache = new DownloadCache(mnt);
            IOException e = assertThrows(IOException.class, () -> cache.obtain(url, "f.tar.gz",
                    tmp -> fetcher.downloadResuming(url, tmp, ProgressListener.NONE), c -> { }));
            Path partial = cache.pathFor(url, "f.tar.gz").resolveSibling(".f.tar.gz.partial");
            assertEquals(partial + ": No space left on device", e.getMessage());
        } finally {
            run("umount", mnt.toString());
        }
    }
}
