/**
 * Finds upstream releases and brings their artifacts onto the machine, verified.
 *
 * <ul>
 *   <li>Discovery: {@link dev.sysext.fetch.GitHubReleases} lists releases into a
 *       {@link dev.sysext.fetch.ReleaseIndex} (newest first, latest, newest patch per minor line),
 *       filtered by a {@link dev.sysext.fetch.ReleaseFilter}; versions are {@link dev.sysext.fetch.Version}s.</li>
 *   <li>Transport: {@link dev.sysext.fetch.HttpFetcher} applies a {@link dev.sysext.fetch.UrlRewriter}
 *       to every URL and redirect hop, retries, resumes, limits size and reports progress
 *       ({@link dev.sysext.fetch.HttpSettings}, {@link dev.sysext.fetch.ProgressListener}).</li>
 *   <li>Verification: {@link dev.sysext.fetch.ChecksumFile} and {@link dev.sysext.fetch.Checksum};
 *       OpenPGP with {@link dev.sysext.fetch.TrustedKeys} and {@link dev.sysext.fetch.TrustAnchor}.</li>
 *   <li>Artifacts: {@link dev.sysext.fetch.ArtifactFetcher} downloads an
 *       {@link dev.sysext.fetch.ArtifactRequest} into a {@link dev.sysext.fetch.DownloadCache} and returns a
 *       {@link dev.sysext.fetch.VerifiedArtifact} only when every {@link dev.sysext.fetch.Verification} passes.</li>
 * </ul>
 *
 * <p>Failures: {@link dev.sysext.fetch.FetchException} (network, HTTP; {@link dev.sysext.fetch.RateLimitException}
 * for GitHub's rate limit) and {@link dev.sysext.fetch.VerificationException} (checksums, signatures). Both
 * extend {@link java.io.IOException} and name the URL or file and what did not match.
 */
package dev.sysext.fetch;
