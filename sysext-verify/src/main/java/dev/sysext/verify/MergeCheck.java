package dev.sysext.verify;

import dev.sysext.squashfs.ImageEntry;
import dev.sysext.squashfs.ImageXattr;
import dev.sysext.squashfs.SquashfsImage;
import dev.sysext.stage.ExtensionRelease;
import dev.sysext.verify.MergeFinding.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The rules systemd-sysext (as of systemd 252 to 257) applies before it merges an image, applied to
 * an image read with the SquashFS or EROFS reader ({@link ExtensionImage}), plus Flatcar's own rule against {@code usr/sbin}. Each
 * broken rule becomes a {@link MergeFinding} in words, instead of systemd's terse log lines.
 *
 * <pre>{@code
 * MergeCheck.Host flatcar = new MergeCheck.Host(
 *         ExtensionRelease.parseFields("ID=flatcar\nVERSION_ID=4230.2.0\nSYSEXT_LEVEL=1.0\n"), "x86-64");
 * try (SquashfsImage image = SquashfsImage.open(path)) {
 *     MergeCheck.Result r = MergeCheck.check(image, path.getFileName().toString(), Optional.empty(), flatcar);
 *     r.findings().forEach(f -> System.out.println(f.severity().label() + ": " + f.message()));
 * }
 * }</pre>
 */
public final class MergeCheck {
    private static final String RELEASE_DIR = "usr/lib/extension-release.d/";
    private static final String RELEASE_PREFIX = "extension-release.";
    private static final String STRICT_XATTR = "user.extension-release.strict";
    private static final String UNIT_DIR = "usr/lib/systemd/system/";
    private static final int MAX_RELEASE_BYTES = 64 * 1024;

    /**
     * What the host looks like.
     *
     * @param osRelease its os-release fields (see {@link ExtensionRelease#parseFields})
     * @param architecture systemd's name of its architecture ({@code x86-64}, {@code arm64})
     */
    public record Host(Map<String, String> osRelease, String architecture) {
        /** Copies the map, keeping its order. */
        public Host {
            osRelease = Collections.unmodifiableMap(new LinkedHashMap<>(osRelease));
            Objects.requireNonNull(architecture);
        }
    }

    /**
     * The outcome.
     *
     * @param name the name systemd-sysext would find the image under
     * @param releasePath the extension-release file it would read, if any
     * @param release that file's fields, in file order
     * @param findings every broken rule, and notes, in the order checked
     */
    public record Result(String name, Optional<String> releasePath, Map<String, String> release,
                         List<MergeFinding> findings) {
        /** Copies the list. */
        public Result {
            findings = List.copyOf(findings);
        }

        /** Whether systemd-sysext would merge the image: no finding is an {@link Severity#ERROR}. */
        public boolean merges() {
            return findings.stream().noneMatch(f -> f.severity() == Severity.ERROR);
        }
    }

    private final List<MergeFinding> findings = new ArrayList<>();

    private MergeCheck() {
    }

    /**
     * Checks {@code image}, found by systemd-sysext as {@code fileName}.
     *
     * @param fileName the image's file name
     * @param installedName the name the host will find it under ({@code --name}), or empty to take it
     *     from the file name, allowing the versioned {@code NAME-VERSION-ARCH.raw} convention
     * @param host the host to check against
     * @throws IOException when the image cannot be read
     */
    public static Result check(SquashfsImage image, String fileName, Optional<String> installedName, Host host)
            throws IOException {
        return new MergeCheck().run(ExtensionImage.of(image), fileName, installedName, host);
    }

    /**
     * Checks {@code image}, SquashFS or EROFS, found by systemd-sysext as {@code fileName}; as
     * {@link #check(SquashfsImage, String, Optional, Host)}, the
     * {@code user.extension-release.strict} fallback included.
     *
     * @throws IOException when the image cannot be read
     */
    public static Result check(ExtensionImage image, String fileName, Optional<String> installedName, Host host)
            throws IOException {
        return new MergeCheck().run(image, fileName, installedName, host);
    }

    private Result run(ExtensionImage image, String fileName, Optional<String> installedName, Host host)
            throws IOException {
        Map<String, ImageEntry> releaseFiles = new TreeMap<>();
        TreeSet<String> topLevel = new TreeSet<>();
        boolean[] sbinAndUnits = new boolean[2];
        for (ImageEntry e : image.entries()) {
            String p = e.path();
            if (!p.isEmpty() && p.indexOf('/') < 0) {
                topLevel.add(p + (e.isDirectory() ? "/" : ""));
            }
            if (p.equals("usr/sbin")) {
                sbinAndUnits[0] = true;
            }
            if (p.startsWith(UNIT_DIR) && !e.isDirectory()) {
                sbinAndUnits[1] = true;
            }
            if (p.startsWith(RELEASE_DIR) && p.indexOf('/', RELEASE_DIR.length()) < 0
                    && e.name().startsWith(RELEASE_PREFIX)) {
                releaseFiles.put(e.name().substring(RELEASE_PREFIX.length()), e);
            }
        }

        String name = installedName.orElse(fileName.endsWith(".raw")
                ? fileName.substring(0, fileName.length() - ".raw".length()) : fileName);
        if (installedName.isEmpty() && !fileName.endsWith(".raw")) {
            error("file-name", "'" + fileName + "' does not end in .raw: systemd-sysext only looks at *.raw files"
                    + " (and directories) in /etc/extensions, /run/extensions and /var/lib/extensions;"
                    + " install it as NAME.raw");
        }

        ImageEntry release = releaseFile(name, installedName.isEmpty(), releaseFiles, fileName);
        if (release != null && installedName.isEmpty() && name.startsWith(release.name().substring(RELEASE_PREFIX.length()) + "-")
                && !strictIsOff(release)) {
            name = release.name().substring(RELEASE_PREFIX.length()); // the versioned convention
        }
        Map<String, String> fields = Map.of();
        if (release != null) {
            fields = read(image, release);
            matchHost(fields, host);
        }
        topLevel(topLevel, sbinAndUnits[0], host);
        if (sbinAndUnits[1] && release != null && !"1".equals(fields.get("EXTENSION_RELOAD_MANAGER"))) {
            warning("reload-manager", "the image ships units under " + UNIT_DIR + " but its extension-release has no"
                    + " EXTENSION_RELOAD_MANAGER=1: systemd 255 and newer then do not reload units after merging, so"
                    + " they are not seen until the next boot or `systemctl daemon-reload`");
        }
        return new Result(name, Optional.ofNullable(release).map(ImageEntry::path), fields, List.copyOf(findings));
    }

    /** The extension-release file systemd would read, or null after reporting why there is none. */
    private ImageEntry releaseFile(String name, boolean versionedAllowed, Map<String, ImageEntry> files,
                                  String fileName) {
        ImageEntry exact = files.get(name);
        if (exact != null) {
            if (!exact.isFile()) {
                error("extension-release", exact.path() + " is a " + exact.type().name().toLowerCase(java.util.Locale.ROOT)
                        + ", not a regular file");
                return null;
            }
            return exact;
        }
        // systemd's fallback: a file whose author allowed any image name with the xattr.
        List<ImageEntry> relaxed = files.values().stream().filter(e -> e.isFile() && strictIsOff(e)).toList();
        if (relaxed.size() == 1) {
            note("extension-release", "no " + RELEASE_PREFIX + name + ", but " + relaxed.get(0).path() + " has "
                    + STRICT_XATTR + "=0, so systemd-sysext accepts it under any image name");
            return relaxed.get(0);
        }
        if (relaxed.size() > 1) {
            error("extension-release", "no " + RELEASE_PREFIX + name + ", and " + relaxed.size()
                    + " extension-release files have " + STRICT_XATTR + "=0; systemd-sysext refuses the ambiguity");
            return null;
        }
        if (files.isEmpty()) {
            error("extension-release", "there is no " + RELEASE_DIR + RELEASE_PREFIX + name
                    + ": without it systemd-sysext refuses the image (\"No medium found\")");
            return null;
        }
        for (Map.Entry<String, ImageEntry> f : files.entrySet()) {
            String other = f.getKey();
            if (versionedAllowed && name.startsWith(other + "-") && f.getValue().isFile()) {
                note("name", "'" + fileName + "' is a versioned file name; systemd-sysext uses the name of the file it"
                        + " finds, so install it as " + other + ".raw: /etc/extensions/" + other + ".raw -> " + fileName
                        + " (or a copy named " + other + ".raw in /var/lib/extensions); checked as " + other
                        + ".raw (use --name to check another name)");
                return f.getValue();
            }
        }
        String found = String.join(", ", files.keySet().stream().map(k -> RELEASE_PREFIX + k).toList());
        String hint = files.size() == 1 ? "; install it as " + files.keySet().iterator().next() + ".raw" : "";
        error("name", "the image is found as '" + name + "' but holds " + found + " in " + RELEASE_DIR
                + ", not " + RELEASE_PREFIX + name + ": systemd-sysext requires the name after 'extension-release.' to"
                + " equal the image's file name without .raw (\"No medium found\")" + hint);
        return null;
    }

    private static boolean strictIsOff(ImageEntry e) {
        for (ImageXattr x : e.xattrs()) {
            if (x.name().equals(STRICT_XATTR)) {
                String v = new String(x.value(), StandardCharsets.UTF_8).strip();
                return Arrays.asList("0", "no", "n", "false", "f", "off").contains(v.toLowerCase(java.util.Locale.ROOT));
            }
        }
        return false;
    }

    private Map<String, String> read(ExtensionImage image, ImageEntry release) throws IOException {
        if (release.size() > MAX_RELEASE_BYTES) {
            error("extension-release", release.path() + " is " + release.size() + " bytes; that is not an"
                    + " extension-release file");
            return Map.of();
        }
        try (InputStream in = image.open(release)) {
            return ExtensionRelease.parseFields(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private void matchHost(Map<String, String> ext, Host host) {
        String scope = ext.getOrDefault("SYSEXT_SCOPE", "").strip();
        if (!scope.isEmpty()) {
            List<String> scopes = Arrays.asList(scope.split("\\s+"));
            if (!scopes.contains("system")) {
                error("scope", "SYSEXT_SCOPE=" + scope + " does not include 'system': systemd-sysext merges it only"
                        + " where it runs in that scope (" + String.join(", ", scopes) + "), never on a booted host");
            }
            for (String s : scopes) {
                if (!List.of("system", "initrd", "portable").contains(s)) {
                    warning("scope", "SYSEXT_SCOPE names '" + s + "'; systemd knows system, initrd and portable");
                }
            }
        }
        String arch = ext.getOrDefault("ARCHITECTURE", "");
        if (!arch.isEmpty() && !arch.equals("_any") && !arch.equals(host.architecture())) {
            error("architecture", "ARCHITECTURE=" + arch + " does not match the host's " + host.architecture()
                    + " (systemd's names: x86-64, arm64, ...; use _any for an image that runs everywhere)");
        }
        String id = ext.getOrDefault("ID", "");
        String hostId = host.osRelease().getOrDefault("ID", "");
        if (id.isEmpty()) {
            error("id", "the extension-release file has no ID=: systemd-sysext ignores the image; write ID=_any, or"
                    + " ID=" + (hostId.isEmpty() ? "<the host's ID>" : hostId) + " with SYSEXT_LEVEL=");
            return;
        }
        if (id.equals("_any")) {
            return;
        }
        if (!id.equals(hostId)) {
            error("id", "ID=" + id + " does not match the host's ID=" + hostId + " (use ID=_any for any host)");
            return;
        }
        String hostVersion = host.osRelease().getOrDefault("VERSION_ID", "");
        String hostLevel = host.osRelease().getOrDefault("SYSEXT_LEVEL", "");
        if (hostVersion.isEmpty() && hostLevel.isEmpty()) {
            return; // rolling releases: the ID is enough
        }
        String level = ext.getOrDefault("SYSEXT_LEVEL", "");
        if (!hostLevel.isEmpty() && !level.isEmpty()) {
            if (!level.equals(hostLevel)) {
                error("version", "SYSEXT_LEVEL=" + level + " does not match the host's SYSEXT_LEVEL=" + hostLevel);
            }
            return;
        }
        if (!hostVersion.isEmpty()) {
            String version = ext.getOrDefault("VERSION_ID", "");
            if (version.isEmpty()) {
                error("version", "ID=" + id + " without " + (hostLevel.isEmpty() ? "" : "SYSEXT_LEVEL= or ")
                        + "VERSION_ID=: systemd-sysext ignores the image; add SYSEXT_LEVEL="
                        + (hostLevel.isEmpty() ? "..." : hostLevel) + " (or VERSION_ID=" + hostVersion
                        + ", which ties it to one OS release), or use ID=_any");
            } else if (!version.equals(hostVersion)) {
                error("version", "VERSION_ID=" + version + " does not match the host's VERSION_ID=" + hostVersion
                        + (hostLevel.isEmpty() ? "" : "; SYSEXT_LEVEL=" + hostLevel + " would survive OS updates"));
            }
        }
    }

    private void topLevel(TreeSet<String> topLevel, boolean sbin, Host host) {
        List<String> ignored = topLevel.stream().filter(t -> !t.equals("usr/") && !t.equals("opt/")).toList();
        if (!ignored.isEmpty()) {
            warning("top-level", "systemd-sysext merges only usr/ and opt/; " + String.join(", ", ignored)
                    + (ignored.size() == 1 ? " is" : " are") + " ignored (use systemd-confext or Ignition for /etc)");
        }
        if (sbin) {
            boolean flatcar = "flatcar".equals(host.osRelease().get("ID"));
            String text = "the image has usr/sbin: on Flatcar /usr/sbin is a link to bin, and an extension's usr/sbin"
                    + " directory hides it, taking the host's tools out of /usr/sbin; put the files in usr/bin";
            if (flatcar) {
                error("usr-sbin", text);
            } else {
                warning("usr-sbin", text);
            }
        }
    }

    private void error(String rule, String message) {
        findings.add(new MergeFinding(Severity.ERROR, rule, message));
    }

    private void warning(String rule, String message) {
        findings.add(new MergeFinding(Severity.WARNING, rule, message));
    }

    private void note(String rule, String message) {
        findings.add(new MergeFinding(Severity.NOTE, rule, message));
    }
}
