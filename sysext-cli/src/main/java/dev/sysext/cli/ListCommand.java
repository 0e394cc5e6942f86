package dev.sysext.cli;

import dev.sysext.fetch.Release;
import dev.sysext.fetch.ReleaseIndex;
import dev.sysext.fetch.ProgressListener;
import dev.sysext.stage.Recipe;
import dev.sysext.stage.RecipeCatalog;
import dev.sysext.stage.Upstream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sysext list NAME}: the versions an extension can be built in, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "List the upstream versions an extension can be built in.",
        footerHeading = "%nExamples:%n",
        footer = {"  sysext list containerd             # every release, newest first",
            "  sysext list containerd --latest    # newest patch of the 5 newest minor lines",
            "  sysext list containerd --json | jq -r '.releases[0].version'"},
        description = {"Lists the upstream versions of an extension, newest first (no pre-releases).",
            "Set GITHUB_TOKEN to raise GitHub's API rate limit."})
final class ListCommand implements Runnable {
    /** The number of minor lines --latest shows, as the bakery does. */
    static final int LATEST_LINES = 5;
    /** The {@code schema} of {@code --json}. */
    static final String SCHEMA = "sysext.list/v1";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The extension (e.g. containerd).")
    String name;

    @Option(names = "--latest", description = "Only the newest patch release of each of the "
            + LATEST_LINES + " newest minor lines.")
    boolean latest;

    @Option(names = "--json", description = "Print a " + SCHEMA + " JSON object: the releases as"
            + " {\"version\", \"tag\", \"published\"} objects.")
    boolean json;

    @Mixin
    UpstreamOptions upstreamOptions = new UpstreamOptions();

    @Override
    public void run() {
        Recipe recipe = UpstreamFailures.run(() -> RecipeCatalog.load().require(name));
        Upstream upstream = UpstreamFailures.run(() -> upstreamOptions.upstream(Optional.empty(), Optional.empty(),
                Optional.empty(), ProgressListener.NONE));
        ReleaseIndex index = UpstreamFailures.run(() -> recipe.releases(upstream));
        List<Release> releases = latest ? index.newestPatchPerMinorLine(LATEST_LINES) : index.newestFirst();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(releases));
        } else {
            releases.forEach(r -> out.println(r.version()));
        }
        out.flush();
    }

    private String toJson(List<Release> releases) {
        List<Object> entries = new ArrayList<>();
        for (Release r : releases) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("version", r.version().toString());
            e.put("tag", r.tag());
            e.put("published", r.publishedAt().map(Object::toString).orElse(null));
            entries.add(e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("name", name);
        m.put("latest", latest);
        m.put("releases", entries);
        StringBuilder b = new StringBuilder();
        JsonText.write(b, m);
        return b.toString();
    }
}
