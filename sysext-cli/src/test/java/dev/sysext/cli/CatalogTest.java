package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.fetch.testing.FakeGitHub;
import dev.sysext.fetch.testing.TestKey;
import dev.sysext.stage.Recipe;
import dev.sysext.stage.RecipeCatalog;
import dev.sysext.stage.recipe.DeclarativeRecipe;
import dev.sysext.stage.recipe.RecipeDefinition;
import dev.sysext.stage.recipe.RecipeDefinition.Check;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recipe of the catalog, end to end, from fixtures {@link CatalogFixtures} synthesizes from
 * the recipe itself: {@code sysext create NAME} picks the newest release, fetches and verifies every
 * input through the loopback upstream and writes the image; systemd-sysext merges it into a fake
 * Flatcar root, the recipe's check command runs from the merged tree and prints the version, and
 * the units are in usr/lib/systemd/system and pass {@code systemd-analyze verify}. A new recipe
 * directory is covered without changes here
 * (it needs a [check] table). Then, for one input per verification kind found in the catalog, each
 * fault that kind must catch is refused with exit code 4 and an empty output directory.
 */
class CatalogTest {
    @TempDir
    Path dir;

    static Stream<String> recipes() throws IOException {
        return RecipeCatalog.load().all().stream().map(Recipe::name);
    }

    private static RecipeDefinition definition(String name) throws IOException {
        Recipe r = RecipeCatalog.load().require(name);
        assertTrue(r instanceof DeclarativeRecipe, name + " is a declarative recipe");
        return ((DeclarativeRecipe) r).definition();
    }

    /** Units of other extensions that catalog units require (dataplaneapi runs beside the haproxy extension). */
    private static final List<String> EXTERNAL_UNITS = List.of("haproxy.service");

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void buildsMergesAndRuns(String name) throws Exception {
        RecipeDefinition d = definition(name);
        assertTrue(d.check().isPresent(), name + ": a catalog recipe needs a [check] table");
        String version = d.check().get().version();
        try (FakeGitHub gh = FakeGitHub.start()) {
            CatalogFixtures fx = new CatalogFixtures(gh, TestKey.generate("catalog test <catalog@example.org>"));
            fx.publish(d, version, CatalogFixtures.Fault.NONE, 0, 0);
            Path out = dir.resolve("out");
            SysextRun r = create(fx, name, out, d.inputs().stream().anyMatch(RecipeDefinition.Input::unverified));
            assertEquals(0, r.exitCode(), r::toString);
            Path image = out.resolve(name + "-" + version + "-x86-64.raw");
            assertTrue(r.out().endsWith("  " + image + "\n"), r.out());
            assertTrue(r.err().contains("verified: "), r.err());

            FlatcarRoot root = new FlatcarRoot(Files.createDirectories(dir.resolve("root")));
            root.install(image, name);
            List<String> command = d.check().get().command();
            StringBuilder script = new StringBuilder("true");
            if (!command.isEmpty()) {
                script.append("\n\"$ROOT/").append(command.get(0)).append('"');
                for (String arg : command.subList(1, command.size())) {
                    script.append(" '").append(arg.replace("'", "'\\''")).append('\'');
                }
            }
            for (String file : d.check().get().files()) {
                script.append("\ntest -e \"$ROOT/").append(file).append("\" && echo \"file: ").append(file).append('"');
            }
            for (String unit : CatalogFixtures.units(d, version)) {
                script.append("\ntest -f \"$ROOT/").append(unit).append("\" && echo \"unit: ").append(unit).append('"');
            }
            dev.sysext.fetch.Version v = dev.sysext.fetch.Version.parse(version);
            for (RecipeDefinition.Link link : d.links()) {
                if (link.versions().contains(v)) {
                    // A relative link must resolve inside the merged tree; an absolute one points at the host.
                    script.append("\ntest -L \"$ROOT/").append(link.path()).append('"');
                    if (!link.target().startsWith("/")) {
                        script.append(" && test -e \"$ROOT/").append(link.path()).append('"');
                    }
                    script.append(" && echo \"link: ").append(link.path()).append('"');
                }
            }
            // systemd's own check of every unit the image ships, run on the host with the merged tree
            // in place: a command it cannot find on the host counts only if the image lacks it too.
            script.append("\nfor f in \"$ROOT\"/usr/lib/systemd/system/*.service \"$ROOT\"/usr/lib/systemd/system/*.socket; do")
                    .append("\n  [ -e \"$f\" ] || continue")
                    .append("\n  systemd-analyze verify \"$f\" 2>&1 | while IFS= read -r line; do")
                    .append("\n    case $line in")
                    .append("\n      *'Command '*' is not executable: No such file or directory')")
                    .append("\n        cmd=${line#*Command }; cmd=${cmd%% is not executable*}")
                    .append("\n        [ -x \"$ROOT$cmd\" ] || echo \"verify: $line\" ;;")
                    .append("\n      *) echo \"verify: $line\" ;;")
                    .append("\n    esac")
                    .append("\n  done")
                    .append("\ndone");
            ExternalTool t = root.mergeAndRun(script.toString());
            List<String> complaints = t.output().lines().filter(l -> l.startsWith("verify: "))
                    .filter(l -> EXTERNAL_UNITS.stream().noneMatch(u -> l.endsWith("Unit " + u + " not found.")))
                    .toList();
            assertEquals(List.of(), complaints, "systemd-analyze verify: " + t.output());
            assertEquals(0, t.exitCode(), t.output());
            assertTrue(t.output().contains("Using extensions '" + name + "'."), t.output());
            if (!command.isEmpty()) {
                assertTrue(t.output().contains(CatalogFixtures.banner(d, version)), "the binary ran: " + t.output());
            }
            for (String file : d.check().get().files()) {
                assertTrue(t.output().contains("file: " + file + "\n"), file + " is in the merged tree: " + t.output());
            }
            for (String unit : CatalogFixtures.units(d, version)) {
                assertTrue(t.output().contains("unit: " + unit + "\n"), unit + " is where systemd looks: " + t.output());
            }
            for (RecipeDefinition.Link link : d.links()) {
                if (link.versions().contains(v)) {
                    assertTrue(t.output().contains("link: " + link.path() + "\n"), link + ": " + t.output());
                }
            }
        }
    }

    /** The faults each verification kind must catch. */
    private static final Map<String, List<CatalogFixtures.Fault>> FAULTS = Map.of(
            "checksum", List.of(CatalogFixtures.Fault.TAMPERED, CatalogFixtures.Fault.WRONG_CHECKSUM,
                    CatalogFixtures.Fault.MISSING_ENTRY),
            "signed-checksum", List.of(CatalogFixtures.Fault.FOREIGN_SIGNATURE),
            "signature", List.of(CatalogFixtures.Fault.TAMPERED, CatalogFixtures.Fault.FOREIGN_SIGNATURE),
            "github-digest", List.of(CatalogFixtures.Fault.TAMPERED));

    /** For each kind (signed checksum files apart), the first recipe, input and check of the catalog that has it. */
    static Stream<Arguments> faults() throws IOException {
        Map<String, int[]> first = new LinkedHashMap<>();
        Map<String, String> recipeOf = new LinkedHashMap<>();
        for (String name : recipes().toList()) {
            RecipeDefinition d = definition(name);
            dev.sysext.fetch.Version v = dev.sysext.fetch.Version.parse(d.check().orElseThrow().version());
            for (int i = 0; i < d.inputs().size(); i++) {
                if (!d.inputs().get(i).versions().contains(v)) {
                    continue;
                }
                List<Check> checks = d.inputs().get(i).verify();
                for (int c = 0; c < checks.size(); c++) {
                    String kind = checks.get(c).kind();
                    if (checks.get(c) instanceof RecipeDefinition.ChecksumFile f
                            && (f.clearSignedBy().isPresent() || f.signature().isPresent())) {
                        kind = "signed-checksum";
                    }
                    if (FAULTS.containsKey(kind) && !first.containsKey(kind)) {
                        first.put(kind, new int[] {i, c});
                        recipeOf.put(kind, name);
                    }
                }
            }
        }
        List<Arguments> out = new ArrayList<>();
        for (Map.Entry<String, int[]> e : first.entrySet()) {
            for (CatalogFixtures.Fault f : FAULTS.get(e.getKey())) {
                out.add(Arguments.of(recipeOf.get(e.getKey()), e.getKey(), f, e.getValue()[0], e.getValue()[1]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @MethodSource("faults")
    void everyVerificationKindRefusesWhatItMustCatch(String name, String kind, CatalogFixtures.Fault fault,
                                                     int input, int check) throws Exception {
        RecipeDefinition d = definition(name);
        String version = d.check().orElseThrow().version();
        try (FakeGitHub gh = FakeGitHub.start()) {
            CatalogFixtures fx = new CatalogFixtures(gh, TestKey.generate("catalog test <catalog@example.org>"));
            fx.publish(d, version, fault, input, check);
            Path out = dir.resolve("refused");
            SysextRun r = create(fx, name, out, false);
            assertEquals(ExitCode.VERIFICATION_FAILED.code, r.exitCode(), r::toString);
            assertTrue(r.err().contains("sysext: error: verification failed: "), r.err());
            assertEquals("", r.out());
            if (Files.isDirectory(out)) {
                try (Stream<Path> files = Files.list(out)) {
                    assertEquals(List.of(), files.toList(), "nothing is left in the output directory");
                }
            }
        }
    }

    static Stream<String> recipesWithUnverifiedInputs() throws IOException {
        return recipes().filter(n -> {
            try {
                return definition(n).inputs().stream().anyMatch(RecipeDefinition.Input::unverified);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipesWithUnverifiedInputs")
    void unverifiedInputsNeedAllowUnverifiedAndAreMarked(String name) throws Exception {
        RecipeDefinition d = definition(name);
        String version = d.check().orElseThrow().version();
        try (FakeGitHub gh = FakeGitHub.start()) {
            CatalogFixtures fx = new CatalogFixtures(gh, TestKey.generate("catalog test <catalog@example.org>"));
            fx.publish(d, version, CatalogFixtures.Fault.NONE, 0, 0);
            Path out = dir.resolve("out");
            SysextRun refused = create(fx, name, out, false);
            assertEquals(ExitCode.VERIFICATION_FAILED.code, refused.exitCode(), refused::toString);
            assertTrue(refused.err().contains("pass --allow-unverified"), refused.err());
            assertFalse(Files.exists(out.resolve(name + "-" + version + "-x86-64.raw")));

            List<String> args = new ArrayList<>(List.of("create", name, version, "-o", out.toString(), "--cache",
                    dir.resolve("cache").toString(), "--allow-unverified", "--json"));
            args.addAll(fx.rewriteOptions());
            SysextRun r = SysextRun.of(args);
            assertEquals(0, r.exitCode(), r::toString);
            List<String> unverified = d.inputs().stream().filter(RecipeDefinition.Input::unverified)
                    .map(RecipeDefinition.Input::name).toList();
            assertEquals(unverified, Json.object(r.out()).get("unverified"), r.out());
            Path image = out.resolve(name + "-" + version + "-x86-64.raw");
            ExternalTool manifest = ExternalTool.run("unsquashfs", "-cat", image.toString(),
                    "usr/share/sysext/" + name + ".json");
            assertTrue(manifest.output().contains("\"verified\": false"), manifest.output());
            SysextRun list = SysextRun.run("list");
            assertTrue(list.out().contains("NOTHING"), list.out());
        }
    }

    @Test
    void everyVerificationKindIsSampled() throws IOException {
        List<String> kinds = faults().map(a -> (String) a.get()[1]).distinct().toList();
        // containerd alone brings checksum, signature and a clear-signed checksum file.
        assertTrue(kinds.containsAll(List.of("checksum", "signature", "signed-checksum")), kinds.toString());
        assertFalse(kinds.isEmpty());
    }

    private SysextRun create(CatalogFixtures fx, String name, Path out, boolean allowUnverified) {
        List<String> args = new ArrayList<>(List.of("create", name, "-o", out.toString(), "--cache",
                dir.resolve("cache").toString(), "--keyring", keyring(fx).toString()));
        if (allowUnverified) {
            args.add("--allow-unverified");
        }
        args.addAll(fx.rewriteOptions());
        return SysextRun.of(args);
    }

    private Path keyring(CatalogFixtures fx) {
        try {
            return Files.write(dir.resolve("test.keyring"), fx.key.publicKeyring());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
