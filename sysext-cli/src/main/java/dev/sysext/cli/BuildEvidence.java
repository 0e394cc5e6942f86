package dev.sysext.cli;

import dev.sysext.fetch.Evidence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Facts for {@code create --json}, from the typed evidence of a build. */
record BuildEvidence(Map<String, String> pinnedComponents, List<String> signers) {
    static BuildEvidence of(List<Evidence> evidence) {
        Map<String, String> components = new LinkedHashMap<>();
        LinkedHashSet<String> signers = new LinkedHashSet<>();
        for (Evidence e : evidence) {
            e.signerFingerprint().ifPresent(signers::add);
            if (e.kind() == Evidence.Kind.DERIVED_VERSION) {
                String v = e.version().orElseThrow();
                // Versions are reported without the tag's "v", as the image's own version is.
                components.putIfAbsent(e.subject(), v.matches("v\\d.*") ? v.substring(1) : v);
            }
        }
        return new BuildEvidence(components, new ArrayList<>(signers));
    }
}
