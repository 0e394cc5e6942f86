package dev.sysext.cli;

import dev.sysext.fetch.Release;
import dev.sysext.fetch.ReleaseIndex;
import dev.sysext.fetch.ProgressListener;
import dev.sysext.stage.Recipe;
import dev.sysext.stage.RecipeCatalog;
import dev.sysext.stage.Upstream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sysext list NAME}: the versions an extension can be built in, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Lists the upstream versions of an extension, newest first (no pre-releases).",
            "Set GITHUB_TOKEN to raise GitHub's API rate limit."})
final class ListCommand implements Runnable {
    /** The number of minor lines --latest shows, as the bakery does. */
    static final int LATEST_LINES = 5;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The extension (e.g. containerd).")
    String name;

    @Option(names = "--latest", description = "Only the newest patch release of each of the "
            + LATEST_LINES + " newest minor lines.")
    boolean latest;

    @Option(names = "--json", description = "A JSON array of {\"version\", \"tag\", \"published\"} objects.")
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

    private static String toJson(List<Release> releases) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < releases.size(); i++) {
            Release r = releases.get(i);
            sb.append(i == 0 ? "\n  " : ",\n  ").append("{\"version\": ").append(quote(r.version().toString()))
                    .append(", \"tag\": ").append(quote(r.tag()))
                    .append(", \"published\": ").append(r.publishedAt().map(t -> quote(t.toString())).orElse("null"))
                    .append('}');
        }
        return sb.append(releases.isEmpty() ? "]" : "\n]").toString();
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
