package dev.sysext.stage;

import dev.sysext.erofs.ErofsCompression;
import dev.sysext.erofs.ErofsImage;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import dev.sysext.fetch.Version;
import dev.sysext.fetch.internal.json.JsonTree;
import dev.sysext.squashfs.Compression;
import dev.sysext.entry.ImageEntry;
import dev.sysext.squashfs.SquashfsImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an image was built from, stored in the image as {@code usr/share/sysext/NAME.json} so that
 * {@code sysext verify --rebuild} can build it again and compare. Only what decides the image's
 * bytes is recorded, nothing about the build machine or the moment (no build time, host name, path
 * or thread count), so the manifest itself is reproducible.
 *
 * <p>Schema 1, keys in this order:
 * <pre>{@code
 * {
 *   "schema": 1,
 *   "tool": "sysext 0.1.0",
 *   "recipe": "containerd",
 *   "version": "2.2.0",
 *   "architecture": "x86-64",
 *   "os": {"id": "_any", "sysextLevel": null},
 *   "epoch": 1700000000,
 *   "squashfs": {"compression": "gzip", "level": 9, "blockSize": 131072},
 *   "inputs": [
 *     {"name": "containerd", "version": "2.2.0", "url": "https://...", "sha256": "..."},
 *     ...
 *   ]
 * }
 * }</pre>
 * {@code level} is the effective level (gzip 9 by default); 0 for compressors without levels (xz, lz4)
 * and, in manifests written before sysext recorded effective settings, the compressor's default;
 * {@code sysextLevel} is null when the id is {@code _any}. An input nothing verified (allowed with
 * {@code --allow-unverified}) has {@code "verified": false} after its {@code sha256}; verified inputs
 * have no such key.
 *
 * @param tool the program and version that wrote the image ({@code sysext 0.1.0})
 * @param recipe the recipe's name, which is also the extension's name
 * @param version the upstream version built
 * @param architecture systemd's architecture name
 * @param osId the extension-release {@code ID}
 * @param sysextLevel the {@code SYSEXT_LEVEL}, or null with {@code _any}
 * @param epoch every time in the image
 * @param compression the SquashFS compressor
 * @param level the effective compression level, 0 for xz and lz4
 * @param blockSize the SquashFS block size
 * @param inputs the upstream artifacts, in the order the recipe used them
 * @param erofs for an EROFS image, its compression (then {@code compression} is LZ4, {@code level}
 *     0 and {@code blockSize} 4096, unused, and the manifest holds {@code "format": "erofs"} and an
 *     {@code "erofs"} object in place of {@code "squashfs"}); null for a SquashFS image
 */
public record BuildManifest(String tool, String recipe, Version version, Architecture architecture, String osId,
                            String sysextLevel, long epoch, Compression compression, int level, int blockSize,
                            List<BuildInput> inputs, ErofsCompression erofs) {
    /** The schema this class writes and reads. */
    public static final int SCHEMA = 1;
    /** Directory of the manifest in the image. */
    public static final String DIRECTORY = "usr/share/sysext/";
    private static final int MAX_BYTES = 1 << 20;
    private static final JsonFactory JSON = new JsonFactory();

    /** Checks for nulls and copies the list. */
    public BuildManifest {
        Objects.requireNonNull(tool);
        Objects.requireNonNull(recipe);
        Objects.requireNonNull(version);
        Objects.requireNonNull(architecture);
        Objects.requireNonNull(osId);
        Objects.requireNonNull(compression);
        inputs = List.copyOf(inputs);
    }

    /** A SquashFS image's manifest (no {@code erofs}). */
    public BuildManifest(String tool, String recipe, Version version, Architecture architecture, String osId,
                         String sysextLevel, long epoch, Compression compression, int level, int blockSize,
                         List<BuildInput> inputs) {
        this(tool, recipe, version, architecture, osId, sysextLevel, epoch, compression, level, blockSize, inputs, null);
    }

    /** Path of the manifest in the image: {@code usr/share/sysext/NAME.json}. */
    public String path() {
        return DIRECTORY + recipe + ".json";
    }

    /** The manifest as JSON text, two-space indented, one input per line, ending with a newline. */
    public String render() {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.setPrettyPrinter(new Layout());
            g.writeStartObject();
            g.writeNumberField("schema", SCHEMA);
            g.writeStringField("tool", tool);
            g.writeStringField("recipe", recipe);
            g.writeStringField("version", version.toString());
            g.writeStringField("architecture", architecture.systemdName());
            g.writeObjectFieldStart("os");
            g.writeStringField("id", osId);
            g.writeStringField("sysextLevel", sysextLevel);
            g.writeEndObject();
            g.writeNumberField("epoch", epoch);
            if (erofs != null) {
                // SquashFS manifests keep their bytes: only EROFS ones name a format.
                g.writeStringField("format", "erofs");
                g.writeObjectFieldStart("erofs");
                g.writeStringField("compression", erofsName(erofs));
                g.writeNumberField("level", erofs.level());
                g.writeNumberField("clusterSize", erofs.clusterSize());
                g.writeEndObject();
            } else {
                g.writeObjectFieldStart("squashfs");
                g.writeStringField("compression", compression.displayName());
                g.writeNumberField("level", level);
                g.writeNumberField("blockSize", blockSize);
                g.writeEndObject();
            }
            g.writeArrayFieldStart("inputs");
            for (BuildInput in : inputs) {
                g.writeStartObject();
                g.writeStringField("name", in.name());
                g.writeStringField("version", in.version());
                g.writeStringField("url", in.url().toString());
                g.writeStringField("sha256", in.sha256());
                if (!in.verified()) {
                    g.writeBooleanField("verified", false);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to a string", e);
        }
        return text.append('\n').toString();
    }

    /**
     * The manifest's layout: the top-level members one per line, indented by two; the inputs one per
     * line, indented by four; every other object on one line with {@code ", "} and {@code ": "}.
     */
    private static final class Layout implements PrettyPrinter {
        private int depth;

        @Override
        public void writeRootValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
        }

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            g.writeRaw('{');
            depth++;
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) throws IOException {
            if (depth == 1) {
                g.writeRaw("\n  ");
            }
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(depth == 1 ? ",\n  " : ", ");
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            g.writeRaw(depth == 1 && entries > 0 ? "\n}" : "}");
            depth--;
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            g.writeRaw('[');
            depth++;
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            if (depth == 2) {
                g.writeRaw("\n    ");
            }
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(depth == 2 ? ",\n    " : ", ");
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            g.writeRaw(depth == 2 && values > 0 ? "\n  ]" : "]");
            depth--;
        }
    }

    /** {@link #render()} as UTF-8. */
    public byte[] bytes() {
        return render().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The build manifest stored in {@code image}: the one {@code .json} file in
     * {@code usr/share/sysext/}, or empty when the image has none (it was not made by
     * {@code sysext create}).
     *
     * @throws StageException when the directory holds several manifests, or the one there is too
     *     large, not a schema-1 manifest, or named for another recipe
     * @throws dev.sysext.squashfs.SquashfsFormatException when the image cannot be read
     */
    public static Optional<BuildManifest> read(SquashfsImage image) throws IOException {
        List<ImageEntry> candidates = new ArrayList<>();
        Optional<ImageEntry> dir = image.lookup(DIRECTORY);
        if (dir.isEmpty() || !dir.get().isDirectory()) {
            return Optional.empty();
        }
        image.walk(e -> {
            if (e.isFile() && e.path().startsWith(DIRECTORY) && e.path().endsWith(".json")
                    && e.path().indexOf('/', DIRECTORY.length()) < 0) {
                candidates.add(e);
            }
        }, false);
        return fromCandidates(candidates, image::open);
    }

    /**
     * The build manifest stored in an EROFS {@code image}, as {@link #read(SquashfsImage)}.
     *
     * @throws StageException as {@link #read(SquashfsImage)}
     * @throws dev.sysext.erofs.ErofsFormatException when the image cannot be read
     */
    public static Optional<BuildManifest> read(ErofsImage image) throws IOException {
        List<ImageEntry> candidates = new ArrayList<>();
        for (ImageEntry e : image.entries()) {
            if (e.isFile() && e.path().startsWith(DIRECTORY) && e.path().endsWith(".json")
                    && e.path().indexOf('/', DIRECTORY.length()) < 0) {
                candidates.add(e);
            }
        }
        return fromCandidates(candidates, image::open);
    }

    /** Opens a file of an image. */
    private interface Opener {
        InputStream open(ImageEntry e) throws IOException;
    }

    private static Optional<BuildManifest> fromCandidates(List<ImageEntry> candidates, Opener image)
            throws IOException {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        if (candidates.size() > 1) {
            throw new StageException(DIRECTORY + " holds " + candidates.size()
                    + " manifests; an image made by `sysext create` has one");
        }
        ImageEntry e = candidates.get(0);
        if (e.size() > MAX_BYTES) {
            throw new StageException(e.path() + " is " + e.size() + " bytes, too large for a build manifest");
        }
        try (InputStream in = image.open(e)) {
            BuildManifest m = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (!m.path().equals(e.path())) {
                throw new StageException(e.path() + " describes the recipe '" + m.recipe() + "', whose manifest is "
                        + m.path());
            }
            return Optional.of(m);
        }
    }

    /**
     * Reads a manifest written by {@link #render()}.
     *
     * @throws StageException naming the field when the text is not a schema-1 manifest
     */
    public static BuildManifest parse(String text) throws StageException {
        try {
            Map<?, ?> m = object(JsonTree.parse(text), "the manifest");
            int schema = integer(m, "schema");
            if (schema != SCHEMA) {
                throw new StageException("build manifest schema " + schema + " is not supported (this sysext reads "
                        + SCHEMA + "); use the sysext version that built the image");
            }
            Map<?, ?> os = object(m.get("os"), "os");
            List<BuildInput> inputs = new ArrayList<>();
            if (!(m.get("inputs") instanceof List<?> list)) {
                throw new StageException("build manifest: 'inputs' is not a list");
            }
            for (Object o : list) {
                Map<?, ?> in = object(o, "inputs[]");
                inputs.add(new BuildInput(string(in, "name"), string(in, "version"), URI.create(string(in, "url")),
                        string(in, "sha256"), !Boolean.FALSE.equals(in.get("verified"))));
            }
            Object level = os.get("sysextLevel");
            Object format = m.get("format");
            if (format != null && !"squashfs".equals(format) && !"erofs".equals(format)) {
                throw new StageException("build manifest: format '" + format + "' is not squashfs or erofs");
            }
            if ("erofs".equals(format)) {
                Map<?, ?> e = object(m.get("erofs"), "erofs");
                ErofsCompression c = ErofsCompression.parse(string(e, "compression")
                        + ("lz4hc".equals(string(e, "compression")) ? "," + integer(e, "level") : ""), integer(e, "clusterSize"));
                return new BuildManifest(string(m, "tool"), string(m, "recipe"), Version.parse(string(m, "version")),
                        Architecture.parse(string(m, "architecture")), string(os, "id"),
                        level == null ? null : string(os, "sysextLevel"), longValue(m, "epoch"), Compression.LZ4,
                        0, 4096, inputs, c);
            }
            Map<?, ?> squashfs = object(m.get("squashfs"), "squashfs");
            return new BuildManifest(string(m, "tool"), string(m, "recipe"), Version.parse(string(m, "version")),
                    Architecture.parse(string(m, "architecture")), string(os, "id"),
                    level == null ? null : string(os, "sysextLevel"), longValue(m, "epoch"),
                    Compression.fromName(string(squashfs, "compression")), integer(squashfs, "level"),
                    integer(squashfs, "blockSize"), inputs);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new StageException("build manifest: " + e.getMessage(), e);
        }
    }

    private static Map<?, ?> object(Object o, String what) throws StageException {
        if (o instanceof Map<?, ?> m) {
            return m;
        }
        throw new StageException("build manifest: " + what + " is not an object");
    }

    private static String string(Map<?, ?> m, String key) throws StageException {
        if (m.get(key) instanceof String s) {
            return s;
        }
        throw new StageException("build manifest: '" + key + "' is missing or not a string");
    }

    private static long longValue(Map<?, ?> m, String key) throws StageException {
        if (m.get(key) instanceof BigDecimal d) {
            return d.longValueExact();
        }
        throw new StageException("build manifest: '" + key + "' is missing or not a number");
    }

    private static int integer(Map<?, ?> m, String key) throws StageException {
        return Math.toIntExact(longValue(m, key));
    }

    private static String erofsName(ErofsCompression c) {
        return c.algorithm().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A map view for JSON output by callers (e.g. {@code --json}): the same keys as {@link #render()}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("tool", tool);
        m.put("recipe", recipe);
        m.put("version", version.toString());
        m.put("architecture", architecture.systemdName());
        Map<String, Object> os = new LinkedHashMap<>();
        os.put("id", osId);
        os.put("sysextLevel", sysextLevel);
        m.put("os", os);
        m.put("epoch", epoch);
        Map<String, Object> sq = new LinkedHashMap<>();
        if (erofs != null) {
            m.put("format", "erofs");
            sq.put("compression", erofsName(erofs));
            sq.put("level", erofs.level());
            sq.put("clusterSize", erofs.clusterSize());
            m.put("erofs", sq);
        } else {
            sq.put("compression", compression.displayName());
            sq.put("level", level);
            sq.put("blockSize", blockSize);
            m.put("squashfs", sq);
        }
        List<Object> ins = new ArrayList<>();
        for (BuildInput in : inputs) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("name", in.name());
            i.put("version", in.version());
            i.put("url", in.url().toString());
            i.put("sha256", in.sha256());
            if (!in.verified()) {
                i.put("verified", false);
            }
            ins.add(i);
        }
        m.put("inputs", ins);
        return m;
    }
}
