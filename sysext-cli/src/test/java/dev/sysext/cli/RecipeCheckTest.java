package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed recipes: {@code sysext recipe check} and {@code sysext create --recipe} name the file,
 * line and key of every problem, exit 2, and create writes nothing.
 */
class RecipeCheckTest {
    @TempDir
    Path dir;

    private static final String GOOD = """
            name = "hello"
            description = "a greeting"

            [versions]
            source = "github"
            repository = "example/hello"
            prefix = "v"

            [architectures]
            x86-64 = "amd64"

            [[inputs]]
            name = "hello"
            url = "https://github.com/example/hello/releases/download/{tag}/hello-{version}-{arch}.tar.gz"
            archive = "tar.gz"
            verify = [{ kind = "github-digest" }]
            layout = [{ from = "bin/*", to = "usr/bin/" }]

            [[files]]
            source = "usr/lib/systemd/system/hello.service"
            """;

    private Path recipe(String name, String toml) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.createDirectories(d.resolve("files/usr/lib/systemd/system"));
        Files.writeString(d.resolve("files/usr/lib/systemd/system/hello.service"), "[Service]\nExecStart=/usr/bin/hello\n");
        Files.writeString(d.resolve("recipe.toml"), toml);
        return d;
    }

    @Test
    void aSoundRecipeIsOk() throws Exception {
        Path d = recipe("good", GOOD);
        SysextRun r = SysextRun.run("recipe", "check", d);
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(d + ": OK: hello, 1 input, 1 static file\n", r.out());
    }

    @Test
    void everyProblemIsReportedWithFileLineAndKey() throws Exception {
        String bad = GOOD
                .replace("prefix = \"v\"", "prefix = 1")                  // line 7: wrong type
                .replace("name = \"hello\"\nurl", "url")                   // [[inputs]] at 12 has no name
                .replace("hello-{version}", "hello-{vresion}")             // line 13: bad template
                .replace("from = \"bin/*\"", "from = \"bin/[ab\"")        // line 16: bad glob
                .replace("[[files]]", "verfy = 3\n\n[[files]]");           // line 18: unknown key
        Path d = recipe("bad", bad);
        Files.writeString(d.resolve("files/usr/lib/systemd/system/stray.conf"), "x\n");
        Path toml = d.resolve("recipe.toml");
        SysextRun r = SysextRun.run("recipe", "check", d);
        assertEquals(ExitCode.USAGE.code, r.exitCode(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.contains(toml + ":7: versions.prefix: expected a string, found a number"), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(toml + ":13: inputs[0].url: bad template: unknown variable"
                + " {vresion}; known here: {arch}")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(toml + ":16: inputs[0].layout[0].from: bad glob: '['")),
                r.out());
        assertTrue(lines.contains(toml + ":12: inputs[0].name: missing (a string)"), r.out());
        assertTrue(lines.contains(toml + ":18: inputs[0].verfy: unknown key"), r.out());
        assertTrue(lines.contains(d.resolve("files/usr/lib/systemd/system/stray.conf")
                + ": not placed by any [[files]] entry (add one with source = \"usr/lib/systemd/system/stray.conf\","
                + " or remove the file)"), r.out());
        assertEquals(6, lines.size(), r.out());
        assertTrue(r.err().contains("sysext: error: 6 problems in " + d), r.err());

        // create gets the same lines, exit 2, and writes nothing.
        Path out = dir.resolve("out");
        SysextRun c = SysextRun.run("create", "--recipe", d, "1.0.0", "-o", out);
        assertEquals(ExitCode.USAGE.code, c.exitCode(), c::toString);
        assertTrue(c.err().startsWith("sysext: error: the recipe " + d + " has 6 problems:\n"), c.err());
        for (String line : lines) {
            assertTrue(c.err().contains("\n  " + line + "\n"), line + " in\n" + c.err());
        }
        assertFalse(Files.exists(out), "nothing is written");
    }

    @Test
    void tomlSyntaxErrorsNameTheLine() throws Exception {
        Path d = recipe("syntax", GOOD.replace("[architectures]", "[architectures"));
        SysextRun r = SysextRun.run("recipe", "check", d);
        assertEquals(ExitCode.USAGE.code, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith(d.resolve("recipe.toml") + ":9: not valid TOML: "), r.out());
    }

    @Test
    void missingSectionsAndMismatchedKeysAreNamed() throws Exception {
        Path d = recipe("sections", """
                name = "x y"
                description = "d"
                [architectures]
                riscv64 = "riscv64"
                [[inputs]]
                name = "a"
                url = "https://example.org/a"
                verify = [{ kind = "signature", url = "{url}.asc", signed-by = "nobody" }, { kind = "sha1" }]
                [[files]]
                source = "usr/lib/systemd/system/hello.service"
                """);
        SysextRun r = SysextRun.run("recipe", "check", d);
        assertEquals(ExitCode.USAGE.code, r.exitCode(), r::toString);
        Path toml = d.resolve("recipe.toml");
        for (String expected : List.of(
                toml + ":1: name: 'x y' must be letters, digits",
                toml + ": versions: missing (a table)",
                toml + ":4: architectures.riscv64: unknown architecture",
                toml + ":5: inputs[0].to: missing: a single-file input needs 'to'",
                toml + ":8: inputs[0].verify[0].signed-by: no key set 'nobody'",
                toml + ":8: inputs[0].verify[1].kind: unknown kind 'sha1'")) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(expected)), expected + " in\n" + r.out());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
