package dev.sysext.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Facts for {@code create --json}, read from the evidence lines of a build: sysext-stage reports
 * them as text only. The two line shapes read here are those of
 * {@code dev.sysext.fetch.SignatureCheck#describe} ({@code SOURCE: good signature by FPR ...}) and
 * of recipes that pin a companion component ({@code runc v1.3.3: pinned in ...}); the tests check
 * both against a real build, so a change of wording fails there first.
 */
record BuildEvidence(Map<String, String> pinnedComponents, List<String> signers) {
    private static final Pattern SIGNER = Pattern.compile(": good signature by ([0-9A-F]{40})\\b");
    private static final Pattern PINNED = Pattern.compile("^([A-Za-z0-9][A-Za-z0-9._-]*) v?(\\d[0-9A-Za-z.+~-]*): pinned in ");

    static BuildEvidence of(List<String> evidence) {
        Map<String, String> components = new LinkedHashMap<>();
        LinkedHashSet<String> signers = new LinkedHashSet<>();
        for (String line : evidence) {
            Matcher s = SIGNER.matcher(line);
            if (s.find()) {
                signers.add(s.group(1));
            }
            Matcher p = PINNED.matcher(line);
            if (p.find()) {
                components.putIfAbsent(p.group(1), p.group(2));
            }
        }
        return new BuildEvidence(components, new ArrayList<>(signers));
    }
}
