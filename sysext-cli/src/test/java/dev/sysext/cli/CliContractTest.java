package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.fetch.FetchException;
import dev.sysext.fetch.VerificationException;
import dev.sysext.squashfs.SquashfsFormatException;
import dev.sysext.stage.StageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The promises of the command line itself: help with examples for every command, one exit code per
 * kind of failure, JSON that parses and has the documented members, nothing but plain lines when
 * stderr is not a terminal, and silence with --quiet.
 */
class CliContractTest {

    private static final List<String> COMMANDS = List.of("create", "list", "plan", "keygen", "release", "sysupdate",
            "butane", "mksquashfs", "mkerofs", "unsquashfs", "extract", "inspect", "completion", "recipe");

    @Test
    void everyCommandIsCoveredHere() {
        Set<String> registered = new TreeSet<>(Main.commandLine().getSubcommands().keySet());
        registered.remove("help");
        // A command added later must get its help checked too (and the README must say what it does).
        assertTrue(registered.containsAll(COMMANDS), registered::toString);
        Set<String> unchecked = new TreeSet<>(registered);
        COMMANDS.forEach(unchecked::remove);
        unchecked.removeAll(Set.of("check", "verify")); // being added on another branch with their own tests
        assertEquals(Set.of(), unchecked, "commands without a help check");
    }

    @Test
    void everyCommandHasAManPageLikeHelpWithExamples() {
        for (String command : Main.commandLine().getSubcommands().keySet()) {
            if (command.equals("help")) {
                continue;
            }
            SysextRun r = SysextRun.run(command, "--help");
            assertEquals(0, r.exitCode(), command + ": " + r);
            assertTrue(r.out().startsWith(headerOf(command)), command + " starts with its one-line header:\n" + r.out());
            assertTrue(r.out().contains("Usage: sysext " + command), command + ":\n" + r.out());
            assertTrue(r.out().contains("\nExamples:\n  sysext " + command)
                    || r.out().contains("\nExamples:\n  SOURCE_DATE_EPOCH"), command + ":\n" + r.out());
            for (String option : List.of("--quiet", "--verbose", "--progress")) {
                assertTrue(r.out().contains(option), command + " inherits " + option);
            }
            for (String line : r.out().split("\n", -1)) {
                assertTrue(line.length() <= 80, command + ": a line wider than a terminal: " + line);
            }
            assertPlain(r.out());
            // `sysext help COMMAND` shows the same page.
            assertEquals(r.out(), SysextRun.run("help", command).out(), command);
        }
        SysextRun top = SysextRun.run("--help");
        assertTrue(top.out().contains("Exit codes: 0 success, 1 internal error, 2 usage error, 3 bad input,"), top.out());
    }

    private static String headerOf(String command) {
        String[] header = Main.commandLine().getSubcommands().get(command).getCommandSpec().usageMessage().header();
        assertEquals(1, header.length, command + " has a one-line header for `sysext --help`");
        assertFalse(header[0].isBlank(), command);
        return header[0] + "\n";
    }

    @Test
    void completionScriptCompletesCommandsInBash(@TempDir Path dir) throws Exception {
        SysextRun r = SysextRun.run("completion", "bash");
        assertEquals(0, r.exitCode(), r::toString);
        Path script = dir.resolve("sysext.bash");
        Files.writeString(script, r.out());
        // bash itself loads the script and asks it to complete `sysext cr` and `sysext create --co`.
        ExternalTool t = ExternalTool.run("bash", "-c", "source " + script + " && "
                + "COMP_WORDS=(sysext cr); COMP_CWORD=1; COMP_LINE='sysext cr'; COMP_POINT=9; _complete_sysext; "
                + "echo \"${COMPREPLY[@]}\"; "
                + "COMP_WORDS=(sysext create --co); COMP_CWORD=2; COMP_LINE='sysext create --co'; COMP_POINT=18;"
                + " _complete_sysext; echo \"${COMPREPLY[@]}\"");
        assertEquals(0, t.exitCode(), t.output());
        // bash says compopt only works inside a real completion; the replies are what counts
        List<String> lines = t.output().lines().filter(l -> !l.contains("compopt")).toList();
        assertEquals("create", lines.get(0).strip(), t.output());
        assertEquals("--comp", lines.get(1).strip(), t.output());
        assertEquals(2, SysextRun.run("completion", "fish").exitCode());
    }

    // ---- exit codes ----

    @Test
    void usageErrorsExitWith2() {
        assertEquals(2, SysextRun.run("create").exitCode(), "missing NAME");
        assertEquals(2, SysextRun.run("list", "containerd", "--no-such-option").exitCode());
        assertEquals(2, SysextRun.run("--progress=sometimes", "list", "containerd").exitCode());
        assertEquals(2, SysextRun.run("-q", "-v", "release", ".").exitCode(), "--quiet and --verbose together");
        SysextRun r = SysextRun.run("nonsense");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("nonsense"), r.err());
    }

    @Test
    void badInputExitsWith3AndNamesTheInput(@TempDir Path dir) throws IOException {
        Path notAnImage = Files.writeString(dir.resolve("junk.raw"), "not squashfs");
        SysextRun r = SysextRun.run("inspect", notAnImage);
        assertEquals(3, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("sysext: error: " + notAnImage), r.err());
        assertEquals(1, r.err().lines().count(), "one line, no stack trace: " + r.err());

        SysextRun missing = SysextRun.run("mksquashfs", dir.resolve("nowhere"), dir.resolve("x.raw"));
        assertEquals(3, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains(dir.resolve("nowhere").toString()), missing.err());

        SysextRun unknown = SysextRun.run("create", "no-such-extension");
        assertEquals(3, unknown.exitCode(), unknown::toString);
        assertTrue(unknown.err().contains("no-such-extension"), unknown.err());
    }

    @Test
    void verificationFailureExitsWith4(@TempDir Path dir) throws IOException {
        Path image = Files.writeString(dir.resolve("containerd-2.2.0-x86-64.raw"), "image bytes");
        assertEquals(0, SysextRun.run("release", dir).exitCode());
        Files.writeString(image, "other bytes"); // no longer what SHA256SUMS says
        SysextRun r = SysextRun.run("butane", "containerd", "--base-url", "https://example.com/c", "--release-dir", dir,
                "--no-verify");
        assertEquals(4, r.exitCode(), r::toString);
        assertTrue(r.err().contains("does not match its SHA-256"), r.err());
    }

    @Test
    void networkErrorExitsWith5(@TempDir Path empty) throws IOException {
        // A server that answers 404 for the release list: an HTTP error, not retried, so the test is quick.
        try (StaticServer server = new StaticServer(empty)) {
            SysextRun r = SysextRun.run("list", "containerd", "--rewrite-url", "https://api.github.com/=" + server.url());
            assertEquals(5, r.exitCode(), r::toString);
            assertTrue(r.err().startsWith("sysext: error: "), r.err());
            assertTrue(r.err().contains("404"), r.err());
        }
    }

    @Test
    void exceptionsMapToTheirExitCodes() {
        // Library exceptions that reach the handler without a command's own translation.
        assertEquals(ExitCode.VERIFICATION_FAILED, FailureHandler.classify(new VerificationException("bad signature")));
        assertEquals(ExitCode.NETWORK_ERROR, FailureHandler.classify(
                new FetchException(URI.create("https://example.com/x"), "unreachable", null)));
        assertEquals(ExitCode.INPUT_ERROR, FailureHandler.classify(new StageException("bad tar")));
        assertEquals(ExitCode.INPUT_ERROR, FailureHandler.classify(new SquashfsFormatException("bad superblock")));
        assertEquals(ExitCode.INPUT_ERROR, FailureHandler.classify(new NoSuchFileException("x")));
        assertEquals(ExitCode.INTERNAL_ERROR, FailureHandler.classify(new IllegalStateException("bug")));
        // An internal error prints its stack trace (the bug report), and exits with 1.
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = new FailureHandler().handleExecutionException(new IllegalStateException("bug"), cl, null);
        assertEquals(1, code);
        assertTrue(err.toString().startsWith("sysext: error: bug\njava.lang.IllegalStateException"), err.toString());
    }

    // ---- JSON ----

    static final JsonSchema RELEASE = new JsonSchema()
            .member("schema", JsonSchema.STRING)
            .member("directory", JsonSchema.STRING)
            .member("manifest", JsonSchema.STRING)
            .member("signature", JsonSchema.STRING_OR_NULL)
            .member("signer", JsonSchema.OBJECT_OR_NULL)
            .member("entries", JsonSchema.ARRAY)
            .member("omitted", JsonSchema.ARRAY)
            .member("ignored", JsonSchema.ARRAY);
    static final JsonSchema RELEASE_ENTRY = new JsonSchema()
            .member("fileName", JsonSchema.STRING)
            .member("name", JsonSchema.STRING)
            .member("version", JsonSchema.STRING)
            .member("architecture", JsonSchema.STRING)
            .member("sha256", JsonSchema.STRING);
    static final JsonSchema SIGNER = new JsonSchema()
            .member("fingerprint", JsonSchema.STRING)
            .member("userId", JsonSchema.STRING);

    @Test
    @SuppressWarnings("unchecked")
    void releaseJsonHasTheDocumentedMembers(@TempDir Path dir) throws Exception {
        Path publish = Files.createDirectories(dir.resolve("publish \"quoted\""));
        Files.writeString(publish.resolve("containerd-2.2.0-x86-64.raw"), "a");
        Files.writeString(publish.resolve("containerd-2.3.0-rc.1-x86-64.raw"), "b");
        Files.writeString(publish.resolve("containerd.raw"), "c"); // not NAME-VERSION-ARCH.raw
        assertEquals(0, SysextRun.run("keygen", "--name", "Test \"Releases\"", "--email", "t@example.com",
                "--out", dir.resolve("keys")).exitCode());
        SysextRun r = SysextRun.run("-q", "release", publish, "--pre-releases", "omit", "--json",
                "--sign-key", dir.resolve("keys/signing-key.asc"));
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(1, r.out().lines().count(), "one line of JSON: " + r.out());
        Map<String, Object> json = Json.object(r.out());
        RELEASE.check(json);
        assertEquals("sysext.release/v1", json.get("schema"));
        assertEquals(publish.toString(), json.get("directory"), "quotes in the path are escaped and read back");
        List<Object> entries = (List<Object>) json.get("entries");
        assertEquals(1, entries.size());
        Map<String, Object> entry = (Map<String, Object>) entries.get(0);
        RELEASE_ENTRY.check(entry);
        assertEquals("2.2.0", entry.get("version"));
        // The hash is the one sha256sum computes and SHA256SUMS lists.
        ExternalTool sum = ExternalTool.run("sha256sum", publish.resolve("containerd-2.2.0-x86-64.raw").toString());
        assertEquals(sum.output().substring(0, 64), entry.get("sha256"));
        assertTrue(Files.readString(publish.resolve("SHA256SUMS")).contains((String) entry.get("sha256")));
        Map<String, Object> signer = (Map<String, Object>) json.get("signer");
        SIGNER.check(signer);
        assertEquals("Test \"Releases\" <t@example.com>", signer.get("userId"));
        assertTrue(((String) signer.get("fingerprint")).matches("[0-9A-F]{40}"), signer.toString());
        assertEquals(List.of("containerd-2.3.0-rc.1-x86-64.raw"), json.get("omitted"));
        assertEquals(List.of("containerd.raw"), json.get("ignored"));
        assertEquals(publish.resolve("SHA256SUMS.gpg").toString(), json.get("signature"));
        // Warnings still reach stderr with --quiet; nothing else does.
        assertEquals(2, r.err().lines().count(), r.err());
        assertTrue(r.err().lines().allMatch(l -> l.startsWith("sysext: warning: ")), r.err());
        // gpg agrees with the fingerprint the JSON names.
        ExternalTool gpg = ExternalTool.run("gpg", "--batch", "--with-colons", "--show-keys",
                dir.resolve("keys/signing-key.pub.asc").toString());
        assertTrue(gpg.output().contains("fpr:::::::::" + signer.get("fingerprint") + ":"), gpg.output());
    }

    static final JsonSchema INSPECT = new JsonSchema()
            .member("schema", JsonSchema.STRING).member("image", JsonSchema.STRING)
            .member("compressor", JsonSchema.STRING).member("compressorOptions", JsonSchema.OBJECT)
            .member("compressorOptionsStored", JsonSchema.BOOLEAN).member("blockSize", JsonSchema.INTEGER)
            .member("flags", JsonSchema.ARRAY).member("mkfsTime", JsonSchema.INTEGER)
            .member("bytesUsed", JsonSchema.INTEGER).member("imageSize", JsonSchema.INTEGER)
            .member("inodes", JsonSchema.INTEGER).member("files", JsonSchema.INTEGER)
            .member("fileBytes", JsonSchema.INTEGER).member("hardLinks", JsonSchema.INTEGER)
            .member("directories", JsonSchema.INTEGER).member("symlinks", JsonSchema.INTEGER)
            .member("devices", JsonSchema.INTEGER).member("fifos", JsonSchema.INTEGER)
            .member("sockets", JsonSchema.INTEGER).member("fragments", JsonSchema.INTEGER)
            .member("ids", JsonSchema.INTEGER).member("xattrSets", JsonSchema.INTEGER)
            .member("exportable", JsonSchema.BOOLEAN).member("extensionRelease", JsonSchema.OBJECT_OR_NULL);

    @Test
    void mksquashfsAndInspectJsonQuietlyAndWithoutControlCharacters(@TempDir Path dir) throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree/usr/lib/extension-release.d"));
        Files.writeString(tree.resolve("extension-release.demo"), "ID=_any\nARCHITECTURE=x86-64\n");
        Files.writeString(Files.createDirectories(dir.resolve("tree/usr/bin")).resolve("tool"), "#!/bin/sh\n");
        Path image = dir.resolve("demo.raw");
        SysextRun made = SysextRun.run("--quiet", "mksquashfs", dir.resolve("tree"), image, "--all-root");
        assertEquals(0, made.exitCode(), made::toString);
        assertEquals("", made.out() + made.err(), "--quiet: nothing at all on success");

        SysextRun r = SysextRun.run("inspect", image, "--json");
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, Object> json = Json.object(r.out());
        INSPECT.check(json);
        assertEquals("sysext.inspect/v1", json.get("schema"));
        assertEquals(2L, json.get("files"));
        assertEquals(Files.size(image), json.get("imageSize"));
    }

    // ---- output when stderr is not a terminal ----

    @Test
    void theLauncherPrintsPlainLinesIntoPipesAndFiles(@TempDir Path dir) throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree/usr/bin"));
        Files.write(tree.resolve("big"), new byte[3 << 20]);
        Path errLog = dir.resolve("err.log");
        // The real JVM, with stdout a pipe and stderr a file, TERM set as on a desktop: auto must see no terminal.
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(List.of("--verbose", "mksquashfs", dir.resolve("tree").toString(),
                dir.resolve("out.raw").toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(errLog.toFile());
        pb.environment().put("TERM", "xterm-256color");
        pb.environment().remove("CI");
        pb.environment().remove(ProgressMode.ENVIRONMENT_VARIABLE);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), () -> out + errLog);
        assertPlain(out);
        String err = Files.readString(errLog);
        assertPlain(err);
        assertTrue(err.matches("wrote \\S+out\\.raw \\(1 file, 3\\.0 MiB in, [0-9.]+ KiB out\\)\\n"), err);
        assertTrue(Files.isRegularFile(dir.resolve("out.raw")));
    }

    /** The module path the tests run with: this build's classes and their dependencies. */
    private static List<String> javaCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null && !modulePath.isBlank()) {
            return List.of(java, "-p", modulePath, "-m", "dev.sysext.cli/dev.sysext.cli.Main");
        }
        return List.of(java, "-cp", System.getProperty("java.class.path"), "dev.sysext.cli.Main");
    }

    @Test
    void progressBarsOnlyWhenWanted() {
        StringWriter plain = new StringWriter();
        StatusOutput log = new StatusOutput(new PrintWriter(plain), false, true, false);
        URI url = URI.create("https://github.com/containerd/containerd/releases/download/v2.2.0/c.tar.gz");
        for (long n = 0; n <= 10 << 20; n += 1 << 20) {
            log.downloads().progress(url, n, 10 << 20);
        }
        assertPlain(plain.toString());
        assertTrue(plain.toString().startsWith("downloading " + url + " (10.0 MiB)\n"), plain.toString());

        StringWriter bar = new StringWriter();
        StatusOutput live = new StatusOutput(new PrintWriter(bar), false, false, true);
        var listener = live.downloads();
        for (long n = 0; n <= 10 << 20; n += 1 << 20) {
            listener.progress(url, n, 10 << 20);
        }
        live.step("verified: something");
        // The bar redraws in place, and ordinary lines clear it first.
        assertTrue(bar.toString().contains("\rc.tar.gz  [########################] 10.0 MiB / 10.0 MiB"), bar.toString());
        assertTrue(bar.toString().contains("\r\u001b[Kdownloaded c.tar.gz (10.0 MiB)\nverified: something\n"),
                bar.toString());

        StringWriter quiet = new StringWriter();
        StatusOutput silent = new StatusOutput(new PrintWriter(quiet), true, false, true);
        silent.downloads().progress(url, 1, 10);
        silent.step("a step");
        assertEquals("", quiet.toString(), "--quiet wins over --progress=always");
    }

    @Test
    void progressModeFromOptionOrEnvironment() {
        assertEquals(ProgressMode.NEVER, ProgressMode.resolve(ProgressMode.NEVER, Map.of("SYSEXT_PROGRESS", "always")));
        assertEquals(ProgressMode.ALWAYS, ProgressMode.resolve(null, Map.of("SYSEXT_PROGRESS", "Always")));
        assertEquals(ProgressMode.AUTO, ProgressMode.resolve(null, Map.of()));
        assertFalse(ProgressMode.AUTO.live(Map.of("TERM", "dumb")));
        assertFalse(ProgressMode.AUTO.live(Map.of()), "no TERM, no terminal");
        assertFalse(ProgressMode.AUTO.live(Map.of("TERM", "xterm", "CI", "true")));
        assertTrue(ProgressMode.ALWAYS.live(Map.of("TERM", "dumb")));
        assertFalse(TerminalDetection.isTerminalDevice(Path.of("/proc/self/fd/no-such-fd")));
    }

    static void assertPlain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int at = i;
            assertFalse(c < 0x20 && c != '\n' && c != '\t' || c == 0x7f,
                    () -> "control character " + HexFormat.of().toHexDigits(c) + " at " + at + " in:\n" + text);
        }
    }
}
