package dev.sysext.stage.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.fetch.Version;
import dev.sysext.stage.Architecture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces of the recipe format: templates, member globs, version ranges, and reading a recipe. */
class RecipeFormatTest {
    @TempDir
    Path dir;

    @Test
    void templatesReplaceKnownVariablesAndRefuseOthers() {
        Template t = Template.parse("https://x/{tag}/a-{version}-{arch}.tgz{{1}}", Set.of("tag", "version", "arch"));
        assertEquals("https://x/v1.2.3/a-1.2.3-amd64.tgz{1}", t.render(Map.of("tag", "v1.2.3", "version", "1.2.3",
                "arch", "amd64")));
        assertTrue(t.uses("arch"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Template.parse("a-{vresion}", Set.of("version")));
        assertEquals("unknown variable {vresion}; known here: {version}", unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Template.parse("a-{version", Set.of("version")));
        assertThrows(IllegalArgumentException.class, () -> Template.parse("a-}", Set.of()));
    }

    @Test
    void globsMatchMembersAndPlaceThemBelowTheirFixedDirectories() {
        MemberGlob bin = MemberGlob.parse("bin/*");
        assertTrue(bin.matches("bin/ctr"));
        assertFalse(bin.matches("bin/sub/ctr"), "* stays within one component");
        assertEquals("ctr", bin.below("bin/ctr"));
        MemberGlob lib = MemberGlob.parse("lib/**");
        assertTrue(lib.matches("lib/ollama/cuda/x.so"));
        assertEquals("ollama/cuda/x.so", lib.below("lib/ollama/cuda/x.so"));
        MemberGlob set = MemberGlob.parse("containerd-shim-runc-v[12]");
        assertTrue(set.matches("containerd-shim-runc-v2"));
        assertFalse(set.matches("containerd-shim-runc-v3"));
        assertTrue(MemberGlob.parse("bin/[!x]?").matches("bin/ab"));
        assertFalse(MemberGlob.parse("bin/[!x]?").matches("bin/xb"));
        MemberGlob literal = MemberGlob.parse("usr/bin/falco");
        assertTrue(literal.isLiteral());
        assertEquals("falco", literal.below("usr/bin/falco"));
        assertTrue(MemberGlob.parse("a.b+c").matches("a.b+c"), "regex characters are literal");
        assertFalse(MemberGlob.parse("a.b").matches("axb"));
        for (String bad : List.of("", "/abs", "dir/", "a/../b", "bin/[ab", "bin/a]")) {
            assertThrows(IllegalArgumentException.class, () -> MemberGlob.parse(bad), bad);
        }
    }

    @Test
    void versionRangesCompareAsVersions() {
        VersionRange v3 = new VersionRange(">=2");
        assertTrue(v3.contains(Version.parse("2.2.0")));
        assertFalse(v3.contains(Version.parse("1.7.29")));
        VersionRange between = new VersionRange(">=3.21.0 <4.1.0");
        assertTrue(between.contains(Version.parse("3.21.0")));
        assertTrue(between.contains(Version.parse("4.0.9")));
        assertFalse(between.contains(Version.parse("4.1.0")));
        assertTrue(VersionRange.any().contains(Version.parse("0.0.1")));
        assertThrows(IllegalArgumentException.class, () -> new VersionRange("=>2"));
        assertThrows(IllegalArgumentException.class, () -> new VersionRange(">=two"));
    }

    @Test
    void aRecipeIsReadWithEveryDefault() throws Exception {
        Files.createDirectories(dir.resolve("files/usr/share/hello"));
        Files.writeString(dir.resolve("files/usr/share/hello/motd"), "hello {version}\n");
        Files.writeString(dir.resolve("recipe.toml"), """
                name = "hello"
                description = "a greeting"
                versions = { source = "github", repository = "example/hello", prefix = "v" }
                architectures = { x86-64 = "amd64" }

                [[inputs]]
                name = "hello"
                url = "https://github.com/example/hello/releases/download/{tag}/hello-{arch}"
                to = "usr/bin/hello"
                verify = [{ kind = "checksum", url = "{url}.sha256", format = "bare" }]

                [[files]]
                source = "usr/share/hello/motd"
                template = true
                """);
        DeclarativeRecipe recipe = DeclarativeRecipe.load(dir.resolve("recipe.toml"));
        RecipeDefinition d = recipe.definition();
        assertEquals("hello", d.name());
        assertEquals(Map.of(Architecture.X86_64, "amd64"), d.architectures());
        RecipeDefinition.GitHubReleases g = (RecipeDefinition.GitHubReleases) d.versions();
        assertTrue(g.tagPattern().matcher("v1.2.3").matches());
        assertFalse(g.tagPattern().matcher("api/v1.2.3").matches());
        RecipeDefinition.Input in = d.inputs().get(0);
        assertTrue(in.executable(), "single files are 0755 by default");
        assertEquals("{file}", ((RecipeDefinition.ChecksumFile) in.verify().get(0)).entry().text());
        RecipeDefinition.StaticFile f = d.files().get(0);
        assertEquals("usr/share/hello/motd", f.to(), "to defaults to the source path");
        assertFalse(f.executable());
        assertTrue(d.check().isEmpty());
        assertEquals("hello: bare checksum file", recipe.verification());
    }
}
