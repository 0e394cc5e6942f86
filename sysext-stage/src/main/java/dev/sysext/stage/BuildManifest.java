package dev.sysext.stage;

import dev.sysext.fetch.Version;
import dev.sysext.fetch.internal.json.JsonReader;
import dev.sysext.squashfs.Compression;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
 * {@code sysextLevel} is null when the id is {@code _any}.
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
 */
public record BuildManifest(String tool, String recipe, Version version, Architecture architecture, String osId,
                            String sysextLevel, long epoch, Compression compression, int level, int blockSize,
                            List<BuildInput> inputs) {
    /** The schema this class writes and reads. */
    public static final int SCHEMA = 1;
    /** Directory of the manifest in the image. */
    public static final String DIRECTORY = "usr/share/sysext/";

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

    /** Path of the manifest in the image: {@code usr/share/sysext/NAME.json}. */
    public String path() {
        return DIRECTORY + recipe + ".json";
    }

    /** The manifest as JSON text, two-space indented, one input per line, ending with a newline. */
    public String render() {
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"schema\": ").append(SCHEMA).append(",\n");
        b.append("  \"tool\": ").append(quote(tool)).append(",\n");
        b.append("  \"recipe\": ").append(quote(recipe)).append(",\n");
        b.append("  \"version\": ").append(quote(version.toString())).append(",\n");
        b.append("  \"architecture\": ").append(quote(architecture.systemdName())).append(",\n");
        b.append("  \"os\": {\"id\": ").append(quote(osId)).append(", \"sysextLevel\": ")
                .append(sysextLevel == null ? "null" : quote(sysextLevel)).append("},\n");
        b.append("  \"epoch\": ").append(epoch).append(",\n");
        b.append("  \"squashfs\": {\"compression\": ").append(quote(compression.displayName()))
                .append(", \"level\": ").append(level).append(", \"blockSize\": ").append(blockSize).append("},\n");
        b.append("  \"inputs\": [");
        for (int i = 0; i < inputs.size(); i++) {
            BuildInput in = inputs.get(i);
            b.append(i == 0 ? "\n" : ",\n").append("    {\"name\": ").append(quote(in.name()))
                    .append(", \"version\": ").append(quote(in.version()))
                    .append(", \"url\": ").append(quote(in.url().toString()))
                    .append(", \"sha256\": ").append(quote(in.sha256())).append('}');
        }
        b.append(inputs.isEmpty() ? "]\n" : "\n  ]\n").append("}\n");
        return b.toString();
    }

    /** {@link #render()} as UTF-8. */
    public byte[] bytes() {
        return render().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a manifest written by {@link #render()}.
     *
     * @throws StageException naming the field when the text is not a schema-1 manifest
     */
    public static BuildManifest parse(String text) throws StageException {
        try {
            Map<?, ?> m = object(JsonReader.parse(text), "the manifest");
            int schema = integer(m, "schema");
            if (schema != SCHEMA) {
                throw new StageException("build manifest schema " + schema + " is not supported (this sysext reads "
                        + SCHEMA + "); use the sysext version that built the image");
            }
            Map<?, ?> os = object(m.get("os"), "os");
            Map<?, ?> squashfs = object(m.get("squashfs"), "squashfs");
            List<BuildInput> inputs = new ArrayList<>();
            if (!(m.get("inputs") instanceof List<?> list)) {
                throw new StageException("build manifest: 'inputs' is not a list");
            }
            for (Object o : list) {
                Map<?, ?> in = object(o, "inputs[]");
                inputs.add(new BuildInput(string(in, "name"), string(in, "version"), URI.create(string(in, "url")),
                        string(in, "sha256")));
            }
            Object level = os.get("sysextLevel");
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

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
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
        sq.put("compression", compression.displayName());
        sq.put("level", level);
        sq.put("blockSize", blockSize);
        m.put("squashfs", sq);
        List<Object> ins = new ArrayList<>();
        for (BuildInput in : inputs) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("name", in.name());
            i.put("version", in.version());
            i.put("url", in.url().toString());
            i.put("sha256", in.sha256());
            ins.add(i);
        }
        m.put("inputs", ins);
        return m;
    }
}
