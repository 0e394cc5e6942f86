package dev.sysext.stage.internal.recipe;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.sysext.fetch.Version;
import dev.sysext.stage.Architecture;
import dev.sysext.stage.internal.ImagePaths;
import dev.sysext.stage.StageException;
import dev.sysext.stage.recipe.MemberGlob;
import dev.sysext.stage.recipe.RecipeDefinition;
import dev.sysext.stage.recipe.RecipeDefinition.ArchiveFormat;
import dev.sysext.stage.recipe.RecipeDefinition.Check;
import dev.sysext.stage.recipe.RecipeDefinition.ChecksumFormat;
import dev.sysext.stage.recipe.RecipeDefinition.Input;
import dev.sysext.stage.recipe.RecipeDefinition.KeySet;
import dev.sysext.stage.recipe.RecipeDefinition.Placement;
import dev.sysext.stage.recipe.RecipeDefinition.SmokeTest;
import dev.sysext.stage.recipe.RecipeDefinition.StaticFile;
import dev.sysext.stage.recipe.RecipeDefinition.VersionSource;
import dev.sysext.stage.recipe.RecipeException;
import dev.sysext.stage.recipe.RecipeProblem;
import dev.sysext.stage.recipe.Template;
import dev.sysext.stage.recipe.VersionRange;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * Reads a recipe directory ({@code recipe.toml} and {@code files/}) into a {@link RecipeDefinition},
 * collecting every problem (unknown key, missing key, wrong type, bad template, glob, pattern or
 * path, unused or missing static file) with its file, line and key before giving up.
 */
public final class RecipeParser {
    /** Variables of templates that describe a download of the extension's version. */
    public static final Set<String> VARIABLES = Set.of("name", "version", "tag", "major", "minor", "arch",
            "systemd-arch");
    /** Variables of verification templates: the input's URL and file name as well. */
    public static final Set<String> CHECK_VARIABLES = union(VARIABLES, Set.of("url", "file"));
    /** The default pattern of a version found in a document. */
    public static final Pattern DOCUMENT_VERSION = Pattern.compile("v?\\d+(?:\\.\\d+)+(?:-[0-9A-Za-z.]+)?");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64}");

    private final Path file;
    private final Path directory;
    private final KeyLocator locator;
    private final List<RecipeProblem> problems = new ArrayList<>();
    /** The template variables of this recipe: {@link #VARIABLES} and its [arch-names]. */
    private Set<String> known = VARIABLES;

    private RecipeParser(Path file, String text) {
        this.file = file;
        this.directory = file.toAbsolutePath().getParent();
        this.locator = new KeyLocator(text);
    }

    /**
     * Reads the recipe at {@code path}: a directory holding {@code recipe.toml}, or that file.
     *
     * @throws RecipeException listing every problem
     * @throws IOException when the files cannot be read
     */
    public static RecipeDefinition parse(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve(RecipeDefinition.FILE_NAME) : path;
        if (!Files.isRegularFile(file)) {
            throw new StageException(path + ": no such recipe (expected a directory with "
                    + RecipeDefinition.FILE_NAME + " or that file)");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        RecipeParser p = new RecipeParser(file, text);
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            throw new RecipeException(List.of(new RecipeProblem(file, at == null ? 0 : Math.max(0, at.getLineNr()), "",
                    "not valid TOML: " + e.getOriginalMessage())));
        }
        RecipeDefinition d = p.recipe(root == null ? new TomlMapper().createObjectNode() : (ObjectNode) root);
        if (!p.problems.isEmpty()) {
            throw new RecipeException(p.problems);
        }
        return d;
    }

    private RecipeDefinition recipe(ObjectNode root) throws IOException {
        Table t = new Table(root, "");
        String name = t.string("name", true).orElse("unnamed");
        if (t.has("name") && !NAME.matcher(name).matches()) {
            t.problem("name", "'" + name + "' must be letters, digits, '.', '_' or '-' (it names the image and "
                    + "its extension-release file)");
        }
        String description = t.string("description", true).orElse("");
        VersionSource versions = t.table("versions", true).map(v -> versionSource(v, false))
                .orElse(new RecipeDefinition.Listing(Template.parse("", Set.of()), Pattern.compile("")));
        Map<Architecture, String> architectures = new EnumMap<>(Architecture.class);
        t.table("architectures", true).ifPresent(a -> {
            for (String key : a.keys()) {
                Optional<Architecture> arch = Stream.of(Architecture.values())
                        .filter(x -> x.systemdName().equals(key)).findFirst();
                Optional<String> upstream = a.string(key, true);
                if (arch.isEmpty()) {
                    a.problem(key, "unknown architecture: use systemd's names, x86-64 or arm64");
                } else {
                    upstream.ifPresent(u -> architectures.put(arch.get(), u));
                }
            }
            if (a.keys().isEmpty()) {
                a.problem("", "no architecture: list at least one, e.g. x86-64 = \"amd64\"");
            }
        });
        Map<String, Map<Architecture, String>> archNames = new LinkedHashMap<>();
        t.table("arch-names", false).ifPresent(n -> {
            for (String var : n.keys()) {
                if (!Pattern.matches("[a-z][a-z0-9-]*", var) || CHECK_VARIABLES.contains(var) || var.equals("checksums")) {
                    n.problem(var, "'" + var + "' cannot name a variable: use lower-case letters, digits and '-',"
                            + " not a built-in variable");
                    continue;
                }
                n.table(var, true).ifPresent(names -> {
                    Map<Architecture, String> byArch = new EnumMap<>(Architecture.class);
                    for (String key : names.keys()) {
                        Optional<Architecture> arch = architectures.keySet().stream()
                                .filter(x -> x.systemdName().equals(key)).findFirst();
                        Optional<String> value = names.string(key, true);
                        if (arch.isEmpty()) {
                            names.problem(key, "not one of the recipe's [architectures]");
                        } else {
                            value.ifPresent(v -> byArch.put(arch.get(), v));
                        }
                    }
                    for (Architecture a : architectures.keySet()) {
                        if (!names.has(a.systemdName())) {
                            names.problem("", "missing " + a.systemdName() + " (every architecture needs a name)");
                        }
                    }
                    archNames.put(var, byArch);
                });
            }
        });
        known = union(VARIABLES, archNames.keySet());
        Map<String, KeySet> keys = new LinkedHashMap<>();
        t.table("keys", false).ifPresent(k -> {
            for (String key : k.keys()) {
                k.table(key, true).ifPresent(set -> keys.put(key, keySet(key, set)));
            }
        });
        List<Input> inputs = new ArrayList<>();
        List<Table> inputTables = t.tables("inputs", true);
        if (inputTables.isEmpty() && t.has("inputs")) {
            t.problem("inputs", "no input: a recipe downloads at least one artifact");
        }
        for (Table in : inputTables) {
            Input input = input(in, keys.keySet());
            // One name twice is fine for alternatives by version (an archive format that changed).
            boolean clash = inputs.stream().anyMatch(o -> o.name().equals(input.name())
                    && (o.versions().text().isBlank() || input.versions().text().isBlank()));
            if (clash) {
                in.problem("name", "two inputs are called '" + input.name() + "' (allowed only when both have"
                        + " 'versions', for alternatives)");
            }
            inputs.add(input);
        }
        List<StaticFile> files = new ArrayList<>();
        Set<String> targets = new HashSet<>();
        for (Table f : t.tables("files", false)) {
            StaticFile sf = staticFile(f);
            if (sf != null) {
                if (!targets.add(sf.to() + "\0" + sf.versions().text())) {
                    f.problem("to", "'" + sf.to() + "' is placed twice");
                }
                files.add(sf);
            }
        }
        unusedFiles(files);
        List<RecipeDefinition.Link> links = new ArrayList<>();
        for (Table l : t.tables("links", false)) {
            String path = l.string("path", true).orElse("usr/x");
            imagePath(l, "path", path);
            String target = l.string("target", true).orElse("x");
            if (target.isEmpty() || target.indexOf('\0') >= 0) {
                l.problem("target", "a link needs a non-empty target");
            }
            VersionRange range = range(l);
            if (!targets.add(path + "\0" + range.text())) {
                l.problem("path", "'" + path + "' is placed twice");
            }
            l.done();
            links.add(new RecipeDefinition.Link(path, target, range));
        }
        Optional<SmokeTest> check = t.table("check", false).map(c -> {
            String version = c.string("version", true).orElse("1.0.0");
            if (c.has("version") && Version.tryParse(version).isEmpty()) {
                c.problem("version", "'" + version + "' is not a version");
            }
            List<String> command = c.strings("command", false);
            List<String> present = c.strings("files", false);
            if (command.isEmpty() && present.isEmpty()) {
                c.problem(c.has("command") ? "command" : "", "give 'command' (the image path of the binary to run,"
                        + " then its arguments) or 'files' (image paths that must exist), or both");
            } else if (!command.isEmpty()) {
                imagePath(c, "command", command.get(0));
            }
            for (int i = 0; i < present.size(); i++) {
                imagePath(c, "files[" + i + "]", present.get(i));
            }
            c.done();
            return new SmokeTest(version, command, present);
        });
        t.done();
        return new RecipeDefinition(name, description, versions, architectures, archNames, keys, inputs, files, links,
                check, directory);
    }

    private VersionSource versionSource(Table v, boolean forInput) {
        String source = v.string("source", true).orElse("");
        VersionSource out;
        switch (source) {
            case "github" -> {
                String repo = v.string("repository", true).orElse("owner/repo");
                if (v.has("repository") && !REPOSITORY.matcher(repo).matches()) {
                    v.problem("repository", "'" + repo + "' is not OWNER/REPO");
                    repo = "owner/repo";
                }
                String prefix = v.string("prefix", false).orElse("");
                Pattern tags = v.string("tag-pattern", false).map(p -> pattern(v, "tag-pattern", p))
                        .orElse(Pattern.compile(Pattern.quote(prefix) + "\\d+(\\.\\d+)*([-+][0-9A-Za-z.+-]+)?"));
                boolean pre = v.bool("pre-releases", false).orElse(false);
                out = new RecipeDefinition.GitHubReleases(repo, prefix, tags, pre);
            }
            case "hashicorp" -> out = new RecipeDefinition.HashiCorpReleases(v.string("product", true).orElse("x"));
            case "listing" -> {
                Template url = v.template("url", true, Set.of("arch")).orElse(Template.parse("", Set.of()));
                Pattern p = v.string("pattern", true).map(s -> pattern(v, "pattern", s)).orElse(Pattern.compile("(x)"));
                if (p.matcher("").groupCount() < 1) {
                    v.problem("pattern", "needs a group, (...), around the version");
                }
                out = new RecipeDefinition.Listing(url, p);
            }
            case "document" -> {
                if (!forInput) {
                    v.problem("source", "'document' gives an input its own version; the extension's versions come"
                            + " from github, hashicorp or listing");
                }
                Template url = v.template("url", true, known).orElse(Template.parse("", Set.of()));
                Pattern p = v.string("pattern", false).map(s -> pattern(v, "pattern", s)).orElse(DOCUMENT_VERSION);
                out = new RecipeDefinition.Document(url, p);
            }
            default -> {
                if (v.has("source")) {
                    v.problem("source", "unknown source '" + source + "': use github, hashicorp, listing"
                            + (forInput ? " or document" : ""));
                }
                out = new RecipeDefinition.HashiCorpReleases("x");
            }
        }
        v.done();
        return out;
    }

    private KeySet keySet(String name, Table k) {
        List<String> fingerprints = k.strings("fingerprints", true);
        for (int i = 0; i < fingerprints.size(); i++) {
            if (!FINGERPRINT.matcher(fingerprints.get(i).replace(" ", "")).matches()) {
                k.problem("fingerprints[" + i + "]", "'" + fingerprints.get(i) + "' is not a 40 or 64 hex digit fingerprint");
            }
        }
        if (k.has("fingerprints") && fingerprints.isEmpty()) {
            k.problem("fingerprints", "pin at least one key");
        }
        Optional<URI> url = k.string("keyring", false).flatMap(s -> url(k, "keyring", s));
        Optional<String> bundled = k.string("keyring-file", false);
        if (url.isPresent() == bundled.isPresent() && !(k.has("keyring") && url.isEmpty())) {
            k.problem("", "give exactly one of keyring (a URL) and keyring-file (a file in the recipe directory)");
        }
        bundled.ifPresent(f -> {
            Path p = directory.resolve(f).normalize();
            if (!p.startsWith(directory) || !Files.isRegularFile(p)) {
                k.problem("keyring-file", "'" + f + "' is not a file in " + directory);
            }
        });
        k.done();
        return new KeySet(name, fingerprints.stream().map(s -> s.replace(" ", "").toUpperCase(Locale.ROOT)).toList(),
                url, bundled);
    }

    private Input input(Table in, Set<String> keySets) {
        String name = in.string("name", true).orElse("input");
        if (in.has("name") && !NAME.matcher(name).matches()) {
            in.problem("name", "'" + name + "' must be letters, digits, '.', '_' or '-'");
        }
        Optional<VersionSource> version = in.table("version", false).map(v -> versionSource(v, true));
        Optional<Template> parsedUrl = in.template("url", true, known);
        Template url = parsedUrl.orElse(Template.parse("", Set.of()));
        Optional<ArchiveFormat> archive = in.string("archive", false).flatMap(a -> {
            Optional<ArchiveFormat> f = ArchiveFormat.of(a);
            if (f.isEmpty()) {
                in.problem("archive", "unknown archive format '" + a + "': use tar, tar.gz, tar.xz, tar.zst or zip");
            }
            return f;
        });
        int strip = in.integer("strip-components", false).orElse(0);
        if (strip < 0 || strip > 16) {
            in.problem("strip-components", strip + " is outside 0..16");
        }
        List<Placement> layout = new ArrayList<>();
        for (Table l : in.tables("layout", false)) {
            Optional<MemberGlob> from = l.string("from", true).flatMap(g -> {
                try {
                    return Optional.of(MemberGlob.parse(g));
                } catch (IllegalArgumentException e) {
                    l.problem("from", "bad glob: " + e.getMessage());
                    return Optional.empty();
                }
            });
            String to = l.string("to", true).orElse("usr/");
            imagePath(l, "to", to);
            Optional<Boolean> exec = l.mode("mode");
            l.done();
            if (from.isPresent()) {
                if (!to.endsWith("/") && !from.get().isLiteral()) {
                    l.problem("to", "'" + to + "' is one file, but '" + from.get().text() + "' may match several"
                            + " members: end 'to' with / to place them in a directory");
                }
                layout.add(new Placement(from.get(), to, exec));
            }
        }
        Optional<String> to = in.string("to", false);
        to.ifPresent(p -> imagePath(in, "to", p));
        Optional<Boolean> mode = in.mode("mode");
        if (archive.isPresent()) {
            if (layout.isEmpty() && in.has("name")) {
                in.problem("layout", "an archive input needs [[inputs.layout]] entries (from = glob, to = image path)");
            }
            if (to.isPresent() || mode.isPresent()) {
                in.problem(to.isPresent() ? "to" : "mode", "'to' and 'mode' are for single files; archives use"
                        + " [[inputs.layout]]");
            }
        } else {
            if (!layout.isEmpty()) {
                in.problem("layout", "[[inputs.layout]] is for archives: set archive = \"tar.gz\" (or another format)"
                        + " or use 'to' for a single file");
            }
            if (to.isEmpty() && in.has("name")) {
                in.problem("to", "missing: a single-file input needs 'to', its path in the image"
                        + " (or 'archive' if it is an archive)");
            }
            if (strip != 0) {
                in.problem("strip-components", "only archives have components to strip");
            }
        }
        List<Check> checks = new ArrayList<>();
        List<Table> verify = in.tables("verify", true);
        if (verify.isEmpty() && in.has("verify")) {
            in.problem("verify", "empty: give at least one check; kind = \"none\" if upstream publishes nothing");
        }
        for (Table v : verify) {
            Check c = check(v, keySets, parsedUrl);
            if (c != null) {
                checks.add(c);
            }
        }
        if (checks.stream().anyMatch(c -> c instanceof RecipeDefinition.None) && checks.size() > 1) {
            in.problem("verify", "kind = \"none\" cannot be combined with other checks");
        }
        VersionRange range = range(in);
        in.done();
        return new Input(name, url, version, archive, strip, layout, to, mode.orElse(true), checks, range);
    }

    private Check check(Table v, Set<String> keySets, Optional<Template> inputUrl) {
        Set<String> checkVariables = union(known, Set.of("url", "file"));
        String kind = v.string("kind", true).orElse("");
        Check out = null;
        switch (kind) {
            case "checksum" -> {
                Template url = v.template("url", true, checkVariables).orElse(Template.parse("", Set.of()));
                String f = v.string("format", true).orElse("gnu");
                ChecksumFormat format = ChecksumFormat.GNU;
                try {
                    format = ChecksumFormat.valueOf(f.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    v.problem("format", "unknown checksum format '" + f + "': use gnu, bsd or bare");
                }
                Template entry = v.template("entry", false, checkVariables).orElse(Template.parse("{file}", checkVariables));
                Optional<String> clear = v.string("clear-signed-by", false);
                clear.ifPresent(k -> keySet(v, "clear-signed-by", k, keySets));
                Optional<Template> signature = v.template("signature", false, union(checkVariables, Set.of("checksums")));
                Optional<String> signedBy = v.string("signed-by", false);
                signedBy.ifPresent(k -> keySet(v, "signed-by", k, keySets));
                if (signature.isPresent() != signedBy.isPresent()) {
                    v.problem(signature.isPresent() ? "signed-by" : "signature",
                            "'signature' (the detached signature of the checksum file) and 'signed-by' go together");
                }
                if (clear.isPresent() && signature.isPresent()) {
                    v.problem("signature", "a checksum file is either clear-signed or has a detached signature");
                }
                out = new RecipeDefinition.ChecksumFile(url, format, entry, clear, signature, signedBy);
            }
            case "signature" -> {
                Template url = v.template("url", true, checkVariables).orElse(Template.parse("", Set.of()));
                String by = v.string("signed-by", true).orElse("");
                if (v.has("signed-by")) {
                    keySet(v, "signed-by", by, keySets);
                }
                out = new RecipeDefinition.Signature(url, by);
            }
            case "github-digest" -> {
                if (inputUrl.isPresent() && (!inputUrl.get().text().startsWith("https://github.com/")
                        || !inputUrl.get().text().contains("/releases/download/"))) {
                    v.problem("kind", "github-digest needs a GitHub release download URL"
                            + " (https://github.com/OWNER/REPO/releases/download/TAG/NAME)");
                }
                out = new RecipeDefinition.GitHubDigest();
            }
            case "none" -> out = new RecipeDefinition.None();
            default -> {
                if (v.has("kind")) {
                    v.problem("kind", "unknown kind '" + kind + "': use checksum, signature, github-digest or none");
                }
            }
        }
        v.done();
        return out;
    }

    private void keySet(Table t, String key, String name, Set<String> keySets) {
        if (!keySets.contains(name)) {
            t.problem(key, "no key set '" + name + "': define it as [keys." + name + "]");
        }
    }

    private StaticFile staticFile(Table f) {
        Optional<String> source = f.string("source", true);
        String to = f.string("to", false).orElse(source.orElse("usr/x"));
        imagePath(f, f.has("to") ? "to" : "source", to);
        boolean exec = f.mode("mode").orElse(false);
        boolean template = f.bool("template", false).orElse(false);
        VersionRange range = range(f);
        if (source.isPresent()) {
            Path p = directory.resolve(RecipeDefinition.FILES_DIRECTORY).resolve(source.get()).normalize();
            if (!p.startsWith(directory.resolve(RecipeDefinition.FILES_DIRECTORY)) || !Files.isRegularFile(p)) {
                f.problem("source", "no file " + RecipeDefinition.FILES_DIRECTORY + "/" + source.get() + " in " + directory);
            } else if (template) {
                try {
                    Template.parse(Files.readString(p, StandardCharsets.UTF_8), known);
                } catch (IOException | IllegalArgumentException e) {
                    problems.add(new RecipeProblem(p, 0, "", "bad template (template = true): " + e.getMessage()));
                }
            }
        }
        f.done();
        return source.map(s -> new StaticFile(s, to, exec, template, range)).orElse(null);
    }

    private VersionRange range(Table t) {
        return t.string("versions", false).map(r -> {
            try {
                return new VersionRange(r);
            } catch (IllegalArgumentException e) {
                t.problem("versions", e.getMessage());
                return VersionRange.any();
            }
        }).orElse(VersionRange.any());
    }

    private void unusedFiles(List<StaticFile> files) throws IOException {
        Path root = directory.resolve(RecipeDefinition.FILES_DIRECTORY);
        if (!Files.isDirectory(root)) {
            return;
        }
        Set<String> used = new HashSet<>(files.stream().map(StaticFile::source).toList());
        Set<String> unused = new TreeSet<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (!used.contains(rel)) {
                    unused.add(rel);
                }
            }
        }
        for (String u : unused) {
            problems.add(new RecipeProblem(root.resolve(u), 0, "", "not placed by any [[files]] entry"
                    + " (add one with source = \"" + u + "\", or remove the file)"));
        }
    }

    private void imagePath(Table t, String key, String path) {
        try {
            ImagePaths.check(path.endsWith("/") ? path.substring(0, path.length() - 1) : path, "'" + path + "'");
        } catch (StageException e) {
            t.problem(key, e.getMessage());
        }
    }

    private Pattern pattern(Table t, String key, String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            t.problem(key, "bad regular expression: " + e.getDescription());
            return Pattern.compile("(?!)");
        }
    }

    private Optional<URI> url(Table t, String key, String s) {
        try {
            URI u = URI.create(s);
            if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return Optional.of(u);
        } catch (IllegalArgumentException e) {
            t.problem(key, "'" + s + "' is not an http(s) URL");
            return Optional.empty();
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new HashSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }

    /** A TOML table being read: remembers the keys asked for, so that the others are reported as unknown. */
    private final class Table {
        private final ObjectNode node;
        private final String path;
        private final Set<String> read = new HashSet<>();

        Table(ObjectNode node, String path) {
            this.node = node;
            this.path = path;
        }

        boolean has(String key) {
            return node.has(key);
        }

        List<String> keys() {
            List<String> out = new ArrayList<>();
            node.fieldNames().forEachRemaining(out::add);
            return out;
        }

        String at(String key) {
            return key.isEmpty() ? path : path.isEmpty() ? key : key.startsWith("[") ? path + key : path + "." + key;
        }

        void problem(String key, String message) {
            String p = at(key);
            problems.add(new RecipeProblem(file, locator.line(p), p, message));
        }

        private Optional<JsonNode> get(String key, boolean required, String what) {
            read.add(key);
            JsonNode n = node.get(key);
            if (n == null || n.isNull()) {
                if (required) {
                    problem(key, "missing (" + what + ")");
                }
                return Optional.empty();
            }
            return Optional.of(n);
        }

        Optional<String> string(String key, boolean required) {
            return get(key, required, "a string").flatMap(n -> {
                if (!n.isTextual()) {
                    problem(key, "expected a string, found " + type(n));
                    return Optional.empty();
                }
                return Optional.of(n.textValue());
            });
        }

        Optional<Boolean> bool(String key, boolean required) {
            return get(key, required, "true or false").flatMap(n -> {
                if (!n.isBoolean()) {
                    problem(key, "expected true or false, found " + type(n));
                    return Optional.empty();
                }
                return Optional.of(n.booleanValue());
            });
        }

        Optional<Integer> integer(String key, boolean required) {
            return get(key, required, "an integer").flatMap(n -> {
                if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                    problem(key, "expected an integer, found " + type(n));
                    return Optional.empty();
                }
                return Optional.of(n.intValue());
            });
        }

        /** A mode: 0o755 / 0o644 (TOML octal), or the strings "0755" / "0644"; true for 0755. */
        Optional<Boolean> mode(String key) {
            return get(key, false, "a mode").flatMap(n -> {
                int m = -1;
                if (n.isIntegralNumber()) {
                    m = n.intValue();
                } else if (n.isTextual() && n.textValue().matches("0?[0-7]{3}")) {
                    m = Integer.parseInt(n.textValue(), 8);
                }
                if (m == 0755 || m == 0644) {
                    return Optional.of(m == 0755);
                }
                problem(key, "expected 0o755 or 0o644 (images hold executables and plain files), found "
                        + (n.isTextual() ? "'" + n.textValue() + "'" : n.toString()));
                return Optional.empty();
            });
        }

        List<String> strings(String key, boolean required) {
            return get(key, required, "a list of strings").map(n -> {
                List<String> out = new ArrayList<>();
                if (!n.isArray()) {
                    problem(key, "expected a list of strings, found " + type(n));
                    return out;
                }
                for (int i = 0; i < n.size(); i++) {
                    if (n.get(i).isTextual()) {
                        out.add(n.get(i).textValue());
                    } else {
                        problem(key + "[" + i + "]", "expected a string, found " + type(n.get(i)));
                    }
                }
                return out;
            }).orElse(List.of());
        }

        Optional<Template> template(String key, boolean required, Set<String> variables) {
            return string(key, required).flatMap(s -> {
                try {
                    return Optional.of(Template.parse(s, variables));
                } catch (IllegalArgumentException e) {
                    problem(key, "bad template: " + e.getMessage());
                    return Optional.empty();
                }
            });
        }

        Optional<Table> table(String key, boolean required) {
            return get(key, required, "a table").flatMap(n -> {
                if (!n.isObject()) {
                    problem(key, "expected a table, found " + type(n));
                    return Optional.empty();
                }
                return Optional.of(new Table((ObjectNode) n, at(key)));
            });
        }

        List<Table> tables(String key, boolean required) {
            return get(key, required, "a list of tables, [[" + at(key) + "]]").map(n -> {
                List<Table> out = new ArrayList<>();
                if (!n.isArray()) {
                    problem(key, "expected a list of tables ([[" + at(key) + "]]), found " + type(n));
                    return out;
                }
                for (int i = 0; i < n.size(); i++) {
                    if (n.get(i).isObject()) {
                        out.add(new Table((ObjectNode) n.get(i), at(key) + "[" + i + "]"));
                    } else {
                        problem(key + "[" + i + "]", "expected a table, found " + type(n.get(i)));
                    }
                }
                return out;
            }).orElse(List.of());
        }

        /** Reports the keys nobody asked for. */
        void done() {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!read.contains(k)) {
                    problem(k, "unknown key");
                }
            }
        }

        private static String type(JsonNode n) {
            if (n.isTextual()) {
                return "a string";
            }
            if (n.isBoolean()) {
                return "a boolean";
            }
            if (n.isNumber()) {
                return "a number";
            }
            if (n.isArray()) {
                return "a list";
            }
            if (n.isObject()) {
                return "a table";
            }
            return n.getNodeType().toString().toLowerCase(Locale.ROOT);
        }
    }
}
