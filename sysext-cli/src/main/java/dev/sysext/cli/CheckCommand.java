package dev.sysext.cli;

import dev.sysext.entry.ImageReader;
import dev.sysext.stage.Architecture;
import dev.sysext.stage.ExtensionRelease;
import dev.sysext.verify.ExtensionImage;
import dev.sysext.verify.MergeCheck;
import dev.sysext.verify.MergeFinding;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sysext check IMAGE}: would systemd-sysext on a given host merge this image? */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Tell whether systemd-sysext on a host would merge an image, and why not.",
        footerHeading = "%nExamples:%n",
        footer = {"  sysext check containerd-2.2.0-x86-64.raw           # on a current Flatcar, x86-64",
            "  sysext check containerd.raw --os-release /etc/os-release --arch arm64",
            "  sysext check containerd.raw --json | jq -r '.findings[].message'"},
        description = {"Tells whether systemd-sysext on a host would merge IMAGE, and why not, in words:",
            "the extension-release name against the file name, ID, SYSEXT_LEVEL/VERSION_ID, ARCHITECTURE and",
            "SYSEXT_SCOPE against the host, the top-level directories, usr/sbin, EXTENSION_RELOAD_MANAGER.",
            "The host is a current Flatcar (x86-64) unless --os-release and --arch say otherwise.",
            "Exit status 0 when it would merge (warnings allowed), 3 when it would not."})
final class CheckCommand implements Callable<Integer> {
    /** The {@code schema} of {@code --json}. */
    static final String SCHEMA = "sysext.check/v1";
    /** A current Flatcar stable release, as its /usr/lib/os-release has it (the fields systemd-sysext reads). */
    static final String FLATCAR_OS_RELEASE = "ID=flatcar\nVERSION_ID=4230.2.0\nSYSEXT_LEVEL=1.0\n";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image (NAME.raw or NAME-VERSION-ARCH.raw).")
    Path image;

    @Option(names = "--os-release", paramLabel = "FILE",
            description = "The host's os-release (default: Flatcar " + "4230.2.0: ID=flatcar, SYSEXT_LEVEL=1.0).")
    Path osRelease;

    @Option(names = "--arch", paramLabel = "ARCH", description = "The host's architecture: x86-64 (default) or arm64.")
    String arch = "x86-64";

    @Option(names = "--name", paramLabel = "NAME",
            description = "The name the host finds the image under (/etc/extensions/NAME.raw); default: the file name.")
    String name;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() {
        String hostArch;
        try {
            hostArch = Architecture.parse(arch).systemdName();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Map<String, String> os;
        try {
            os = ExtensionRelease.parseFields(osRelease == null ? FLATCAR_OS_RELEASE : Files.readString(osRelease));
        } catch (IOException e) {
            throw new CommandFailure(ExitCode.INPUT_ERROR, osRelease + ": cannot read the os-release: "
                    + CommandFailure.oneLine(e), e);
        }
        if (name != null && name.endsWith(".raw")) {
            name = name.substring(0, name.length() - ".raw".length());
        }
        MergeCheck.Host host = new MergeCheck.Host(os, hostArch);
        MergeCheck.Result result;
        try (ImageReader img = ExtensionImage.open(image)) {
            result = MergeCheck.check(img, image.getFileName().toString(), Optional.ofNullable(name), host);
        } catch (IOException e) {
            throw new CommandFailure(ExitCode.INPUT_ERROR, image + ": " + CommandFailure.oneLine(e)
                    + " (systemd-sysext cannot use an image it cannot read)", e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? json(result, host) : text(result, host));
        out.flush();
        return result.merges() ? ExitCode.OK.code : ExitCode.INPUT_ERROR.code;
    }

    private String text(MergeCheck.Result r, MergeCheck.Host host) {
        StringBuilder b = new StringBuilder();
        for (MergeFinding f : r.findings()) {
            b.append(f.severity().label()).append(": ").append(f.message()).append('\n');
        }
        String hostText = host.osRelease().getOrDefault("ID", "?") + " "
                + host.osRelease().getOrDefault("VERSION_ID", "") + " " + host.architecture();
        long errors = r.findings().stream().filter(f -> f.severity() == MergeFinding.Severity.ERROR).count();
        if (r.merges()) {
            b.append(image).append(": systemd-sysext would merge it as '").append(r.name()).append("' on ")
                    .append(hostText.replaceAll("\\s+", " ")).append('\n');
        } else {
            b.append(image).append(": systemd-sysext would NOT merge it on ").append(hostText.replaceAll("\\s+", " "))
                    .append(" (").append(errors).append(errors == 1 ? " problem" : " problems").append(")\n");
        }
        return b.toString();
    }

    private String json(MergeCheck.Result r, MergeCheck.Host host) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("image", image.toString());
        m.put("name", r.name());
        m.put("merges", r.merges());
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("osRelease", host.osRelease());
        h.put("architecture", host.architecture());
        m.put("host", h);
        if (r.releasePath().isPresent()) {
            Map<String, Object> rel = new LinkedHashMap<>();
            rel.put("path", r.releasePath().get());
            rel.put("fields", r.release());
            m.put("extensionRelease", rel);
        } else {
            m.put("extensionRelease", null);
        }
        List<Object> findings = new ArrayList<>();
        for (MergeFinding f : r.findings()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("severity", f.severity().label());
            o.put("rule", f.rule());
            o.put("message", f.message());
            findings.add(o);
        }
        m.put("findings", findings);
        StringBuilder b = new StringBuilder();
        JsonText.write(b, m);
        return b.append('\n').toString();
    }
}
