package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.sysupdate.UpdateDropIn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole flow against the real systemd-sysupdate 254: {@code sysext keygen}, images in a publish
 * directory, {@code sysext release --sign-key}, served over HTTP on 127.0.0.1, {@code sysext sysupdate}
 * configuration installed in a fake host's /etc, and the service drop-in's commands run as systemd
 * would run them.
 */
class SysupdateEndToEndTest {
    @TempDir
    Path dir;

    private Path pub;
    private Path keys;

    private void release(Object... extra) {
        Object[] args = Stream.concat(Stream.of("release", pub), Stream.of(extra)).toArray();
        SysextRun r = SysextRun.run(args);
        assertEquals(0, r.exitCode(), r.err());
    }

    private void signedRelease() {
        release("--sign-key", keys.resolve("signing-key.asc"));
    }

    /** The drop-in's ExecStartPre= and ExecStartPost= commands, in order, with sysupdate 254 in place of Flatcar's. */
    private static List<String> serviceCommands(FakeHost host, String name, Systemd254 systemd) throws IOException {
        Path dropIn = host.etc().resolve("systemd/system/systemd-sysupdate.service.d/" + name + ".conf");
        List<String> commands = Files.readAllLines(dropIn).stream()
                .filter(l -> l.startsWith("ExecStartPre=") || l.startsWith("ExecStartPost="))
                .map(l -> l.substring(l.indexOf('=') + 1).replace(UpdateDropIn.SYSUPDATE, systemd.sysupdate().toString()))
                .toList();
        assertTrue(commands.stream().anyMatch(c -> c.contains(" -C " + name + " update")), commands.toString());
        return commands;
    }

    private static List<String> installed(FakeHost host, String name) throws IOException {
        Path target = host.opt().resolve("extensions/" + name);
        if (!Files.isDirectory(target)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static String current(FakeHost host, String name) throws IOException {
        Path link = host.etc().resolve("extensions/" + name + ".raw");
        return Files.readSymbolicLink(link).getFileName().toString();
    }

    private FakeHost host(String hostName, String url, String... options) throws IOException {
        FakeHost host = new FakeHost(dir.resolve(hostName), Systemd254.require());
        Object[] args = Stream.concat(Stream.of("sysupdate", "demo", "--source-url", url, "--output", host.etc()),
                Stream.of((Object[]) options)).toArray();
        SysextRun r = SysextRun.run(args);
        assertEquals(0, r.exitCode(), r.err());
        Files.createDirectories(host.etc().resolve("systemd"));
        Files.copy(keys.resolve("import-pubring.gpg"), host.etc().resolve("systemd/import-pubring.gpg"));
        return host;
    }

    @Test
    void aSignedReleaseKeepsAFakeHostUpdated() throws Exception {
        Systemd254 systemd = Systemd254.require();
        pub = dir.resolve("pub");
        keys = dir.resolve("keys");
        SysextRun keygen = SysextRun.run("keygen", "--name", "Test Releases", "--email", "releases@example.com",
                "--out", keys);
        assertEquals(0, keygen.exitCode(), keygen.err());
        SquashfsImages.image(pub, "demo", "1.0.0");
        SquashfsImages.image(pub, "demo", "1.0.1");
        signedRelease();

        try (StaticServer server = new StaticServer(pub)) {
            FakeHost host = host("host", server.url());
            List<String> service = serviceCommands(host, "demo", systemd);

            // First run: the newest image is installed, the symlink points at it, a reboot is flagged.
            FakeHost.Result first = host.run(service);
            assertEquals(0, first.exitCode(), first.output());
            assertEquals(List.of("demo-1.0.1-x86-64.raw"), installed(host, "demo"));
            assertEquals("demo-1.0.1-x86-64.raw", current(host, "demo"));
            assertArrayEquals(Files.readAllBytes(pub.resolve("demo-1.0.1-x86-64.raw")),
                    Files.readAllBytes(host.opt().resolve("extensions/demo/demo-1.0.1-x86-64.raw")));
            assertTrue(first.output().contains("REBOOT-REQUIRED"), first.output());

            // sysupdate 254 needs the target directory to list; the drop-in's first command made it.
            FakeHost.Result list = host.sysupdate("-C", "demo", "list");
            assertEquals(0, list.exitCode(), list.output());
            assertTrue(list.output().contains("1.0.0") && list.output().contains("1.0.1"), list.output());
            assertTrue(list.output().contains("Signature verification succeeded"), list.output());

            // Nothing new: no change, no reboot.
            FakeHost.Result idle = host.run(service);
            assertEquals(0, idle.exitCode(), idle.output());
            assertFalse(idle.output().contains("REBOOT-REQUIRED"), idle.output());

            // Newer releases move the symlink; InstancesMax=3 keeps the three newest.
            for (String version : List.of("1.0.2", "1.1.0", "1.2.0")) {
                SquashfsImages.image(pub, "demo", version);
                signedRelease();
                FakeHost.Result r = host.run(service);
                assertEquals(0, r.exitCode(), r.output());
                assertEquals("demo-" + version + "-x86-64.raw", current(host, "demo"));
                assertTrue(r.output().contains("REBOOT-REQUIRED"), r.output());
            }
            assertEquals(List.of("demo-1.0.2-x86-64.raw", "demo-1.1.0-x86-64.raw", "demo-1.2.0-x86-64.raw"),
                    installed(host, "demo"));

            // A manifest changed after signing is refused, even though its checksum line is right.
            Path newest = SquashfsImages.image(pub, "demo", "2.0.0");
            String line = sha256Line(newest);
            Files.writeString(pub.resolve("SHA256SUMS"), line, java.nio.file.StandardOpenOption.APPEND);
            FakeHost.Result tampered = host.run(service);
            assertNotEquals(0, tampered.exitCode(), tampered.output());
            assertTrue(tampered.output().contains("BAD signature"), tampered.output());
            assertEquals("demo-1.2.0-x86-64.raw", current(host, "demo"));
            assertFalse(installed(host, "demo").contains("demo-2.0.0-x86-64.raw"));

            // An unsigned release is refused too.
            Files.delete(pub.resolve("SHA256SUMS.gpg"));
            release();
            assertTrue(Files.readString(pub.resolve("SHA256SUMS")).contains("demo-2.0.0-x86-64.raw"));
            FakeHost.Result unsigned = host.run(service);
            assertNotEquals(0, unsigned.exitCode(), unsigned.output());
            assertTrue(unsigned.output().contains("SHA256SUMS.gpg") && unsigned.output().contains("404"),
                    unsigned.output());
            assertEquals("demo-1.2.0-x86-64.raw", current(host, "demo"));

            // Signed again, the same release installs: the refusals were about the signature.
            signedRelease();
            FakeHost.Result resigned = host.run(service);
            assertEquals(0, resigned.exitCode(), resigned.output());
            assertEquals("demo-2.0.0-x86-64.raw", current(host, "demo"));
            assertEquals(3, installed(host, "demo").size());

            // The no-op definition lets a bare "systemd-sysupdate update" (older Flatcar) succeed.
            FakeHost.Result bare = host.sysupdate("update");
            assertEquals(0, bare.exitCode(), bare.output());
            assertEquals("demo-2.0.0-x86-64.raw", current(host, "demo"));

            // A host on the 1.0 line gets 1.0's newest patch release, not 1.2.0 or 2.0.0.
            FakeHost minor = host("minor-host", server.url(), "--minor", "1.0");
            FakeHost.Result onLine = minor.run(serviceCommands(minor, "demo", systemd));
            assertEquals(0, onLine.exitCode(), onLine.output());
            assertEquals("demo-1.0.2-x86-64.raw", current(minor, "demo"));
            assertEquals(List.of("demo-1.0.2-x86-64.raw"), installed(minor, "demo"));

            // MinVersion above everything published: nothing is installed.
            FakeHost floor = host("floor-host", server.url(), "--min-version", "3.0.0");
            FakeHost.Result none = floor.run(serviceCommands(floor, "demo", systemd));
            assertEquals(0, none.exitCode(), none.output());
            assertEquals(List.of(), installed(floor, "demo"));
            assertFalse(Files.exists(floor.etc().resolve("extensions/demo.raw"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
            assertFalse(none.output().contains("REBOOT-REQUIRED"), none.output());
        }
    }

    @Test
    void aHostDeployedFromTheButaneConfigUpdatesThroughARedirector() throws Exception {
        Systemd254 systemd = Systemd254.require();
        pub = dir.resolve("pub");
        keys = dir.resolve("keys");
        assertEquals(0, SysextRun.run("keygen", "--name", "Test Releases", "--email", "releases@example.com",
                "--out", keys).exitCode());
        SquashfsImages.image(pub, "demo", "1.0.0");
        signedRelease();
        try (StaticServer server = new StaticServer(pub)) {
            // Hosts see the directory only through redirects, as with GitHub release assets behind a redirector.
            SysextRun butane = SysextRun.run("butane", "demo", "--base-url", server.redirectingUrl(), "--release-dir", pub,
                    "--keyring", keys.resolve("signing-key.pub.asc"), "--enable", "demo.service");
            assertEquals(0, butane.exitCode(), butane.err());
            FakeHost host = new FakeHost(dir.resolve("ignited"), systemd);
            IgnitionStandIn.apply(butane.out(), host);
            assertEquals("demo-1.0.0-x86-64.raw", current(host, "demo"));

            // systemd-sysupdate counts the image Ignition placed as installed.
            FakeHost.Result list = host.sysupdate("-C", "demo", "list");
            assertEquals(0, list.exitCode(), list.output());
            assertTrue(list.output().lines().anyMatch(l -> l.contains("1.0.0") && l.contains("✓")), list.output());

            SquashfsImages.image(pub, "demo", "1.1.0");
            signedRelease();
            FakeHost.Result update = host.run(serviceCommands(host, "demo", systemd));
            assertEquals(0, update.exitCode(), update.output());
            assertEquals("demo-1.1.0-x86-64.raw", current(host, "demo"));
            assertEquals(List.of("demo-1.0.0-x86-64.raw", "demo-1.1.0-x86-64.raw"), installed(host, "demo"));
            assertTrue(update.output().contains("REBOOT-REQUIRED"), update.output());
        }
    }

    private static String sha256Line(Path file) throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        return java.util.HexFormat.of().formatHex(digest) + "  " + file.getFileName() + "\n";
    }
}
