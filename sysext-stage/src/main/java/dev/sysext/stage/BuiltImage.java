package dev.sysext.stage;

import dev.sysext.fetch.Evidence;
import dev.sysext.fetch.Version;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * An image that was written.
 *
 * @param path the {@code NAME-VERSION-ARCH.raw} file
 * @param version the version built
 * @param extensionRelease its metadata
 * @param evidence every check its inputs passed (see {@link Evidence#describe()})
 * @param manifest the build manifest stored in the image
 */
public record BuiltImage(Path path, Version version, ExtensionRelease extensionRelease, List<Evidence> evidence,
                         BuildManifest manifest) {
    /** Copies the list. */
    public BuiltImage {
        evidence = List.copyOf(evidence);
    }

    /**
     * What the image holds, component name to version: the extension itself first, then what its
     * recipe pinned ({@link Evidence.Kind#DERIVED_VERSION}, e.g. {@code runc} for containerd), with
     * versions as the image's own is written (no tag {@code v}).
     */
    public Map<String, String> components() {
        Map<String, String> components = new LinkedHashMap<>();
        components.put(extensionRelease.name(), version.toString());
        for (Evidence e : evidence) {
            if (e.kind() == Evidence.Kind.DERIVED_VERSION) {
                String v = e.version().orElseThrow();
                components.putIfAbsent(e.subject(), v.matches("v\\d.*") ? v.substring(1) : v);
            }
        }
        return components;
    }

    /** The primary-key fingerprints of the keys whose signatures verified an input, each once, in order. */
    public List<String> signers() {
        LinkedHashSet<String> signers = new LinkedHashSet<>();
        for (Evidence e : evidence) {
            e.signerFingerprint().ifPresent(signers::add);
        }
        return List.copyOf(signers);
    }
}
