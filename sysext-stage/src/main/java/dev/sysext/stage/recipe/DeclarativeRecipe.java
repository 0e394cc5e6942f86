package dev.sysext.stage.recipe;

import dev.sysext.fetch.ArtifactRequest;
import dev.sysext.fetch.Checksum;
import dev.sysext.fetch.ChecksumFile;
import dev.sysext.fetch.ClearSignedText;
import dev.sysext.fetch.Evidence;
import dev.sysext.fetch.FetchException;
import dev.sysext.fetch.HashAlgorithm;
import dev.sysext.fetch.HttpFetcher;
import dev.sysext.fetch.Release;
import dev.sysext.fetch.ReleaseAsset;
import dev.sysext.fetch.ReleaseIndex;
import dev.sysext.fetch.SignatureCheck;
import dev.sysext.fetch.TrustedKeys;
import dev.sysext.fetch.Verification;
import dev.sysext.fetch.VerificationException;
import dev.sysext.fetch.VerifiedArtifact;
import dev.sysext.fetch.Version;
import dev.sysext.stage.Architecture;
import dev.sysext.stage.BuildInput;
import dev.sysext.stage.ImageTree;
import dev.sysext.stage.Payload;
import dev.sysext.stage.Recipe;
import dev.sysext.stage.StageException;
import dev.sysext.stage.Upstream;
import dev.sysext.stage.internal.recipe.RecipeParser;
import dev.sysext.stage.internal.recipe.VersionSources;
import dev.sysext.stage.internal.recipe.ZipStaging;
import dev.sysext.stage.recipe.RecipeDefinition.Check;
import dev.sysext.stage.recipe.RecipeDefinition.Input;
import dev.sysext.stage.recipe.RecipeDefinition.KeySet;
import dev.sysext.stage.recipe.RecipeDefinition.Placement;
import dev.sysext.stage.recipe.RecipeDefinition.StaticFile;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A recipe written as data ({@code recipe.toml} and {@code files/}, see {@link RecipeDefinition}):
 * one implementation of the {@link Recipe} SPI for every download recipe. Building follows
 * {@code ImageBuilder}'s shape: every input is resolved, fetched and verified in declaration order
 * before anything is laid out; then inputs and static files are laid out in declaration order, so
 * the image depends only on the recipe and the artifacts.
 *
 * <pre>{@code
 * Recipe recipe = DeclarativeRecipe.load(Path.of("recipes/docker-compose"));
 * BuiltImage image = new ImageBuilder(upstream).build(new BuildRequest(recipe, ...));
 * }</pre>
 */
public final class DeclarativeRecipe implements Recipe {
    private final RecipeDefinition definition;

    private DeclarativeRecipe(RecipeDefinition definition) {
        this.definition = definition;
    }

    /**
     * Reads the recipe at {@code path}: a directory holding {@code recipe.toml} and {@code files/},
     * or the {@code recipe.toml} itself.
     *
     * @throws RecipeException listing every problem with file, line and key
     * @throws IOException when the files cannot be read
     */
    public static DeclarativeRecipe load(Path path) throws IOException {
        return new DeclarativeRecipe(RecipeParser.parse(path));
    }

    /** The recipe as read. */
    public RecipeDefinition definition() {
        return definition;
    }

    @Override
    public String name() {
        return definition.name();
    }

    @Override
    public String description() {
        return definition.description();
    }

    /** Each input and how it is verified: {@code containerd: gnu checksum file; runc: ...}. */
    @Override
    public String verification() {
        return String.join("; ", definition.inputs().stream().map(i -> i.name() + ": " + i.describeVerification())
                .toList());
    }

    /**
     * The versions upstream offers that the recipe can build: those for which it has inputs (a recipe
     * whose inputs stop at a version range lists nothing beyond it, and builds the newest it can).
     */
    @Override
    public ReleaseIndex releases(Upstream upstream) throws IOException {
        Architecture first = definition.architectures().keySet().stream().sorted().findFirst().orElseThrow();
        ReleaseIndex all = VersionSources.list(definition.versions(), Map.of("arch",
                definition.architectures().get(first)), upstream);
        return ReleaseIndex.of(all.newestFirst().stream().filter(r -> definition.inputs().stream()
                .anyMatch(i -> i.versions().contains(r.version()))).toList());
    }

    @Override
    public Payload prepare(Version version, Architecture architecture, Upstream upstream) throws IOException {
        return prepare(version, architecture, upstream, Map.of());
    }

    @Override
    public Payload prepare(Version version, Architecture architecture, Upstream upstream,
                           Map<String, String> inputVersions) throws IOException {
        String arch = definition.architectures().get(architecture);
        if (arch == null) {
            throw new StageException(name() + " is not built for " + architecture + " (the recipe lists "
                    + String.join(", ", definition.architectures().keySet().stream().sorted()
                    .map(Architecture::systemdName).toList()) + ")");
        }
        Map<String, String> base = variables(version.toString(), tag(version), arch, architecture);
        Map<String, TrustedKeys> keys = new HashMap<>();
        List<Evidence> evidence = new ArrayList<>();
        List<BuildInput> built = new ArrayList<>();
        List<Path> paths = new ArrayList<>();
        List<Input> used = definition.inputs().stream().filter(i -> i.versions().contains(version)).toList();
        if (used.isEmpty()) {
            throw new StageException(name() + " " + version + ": the recipe has no input for this version");
        }
        // First every input's own version: a version upstream does not have shows here, before any download.
        List<String> versions = new ArrayList<>();
        for (Input in : used) {
            if (in.version().isEmpty()) {
                versions.add(version.toString());
                continue;
            }
            String pinned = inputVersions.get(in.name());
            if (pinned != null) {
                versions.add(pinned);
                evidence.add(Evidence.derivedVersion(in.name(), pinned, "recorded in the build manifest being rebuilt"));
            } else {
                VersionSources.Resolved r = VersionSources.resolve(in.version().get(), base, upstream,
                        name() + " has no release " + tag(version) + "; see `sysext list " + name() + "`;");
                versions.add(r.version());
                evidence.add(Evidence.derivedVersion(in.name(), r.version(), r.origin()));
            }
        }
        boolean first = true;
        for (int n = 0; n < used.size(); n++) {
            Input in = used.get(n);
            String inVersion = versions.get(n);
            Map<String, String> values = in.version().isPresent()
                    ? variables(inVersion, inVersion, arch, architecture) : base;
            URI url = URI.create(in.url().render(values));
            String fileName = ArtifactRequest.of(url).fileName();
            Map<String, String> checkValues = new HashMap<>(values);
            checkValues.put("url", url.toString());
            checkValues.put("file", fileName);
            String noBuild = in.name() + " " + inVersion + " has no build for " + architecture;
            Path path;
            List<Evidence> checked = List.of();
            boolean verified = !in.unverified();
            if (first && upstream.hasLocalRelease()) {
                // --from replaces the first input: checked against --sha256 only, nothing fetched for it.
                VerifiedArtifact a = upstream.fetchRelease(new ArtifactRequest(url, fileName, List.of()));
                evidence.addAll(a.evidence());
                verified = a.evidence().stream().allMatch(Evidence::verified);
                path = a.path();
                checked = a.evidence();
            } else if (!verified) {
                path = fetch(() -> upstream.fetchUnverified(in.name(), url), url, noBuild, in);
                evidence.add(Evidence.unverified(url.toString(), "upstream publishes no checksum or signature;"
                        + " allowed by --allow-unverified", Optional.empty()));
            } else {
                ArtifactRequest request = new ArtifactRequest(url, fileName, List.of());
                // Checksum files this recipe reads itself, by the hash they give, to report them as such.
                Map<Checksum, Optional<SignatureCheck>> fromFiles = new HashMap<>();
                for (Check c : in.verify()) {
                    Verification v = verification(c, in, url, checkValues, keys, upstream, noBuild, fromFiles,
                            in.verify().size() > 1);
                    if (v != null) {
                        request = request.verifiedBy(v);
                    }
                }
                ArtifactRequest req = request;
                boolean release = first;
                VerifiedArtifact a = fetch(() -> release ? upstream.fetchRelease(req) : upstream.fetch(req), url,
                        noBuild, in);
                for (Evidence e : a.evidence()) {
                    Optional<Checksum> sum = e.checksum();
                    evidence.add(e.kind() == Evidence.Kind.PINNED_DIGEST && sum.isPresent() && fromFiles.containsKey(sum.get())
                            ? Evidence.checksumFile(e.subject(), sum.get(), fromFiles.get(sum.get())) : e);
                }
                path = a.path();
                checked = a.evidence();
            }
            built.add(new BuildInput(in.name(), inVersion, url, sha256(checked, path), verified));
            paths.add(path);
            first = false;
        }
        return new DeclarativePayload(definition, used, version, base, paths, evidence, built);
    }

    /**
     * The SHA-256 of {@code file}: the one a check of this very file just matched, if a check was by
     * SHA-256 (every such check hashed the file as it is at {@code file}), else hashed here. Spares
     * reading the release archive a second time.
     */
    private static String sha256(List<Evidence> checked, Path file) throws IOException {
        for (Evidence e : checked) {
            Optional<Checksum> sum = e.checksum();
            if (e.verified() && sum.isPresent() && sum.get().algorithm() == HashAlgorithm.SHA256) {
                return sum.get().hex();
            }
        }
        return Checksum.hash(HashAlgorithm.SHA256, file);
    }

    /** {@code {prefix}VERSION} for GitHub releases, else the version. */
    private String tag(Version version) {
        return definition.versions() instanceof RecipeDefinition.GitHubReleases g ? g.prefix() + version : version.toString();
    }

    private Map<String, String> variables(String version, String tag, String arch, Architecture architecture) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("name", name());
        m.put("version", version);
        m.put("tag", tag);
        Optional<Version> v = Version.tryParse(version);
        m.put("major", v.map(x -> Long.toString(x.major())).orElse(""));
        m.put("minor", v.map(x -> Long.toString(x.minor())).orElse(""));
        m.put("arch", arch);
        m.put("systemd-arch", architecture.systemdName());
        definition.archNames().forEach((variable, names) -> m.put(variable, names.get(architecture)));
        return m;
    }

    @FunctionalInterface
    private interface Fetch<T> {
        T get() throws IOException;
    }

    /** A missing artifact means upstream has no such build; a missing signature is a verification failure. */
    private static <T> T fetch(Fetch<T> fetch, URI url, String noBuild, Input in) throws IOException {
        try {
            return fetch.get();
        } catch (FetchException e) {
            if (!isNotFound(e) || e.url().isEmpty()) {
                throw e;
            }
            if (e.url().get().equals(url)) {
                throw new StageException(noBuild + " (" + url + " is not there)", e);
            }
            throw new VerificationException(e.url().get() + ": not found (HTTP 404); " + in.name()
                    + " is never used without it", e);
        }
    }

    private static boolean isNotFound(FetchException e) {
        return e.status().isPresent() && e.status().getAsInt() == 404;
    }

    /** The check {@code c} as a verification of the download, or null when it is skipped (see github-digest). */
    private Verification verification(Check c, Input in, URI url, Map<String, String> values,
                                       Map<String, TrustedKeys> keys, Upstream upstream, String noBuild,
                                       Map<Checksum, Optional<SignatureCheck>> fromFiles, boolean othersCheck)
            throws IOException {
        if (c instanceof RecipeDefinition.ChecksumFile f) {
            URI sums = URI.create(f.url().render(values));
            byte[] bytes;
            try {
                bytes = upstream.http().fetchBytes(sums, HttpFetcher.SMALL_DOCUMENT_LIMIT);
            } catch (FetchException e) {
                if (!isNotFound(e)) {
                    throw e;
                }
                // A per-asset checksum file is published with its asset: without it there is no build.
                if (f.url().text().startsWith("{url}")) {
                    throw new StageException(noBuild + " (" + sums + " is not there)", e);
                }
                throw new VerificationException(sums + ": not found (HTTP 404); " + in.name()
                        + " is never used without its checksum", e);
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            String source = sums.toString();
            Optional<SignatureCheck> signedBy = Optional.empty();
            if (f.clearSignedBy().isPresent()) {
                ClearSignedText signed = keys(f.clearSignedBy().get(), keys, upstream).verifyClearSigned(bytes, source);
                text = signed.text();
                signedBy = Optional.of(signed.signature());
            }
            if (f.signature().isPresent()) {
                Map<String, String> v = new HashMap<>(values);
                v.put("checksums", sums.toString());
                URI sigUrl = URI.create(f.signature().get().render(v));
                byte[] sig;
                try {
                    sig = upstream.http().fetchBytes(sigUrl, HttpFetcher.SMALL_DOCUMENT_LIMIT);
                } catch (FetchException e) {
                    if (!isNotFound(e)) {
                        throw e;
                    }
                    throw new VerificationException(sigUrl + ": not found (HTTP 404); the checksums of " + in.name()
                            + " are never used without their signature", e);
                }
                signedBy = Optional.of(keys(f.signedBy().orElseThrow(), keys, upstream).verifyDetached(bytes, sig,
                        sigUrl.toString()));
            }
            String entry = f.entry().render(values);
            Checksum expected = ChecksumFile.parse(text, source).expectedFor(entry);
            fromFiles.put(expected, signedBy);
            return new Verification.Digest(expected);
        }
        if (c instanceof RecipeDefinition.Signature s) {
            return Verification.detachedSignature(URI.create(s.url().render(values)), keys(s.signedBy(), keys, upstream));
        }
        if (c instanceof RecipeDefinition.GitHubDigest) {
            String[] p = url.getPath().split("/");
            // /OWNER/REPO/releases/download/TAG/NAME
            if (!"github.com".equals(url.getHost()) || p.length != 7 || !p[3].equals("releases") || !p[4].equals("download")) {
                throw new StageException(url + ": not a GitHub release download; github-digest cannot check it");
            }
            Release release;
            try {
                release = upstream.github().release(p[1], p[2], p[5]);
            } catch (FetchException e) {
                if (isNotFound(e)) {
                    throw new StageException(noBuild + " (" + p[1] + "/" + p[2] + " has no release " + p[5] + ")", e);
                }
                throw e;
            }
            ReleaseAsset asset = release.asset(p[6]).orElseThrow(() -> new StageException(noBuild + " (release "
                    + p[5] + " of " + p[1] + "/" + p[2] + " has no asset " + p[6] + ")"));
            if (asset.digest().isEmpty() && othersCheck) {
                // GitHub reports digests only for assets uploaded since mid-2025. Beside the input's
                // other checks an absent one is skipped, so older releases still build, verified by
                // those; alone it would leave the input unchecked, so it is refused below.
                return null;
            }
            String digest = asset.digest().orElseThrow(() -> new VerificationException(url + ": the GitHub API reports"
                    + " no digest for " + p[6] + "; it cannot be verified"));
            try {
                return new Verification.Digest(Checksum.parseDigest(digest, "the GitHub API's digest of " + p[6]), true);
            } catch (IllegalArgumentException e) {
                throw new VerificationException(url + ": the GitHub API's digest '" + digest + "' is not usable", e);
            }
        }
        throw new IllegalStateException("no verification for " + c.kind());
    }

    private TrustedKeys keys(String set, Map<String, TrustedKeys> cache, Upstream upstream) throws IOException {
        TrustedKeys k = cache.get(set);
        if (k == null) {
            KeySet ks = definition.keys().get(set);
            String what = name() + " " + set + " signers";
            if (ks.keyringUrl().isPresent()) {
                k = upstream.trustedKeys(what, ks.keyringUrl().get(), ks.fingerprints());
            } else {
                Path file = definition.directory().resolve(ks.keyringFile().orElseThrow());
                k = upstream.trustedKeys(what, Files.readAllBytes(file), file.toString(), ks.fingerprints());
            }
            cache.put(set, k);
        }
        return k;
    }

    /** The verified artifacts and how the recipe lays them out. */
    private record DeclarativePayload(RecipeDefinition definition, List<Input> used, Version version,
                                      Map<String, String> values,
                                      List<Path> paths, List<Evidence> evidence, List<BuildInput> inputs)
            implements Payload {
        @Override
        public void layOut(ImageTree tree) throws IOException {
            for (int i = 0; i < used.size(); i++) {
                Input in = used.get(i);
                Path path = paths.get(i);
                if (in.archive().isEmpty()) {
                    tree.file(in.to().orElseThrow(), in.executable(), path);
                    continue;
                }
                int[] matched = new int[in.layout().size()];
                Map<String, Boolean> modes = new HashMap<>();
                Function<String, Optional<String>> mapping = member -> {
                    String stripped = strip(member, in.stripComponents());
                    if (stripped == null) {
                        return Optional.empty();
                    }
                    for (int p = 0; p < in.layout().size(); p++) {
                        Placement pl = in.layout().get(p);
                        if (pl.from().matches(stripped)) {
                            matched[p]++;
                            String target = pl.toDirectory() ? pl.to() + pl.from().below(stripped) : pl.to();
                            pl.executable().ifPresent(x -> modes.put(target, x));
                            return Optional.of(target);
                        }
                    }
                    return Optional.empty();
                };
                Function<String, Optional<Boolean>> executable = target -> Optional.ofNullable(modes.get(target));
                if (in.archive().get() == RecipeDefinition.ArchiveFormat.ZIP) {
                    ZipStaging.into(path, tree, mapping, executable);
                } else {
                    tree.tarball(path, mapping, executable);
                }
                for (int p = 0; p < matched.length; p++) {
                    if (matched[p] == 0) {
                        throw new StageException(path.getFileName() + ": no member matches '"
                                + in.layout().get(p).from().text() + "' (" + in.name() + " " + version
                                + "; is it the archive the recipe expects?)");
                    }
                }
            }
            for (StaticFile f : definition.files()) {
                if (!f.versions().contains(version)) {
                    continue;
                }
                Path source = definition.directory().resolve(RecipeDefinition.FILES_DIRECTORY).resolve(f.source());
                byte[] content = Files.readAllBytes(source);
                if (f.template()) {
                    content = Template.parse(new String(content, StandardCharsets.UTF_8), values.keySet())
                            .render(values).getBytes(StandardCharsets.UTF_8);
                }
                tree.file(f.to(), f.executable(), content);
            }
            for (RecipeDefinition.Link l : definition.links()) {
                if (l.versions().contains(version)) {
                    tree.symlink(l.path(), l.target());
                }
            }
        }

        /** {@code member} without its first {@code n} components, or null when it has no more. */
        private static String strip(String member, int n) {
            String s = member;
            for (int i = 0; i < n; i++) {
                int slash = s.indexOf('/');
                if (slash < 0) {
                    return null;
                }
                s = s.substring(slash + 1);
            }
            return s.isEmpty() ? null : s;
        }
    }
}
