package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.fetch.testing.FakeGitHub;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code sysext list} against a loopback GitHub API with several pages of releases. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListCommandTest {
    private FakeGitHub github;
    private List<String> rewrite;

    @BeforeAll
    void publish() throws Exception {
        github = FakeGitHub.start();
        github.pageSize(4); // the list spans several pages
        // Published in this order; GitHub lists newest-published first, which is not version order.
        for (String tag : List.of("v1.6.0", "v1.6.39", "v1.7.0", "v1.7.29", "api/v1.9.0", "v2.0.0", "v2.0.7",
                "v2.1.0", "v1.7.30", "v2.1.5", "v2.2.0", "v2.0.10", "v2.2.1", "api/v1.10.0")) {
            github.release("containerd", "containerd", tag);
        }
        github.release("containerd", "containerd", "v2.3.0-rc.1").prerelease();
        github.release("containerd", "containerd", "v2.3.0-beta.0"); // a pre-release by its version
        github.release("containerd", "containerd", "v2.3.0").draft();
        rewrite = new ArrayList<>();
        for (String r : github.rewriteRules()) {
            rewrite.add("--rewrite-url");
            rewrite.add(r);
        }
    }

    @AfterAll
    void stop() {
        github.close();
    }

    private SysextRun list(String... args) {
        List<String> all = new ArrayList<>(List.of("list", "containerd"));
        all.addAll(List.of(args));
        all.addAll(rewrite);
        return SysextRun.of(all);
    }

    @Test
    void versionsNewestFirstWithoutApiTagsDraftsOrPreReleases() {
        SysextRun r = list();
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(List.of("2.2.1", "2.2.0", "2.1.5", "2.1.0", "2.0.10", "2.0.7", "2.0.0", "1.7.30", "1.7.29", "1.7.0",
                "1.6.39", "1.6.0"), r.out().lines().toList());
        assertTrue(github.server().requests(FakeGitHub.releasesPath("containerd", "containerd")).size() >= 4,
                "followed the pages");
    }

    @Test
    void latestIsTheNewestPatchOfEachOfTheFiveNewestMinorLines() {
        SysextRun r = list("--latest");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(List.of("2.2.1", "2.1.5", "2.0.10", "1.7.30", "1.6.39"), r.out().lines().toList());
    }

    @Test
    @SuppressWarnings("unchecked")
    void json() {
        SysextRun r = list("--latest", "--json");
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, Object> json = Json.object(r.out());
        new JsonSchema().member("schema", JsonSchema.STRING).member("name", JsonSchema.STRING)
                .member("latest", JsonSchema.BOOLEAN).member("releases", JsonSchema.ARRAY).check(json);
        assertEquals("sysext.list/v1", json.get("schema"));
        assertEquals("containerd", json.get("name"));
        assertEquals(Boolean.TRUE, json.get("latest"));
        List<Object> releases = (List<Object>) json.get("releases");
        assertEquals(5, releases.size(), r.out());
        JsonSchema release = new JsonSchema().member("version", JsonSchema.STRING).member("tag", JsonSchema.STRING)
                .member("published", JsonSchema.STRING_OR_NULL);
        releases.forEach(e -> release.check((Map<String, Object>) e));
        assertEquals(Map.of("version", "2.2.1", "tag", "v2.2.1", "published", "2025-11-05T12:00:00Z"), releases.get(0));
        assertEquals("1.6.39", ((Map<String, Object>) releases.get(4)).get("version"));
    }

    /** The bakery's 26 download recipes, all in the catalog. */
    private static final List<String> CATALOG = List.of("cilium", "cloud-hypervisor", "coder", "consul", "containerd",
            "crio", "dataplaneapi", "docker", "docker-buildx", "docker-compose", "falco", "k3s", "kata-containers",
            "kubernetes", "llamaedge", "nebula", "nerdctl", "nomad", "ollama", "opkssh", "rke2", "tailscale", "vault",
            "wasmcloud", "wasmedge", "wasmtime");

    @Test
    void withoutANameTheCatalogWithWhatEachRecipeShipsAndHowItIsVerified() {
        SysextRun r = SysextRun.run("list");
        assertEquals(0, r.exitCode(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertEquals(2 * CATALOG.size(), lines.size(), r.out());
        for (int i = 0; i < CATALOG.size(); i++) {
            assertTrue(lines.get(2 * i).startsWith(CATALOG.get(i) + " "), lines.get(2 * i));
            assertTrue(lines.get(2 * i + 1).matches(" +verified: .+"), lines.get(2 * i + 1));
        }
        assertTrue(r.out().contains("verified: containerd: gnu checksum file; runc: OpenPGP signature by the runc keys"
                + " + gnu checksum file clear-signed by the runc keys\n"), r.out());
        assertTrue(r.out().contains("verified: docker: NOTHING"), r.out());
    }

    @Test
    @SuppressWarnings("unchecked")
    void catalogJson() {
        SysextRun r = SysextRun.run("list", "--json");
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, Object> json = Json.object(r.out());
        assertEquals("sysext.catalog/v1", json.get("schema"));
        List<Map<String, Object>> recipes = (List<Map<String, Object>>) json.get("recipes");
        assertEquals(CATALOG, recipes.stream().map(m -> m.get("name")).toList());
        Map<String, Object> consul = recipes.get(CATALOG.indexOf("consul"));
        assertEquals("HashiCorp's releases API (consul)", consul.get("versions"));
        assertEquals(List.of("x86-64", "arm64"), consul.get("architectures"));
        Map<String, Object> input = ((List<Map<String, Object>>) consul.get("inputs")).get(0);
        assertEquals(List.of("checksum"), input.get("kinds"));
        assertEquals(Boolean.TRUE, input.get("verified"));
        Map<String, Object> docker = ((List<Map<String, Object>>) recipes.get(CATALOG.indexOf("docker"))
                .get("inputs")).get(0);
        assertEquals(Boolean.FALSE, docker.get("verified"));
        assertEquals(List.of("none"), docker.get("kinds"));
    }

    @Test
    void rateLimitIsANetworkErrorThatSaysWhatToDo() {
        github.rateLimitUntil(System.currentTimeMillis() / 1000 + 600);
        try {
            SysextRun r = list();
            assertEquals(ExitCode.NETWORK_ERROR.code, r.exitCode(), r::toString);
            assertTrue(r.err().contains("GITHUB_TOKEN"), r.err());
        } finally {
            github.rateLimitUntil(0);
        }
    }
}
