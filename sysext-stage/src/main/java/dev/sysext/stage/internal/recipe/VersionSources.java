package dev.sysext.stage.internal.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sysext.fetch.FetchException;
import dev.sysext.fetch.Release;
import dev.sysext.fetch.ReleaseFilter;
import dev.sysext.fetch.ReleaseIndex;
import dev.sysext.fetch.Version;
import dev.sysext.stage.StageException;
import dev.sysext.stage.Upstream;
import dev.sysext.stage.recipe.RecipeDefinition;
import dev.sysext.stage.recipe.RecipeDefinition.VersionSource;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

/** The versions a {@link VersionSource} offers, newest first, read from upstream. */
public final class VersionSources {
    /** HashiCorp's releases API; one page of the newest releases (the API's maximum page size). */
    public static final String HASHICORP_API = "https://api.releases.hashicorp.com/v1/releases/";

    private VersionSources() {
    }

    /**
     * The releases {@code source} offers, newest first (no drafts or pre-releases unless asked).
     *
     * @param values the variables of the source's URL template ({@code arch})
     */
    public static ReleaseIndex list(VersionSource source, Map<String, String> values, Upstream upstream)
            throws IOException {
        if (source instanceof RecipeDefinition.GitHubReleases g) {
            ReleaseFilter filter = new ReleaseFilter(false, g.preReleases(), g.tagPattern());
            List<Release> out = new ArrayList<>();
            for (Release r : upstream.github().list(g.owner(), g.repo(), filter).newestFirst()) {
                if (!r.tag().startsWith(g.prefix())) {
                    continue;
                }
                Optional<Version> v = Version.tryParse(r.tag().substring(g.prefix().length()));
                if (v.isPresent() && (g.preReleases() || !v.get().isPreRelease())) {
                    out.add(new Release(r.tag(), v.get(), r.draft(), r.preRelease(), r.publishedAt(), r.assets()));
                }
            }
            return ReleaseIndex.of(out);
        }
        if (source instanceof RecipeDefinition.HashiCorpReleases h) {
            URI url = URI.create(HASHICORP_API + h.product() + "?limit=20");
            JsonNode list;
            try {
                list = JsonMapper.builder().build().readTree(upstream.http().fetchText(url));
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new FetchException(url, url + ": unexpected answer from HashiCorp's releases API: "
                        + e.getOriginalMessage(), e);
            }
            List<Release> out = new ArrayList<>();
            for (JsonNode r : list) {
                Optional<Version> v = Version.tryParse(r.path("version").asText(""));
                // Enterprise builds (license_class "enterprise", versions such as 1.20.1+ent) are other products.
                boolean oss = r.path("license_class").asText("oss").equals("oss") && !v.map(Version::toString)
                        .orElse("").contains("+");
                if (v.isPresent() && oss && !r.path("is_prerelease").asBoolean(false) && !v.get().isPreRelease()) {
                    out.add(new Release(v.get().toString(), v.get(), false, false, Optional.empty(), List.of()));
                }
            }
            return ReleaseIndex.of(out);
        }
        if (source instanceof RecipeDefinition.Listing l) {
            URI url = URI.create(l.url().render(values));
            Set<String> seen = new LinkedHashSet<>();
            List<Release> out = new ArrayList<>();
            Matcher m = l.pattern().matcher(upstream.http().fetchText(url));
            while (m.find()) {
                Optional<Version> v = Version.tryParse(m.group(1));
                if (v.isPresent() && !v.get().isPreRelease() && seen.add(v.get().toString())) {
                    out.add(new Release(m.group(1), v.get(), false, false, Optional.empty(), List.of()));
                }
            }
            return ReleaseIndex.of(out);
        }
        throw new StageException("a document gives one version, not a list: " + source.describe());
    }

    /**
     * The version an input takes from {@code source}: the newest release, or the text a document pins.
     *
     * @param owner what a missing document means, for the message ({@code containerd has no release v9.9.9})
     * @return the version as upstream writes it (a tag keeps its {@code v}) and where it came from
     */
    public static Resolved resolve(VersionSource source, Map<String, String> values, Upstream upstream, String owner)
            throws IOException {
        if (source instanceof RecipeDefinition.Document d) {
            URI url = URI.create(d.url().render(values));
            String text;
            try {
                text = upstream.http().fetchText(url);
            } catch (FetchException e) {
                if (e.status().isPresent() && e.status().getAsInt() == 404) {
                    throw new StageException(owner + " (" + url + " is not there)", e);
                }
                throw e;
            }
            Matcher m = d.pattern().matcher(text);
            if (!m.find()) {
                String shown = text.strip();
                throw new StageException(url + ": expected a version such as v1.3.3, found '"
                        + (shown.length() > 40 ? shown.substring(0, 40) + "..." : shown) + "'");
            }
            return new Resolved(m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : m.group(), "pinned in " + url);
        }
        Release newest = list(source, values, upstream).latest().orElseThrow(
                () -> new StageException(source.describe() + " lists no release"));
        return new Resolved(source instanceof RecipeDefinition.GitHubReleases ? newest.tag() : newest.version().toString(),
                "the newest of " + source.describe());
    }

    /**
     * A resolved input version.
     *
     * @param version as upstream writes it
     * @param origin where it came from, for the evidence ({@code pinned in URL})
     */
    public record Resolved(String version, String origin) {
    }
}
