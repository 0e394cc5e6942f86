package dev.sysext.cli;

import dev.sysext.fetch.testing.FakeGitHub;
import dev.sysext.fetch.testing.LoopbackServer;
import dev.sysext.fetch.testing.TestArchive;
import dev.sysext.fetch.testing.TestKey;
import dev.sysext.stage.Architecture;
import dev.sysext.stage.recipe.MemberGlob;
import dev.sysext.stage.recipe.RecipeDefinition;
import dev.sysext.stage.recipe.RecipeDefinition.Check;
import dev.sysext.stage.recipe.RecipeDefinition.Input;
import dev.sysext.stage.recipe.RecipeDefinition.Placement;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Publishes on a loopback upstream everything a catalog recipe needs for one version, synthesized
 * from the recipe itself: the release (with a pre-release and a draft of a higher version that must
 * be ignored, and a newer release beyond the recipe's version ranges, if it has any) or the HashiCorp API answer or listing page that names the version; every input for
 * every architecture at its real URL, as an archive with the member paths the layout expects or a
 * single file, each "binary" a shell script printing the recipe's name and the version; checksum
 * files in the declared format (entries of aggregated files gathered), clear-signed or with a
 * detached signature by {@link #key} where the recipe says so; detached signatures; documents that
 * pin an input's version. GitHub release assets carry the API's digest. One {@link Fault} can be
 * injected into one input's verification.
 */
final class CatalogFixtures {
    /** What to break. */
    enum Fault {
        /** Everything as upstream publishes it. */
        NONE,
        /** The artifact differs from what its checksum, signature or digest describes. */
        TAMPERED,
        /** The checksum file names another hash. */
        WRONG_CHECKSUM,
        /** The signature (detached, or of the checksum file) is by a key that is not trusted. */
        FOREIGN_SIGNATURE,
        /** The checksum file has no entry for the artifact. */
        MISSING_ENTRY
    }

    /** The version documents pin for inputs with a version of their own. */
    static final String INPUT_VERSION = "v1.0.1";

    final FakeGitHub github;
    final TestKey key;
    final TestKey stranger = TestKey.generate("not trusted <stranger@example.org>");
    private final Map<String, FakeGitHub.Release> releases = new HashMap<>();
    private final Map<URI, Sums> sums = new LinkedHashMap<>();

    private record Sums(RecipeDefinition.ChecksumFile check, Map<String, String> values, List<String> lines,
                        boolean foreign) {
    }

    CatalogFixtures(FakeGitHub github, TestKey key) {
        this.github = github;
        this.key = key;
    }

    /** The options that send every upstream URL to the fake. */
    List<String> rewriteOptions() {
        List<String> out = new ArrayList<>();
        for (String rule : github.rewriteRules()) {
            out.add("--rewrite-url");
            out.add(rule);
        }
        return out;
    }

    /** What the binaries print. */
    static String banner(RecipeDefinition d, String version) {
        return d.name() + " fixture " + version;
    }

    /**
     * Publishes {@code version} of {@code d}, with {@code fault} in check {@code faultCheck} of input
     * {@code faultInput} (ignored with {@link Fault#NONE}).
     */
    void publish(RecipeDefinition d, String version, Fault fault, int faultInput, int faultCheck) {
        String tag = version;
        if (d.versions() instanceof RecipeDefinition.GitHubReleases g) {
            tag = g.prefix() + version;
            release(g.owner(), g.repo(), tag);
            // Decoys a correct recipe never picks: a newer pre-release and a newer draft.
            github.release(g.owner(), g.repo(), g.prefix() + "99.0.0-rc.1").prerelease();
            github.release(g.owner(), g.repo(), g.prefix() + "99.1.0").draft();
            // A newer release the recipe has no inputs for (its inputs stop at a version range) must be ignored too.
            if (d.inputs().stream().noneMatch(i -> i.versions().contains(dev.sysext.fetch.Version.parse("999.0.0")))) {
                github.release(g.owner(), g.repo(), g.prefix() + "999.0.0");
            }
        }
        List<String> fileNames = new ArrayList<>();
        for (Map.Entry<Architecture, String> arch : d.architectures().entrySet()) {
            Map<String, String> base = values(d, version, tag, arch.getValue(), arch.getKey());
            for (int i = 0; i < d.inputs().size(); i++) {
                Input in = d.inputs().get(i);
                if (!in.versions().contains(dev.sysext.fetch.Version.parse(version))) {
                    continue;
                }
                Map<String, String> values = base;
                if (in.version().isPresent()) {
                    String own = inputVersion(in.version().get());
                    values = values(d, own, own, arch.getValue(), arch.getKey());
                    publishInputVersion(in.version().get(), own, base);
                }
                URI url = URI.create(in.url().render(values));
                String file = url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
                fileNames.add(file);
                byte[] artifact = artifact(d, in, version);
                boolean faulty = fault != Fault.NONE && i == faultInput;
                Map<String, String> checkValues = new HashMap<>(values);
                checkValues.put("url", url.toString());
                checkValues.put("file", file);
                for (int c = 0; c < in.verify().size(); c++) {
                    check(in.verify().get(c), artifact, checkValues, faulty && c == faultCheck ? fault : Fault.NONE);
                }
                byte[] served = artifact;
                if (faulty && fault == Fault.TAMPERED) {
                    served = artifact.clone();
                    served[served.length / 2] ^= 0x20;
                }
                serve(url, served, faulty && fault == Fault.TAMPERED ? artifact : served);
            }
        }
        for (Map.Entry<URI, Sums> e : sums.entrySet()) {
            writeSums(e.getKey(), e.getValue());
        }
        if (d.versions() instanceof RecipeDefinition.HashiCorpReleases h) {
            // Decoys: a newer pre-release and a newer enterprise build, which are not releases of the product.
            String json = "[{\"version\":\"99.0.0-rc1\",\"is_prerelease\":true,\"license_class\":\"oss\"},"
                    + "{\"version\":\"98.0.0+ent\",\"is_prerelease\":false,\"license_class\":\"enterprise\"},"
                    + "{\"version\":\"" + version + "\",\"is_prerelease\":false,\"license_class\":\"oss\"}]";
            github.hostFile(URI.create("https://api.releases.hashicorp.com/v1/releases/" + h.product()),
                    json.getBytes(StandardCharsets.UTF_8));
        } else if (d.versions() instanceof RecipeDefinition.Listing l) {
            Architecture first = d.architectures().keySet().stream().sorted().findFirst().orElseThrow();
            StringBuilder page = new StringBuilder("<html><body><pre>\n");
            for (String f : fileNames) {
                page.append("<a href=\"").append(f).append("\">").append(f).append("</a>\n");
            }
            page.append("</pre></body></html>\n");
            github.hostFile(URI.create(l.url().render(Map.of("arch", d.architectures().get(first)))),
                    page.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The version an input with its own version gets: as a document pins it, or as a tag of its repository. */
    static String inputVersion(RecipeDefinition.VersionSource source) {
        if (source instanceof RecipeDefinition.GitHubReleases g) {
            String tag = g.prefix() + "1.0.1";
            if (!g.tagPattern().matcher(tag).matches()) {
                throw new IllegalArgumentException("no fixture tag for " + g.describe() + ": " + tag);
            }
            return tag;
        }
        if (source instanceof RecipeDefinition.Document doc && !doc.pattern().matcher(INPUT_VERSION).find()) {
            return INPUT_VERSION.substring(1);
        }
        return INPUT_VERSION;
    }

    private void publishInputVersion(RecipeDefinition.VersionSource source, String own, Map<String, String> base) {
        if (source instanceof RecipeDefinition.Document doc) {
            serve(URI.create(doc.url().render(base)), (own + "\n").getBytes(StandardCharsets.UTF_8), null);
        } else if (source instanceof RecipeDefinition.GitHubReleases g) {
            release(g.owner(), g.repo(), own);
        } else {
            throw new IllegalArgumentException("no fixture for an input version from " + source.describe());
        }
    }

    private static Map<String, String> values(RecipeDefinition d, String version, String tag, String arch,
                                              Architecture architecture) {
        Map<String, String> m = new HashMap<>();
        m.put("name", d.name());
        m.put("version", version);
        m.put("tag", tag);
        String[] parts = version.replaceFirst("^v", "").split("[.-]");
        m.put("major", parts[0]);
        m.put("minor", parts.length > 1 ? parts[1] : "0");
        m.put("arch", arch);
        m.put("systemd-arch", architecture.systemdName());
        d.archNames().forEach((variable, names) -> m.put(variable, names.get(architecture)));
        return m;
    }

    /** The input's bytes: a script, or an archive holding one member per layout entry (and the smoke binary). */
    static byte[] artifact(RecipeDefinition d, Input in, String version) {
        String script = "#!/bin/sh\necho \"" + banner(d, version) + " " + in.name() + "\"\n";
        if (in.archive().isEmpty()) {
            return script.getBytes(StandardCharsets.UTF_8);
        }
        TestArchive archive = new TestArchive();
        String top = "";
        for (int i = 0; i < in.stripComponents(); i++) {
            top += "strip" + i + "/";
            archive.directory(top);
        }
        Optional<String> smoke = d.check().flatMap(c -> c.command().stream().findFirst());
        java.util.Set<String> members = new java.util.LinkedHashSet<>();
        for (Placement p : in.layout()) {
            String member = member(p, smoke);
            if (members.contains(member)) {
                // An earlier entry already takes that member (a literal before a glob): make another.
                member = member(p, Optional.empty());
            }
            members.add(member);
            // The programs the recipe's units start are members too, where a glob entry would place them.
            for (String used : referencedPaths(d)) {
                if (p.toDirectory() && !p.from().isLiteral() && used.startsWith(p.to())) {
                    String candidate = p.from().fixedPrefix() + used.substring(p.to().length());
                    if (p.from().matches(candidate) && placedBy(in, candidate) == p) {
                        members.add(candidate);
                    }
                }
            }
        }
        for (String member : members) {
            Placement p = placedBy(in, member);
            String target = p == null ? "" : p.toDirectory() ? p.to() + p.from().below(member) : p.to();
            // A member that lands among the units must be a unit, or systemd-analyze rightly refuses it.
            String content = target.startsWith("usr/lib/systemd/system/")
                    ? "[Unit]\nDescription=" + banner(d, version) + "\n\n[Service]\nExecStart=/bin/true\n" : script;
            archive.file(top + member, 0755, content);
        }
        return archive.bytes(in.archive().get().key());
    }

    /** The layout entry that places {@code member}: the first that matches, as the recipe engine decides. */
    private static Placement placedBy(Input in, String member) {
        return in.layout().stream().filter(p -> p.from().matches(member)).findFirst().orElse(null);
    }

    /** Absolute paths under /usr and /opt in the Exec*= lines of the recipe's units: the programs they run. */
    static java.util.Set<String> referencedPaths(RecipeDefinition d) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        java.util.regex.Pattern path = java.util.regex.Pattern.compile("(?<![\\w.$/-])/((?:usr|opt)/[A-Za-z0-9._+/-]*[A-Za-z0-9_+-])");
        for (RecipeDefinition.StaticFile f : d.files()) {
            try {
                String text = java.nio.file.Files.readString(d.directory().resolve(RecipeDefinition.FILES_DIRECTORY)
                        .resolve(f.source()));
                for (String line : text.lines().filter(l -> l.startsWith("Exec")).toList()) {
                    java.util.regex.Matcher m = path.matcher(line);
                    while (m.find()) {
                        out.add(m.group(1));
                    }
                }
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                throw new IllegalStateException(f.source() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** A member the placement takes: the one that becomes the smoke binary when it can, else one its glob matches. */
    static String member(Placement p, Optional<String> smoke) {
        MemberGlob g = p.from();
        if (g.isLiteral()) {
            return g.text();
        }
        if (smoke.isPresent() && p.toDirectory() && smoke.get().startsWith(p.to())) {
            String candidate = g.fixedPrefix() + smoke.get().substring(p.to().length());
            if (g.matches(candidate)) {
                return candidate;
            }
        }
        String m = g.text().replace("**", "fixture").replace("*", "fixture").replace("?", "x")
                .replaceAll("\\[!?([^\\]])[^\\]]*\\]", "$1");
        if (!g.matches(m)) {
            throw new IllegalArgumentException("cannot make a member for the glob " + g.text());
        }
        return m;
    }

    private void check(Check c, byte[] artifact, Map<String, String> values, Fault fault) {
        String hex = LoopbackServer.sha256(artifact);
        if (c instanceof RecipeDefinition.ChecksumFile f) {
            URI url = URI.create(f.url().render(values));
            String entry = f.entry().render(values);
            Sums s = sums.computeIfAbsent(url, u -> new Sums(f, values, new ArrayList<>(), false));
            if (fault == Fault.FOREIGN_SIGNATURE) {
                s = new Sums(f, s.values(), s.lines(), true);
                sums.put(url, s);
            }
            if (fault == Fault.MISSING_ENTRY) {
                s.lines().add(line(f.format(), LoopbackServer.sha256(new byte[] {1}), "other-" + entry));
            } else {
                s.lines().add(line(f.format(), fault == Fault.WRONG_CHECKSUM ? "ab".repeat(32) : hex, entry));
            }
        } else if (c instanceof RecipeDefinition.Signature s) {
            URI url = URI.create(s.url().render(values));
            TestKey signer = fault == Fault.FOREIGN_SIGNATURE ? stranger : key;
            serve(url, signer.signDetached(artifact, url.getPath().endsWith(".asc")), null);
        }
    }

    private static String line(RecipeDefinition.ChecksumFormat format, String hex, String entry) {
        return switch (format) {
            case GNU -> hex + "  " + entry;
            case BSD -> "SHA256 (" + entry + ") = " + hex;
            case BARE -> hex;
        };
    }

    private void writeSums(URI url, Sums s) {
        List<String> lines = s.lines().stream().distinct().toList();
        if (s.check().format() == RecipeDefinition.ChecksumFormat.BARE && lines.size() != 1) {
            throw new IllegalStateException(url + ": a bare checksum file holds one hash, the recipe puts "
                    + lines.size() + " in it");
        }
        String text = String.join("\n", lines) + "\n";
        TestKey signer = s.foreign() ? stranger : key;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (s.check().clearSignedBy().isPresent()) {
            bytes = signer.clearSign(text);
        }
        serve(url, bytes, null);
        if (s.check().signature().isPresent()) {
            Map<String, String> v = new HashMap<>(s.values());
            v.put("checksums", url.toString());
            URI sig = URI.create(s.check().signature().get().render(v));
            serve(sig, signer.signDetached(bytes, sig.getPath().endsWith(".asc")), null);
        }
    }

    /**
     * Serves {@code content} at {@code url}: a GitHub release asset (whose API digest is that of
     * {@code digestOf}, or none when null), a raw.githubusercontent.com file, or a file of another host.
     */
    private void serve(URI url, byte[] content, byte[] digestOf) {
        String[] p = url.getPath().split("/");
        if ("github.com".equals(url.getHost()) && p.length == 7 && p[3].equals("releases") && p[4].equals("download")) {
            FakeGitHub.Release r = release(p[1], p[2], p[5]);
            r.assetWithDigest(p[6], content, "sha256:" + LoopbackServer.sha256(digestOf == null ? content : digestOf));
        } else if ("raw.githubusercontent.com".equals(url.getHost())) {
            github.rawFile(url.getPath().substring(1), content);
        } else {
            github.hostFile(url, content);
        }
    }

    private FakeGitHub.Release release(String owner, String repo, String tag) {
        return releases.computeIfAbsent(owner + "/" + repo + "@" + tag, k -> github.release(owner, repo, tag));
    }

    /** The unit files a recipe ships: static files under usr/lib/systemd/system. */
    static List<String> units(RecipeDefinition d, String version) {
        dev.sysext.fetch.Version v = dev.sysext.fetch.Version.parse(version);
        return d.files().stream().filter(f -> f.versions().contains(v))
                .map(RecipeDefinition.StaticFile::to).filter(t -> t.startsWith("usr/lib/systemd/system/")).toList();
    }

    /** Whether {@code d} uses {@code kind} anywhere. */
    static boolean uses(RecipeDefinition d, String kind) {
        return d.inputs().stream().anyMatch(i -> i.verify().stream().anyMatch(c -> c.kind().equals(kind)));
    }
}
