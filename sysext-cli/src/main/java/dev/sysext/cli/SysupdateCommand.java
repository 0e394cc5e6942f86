package dev.sysext.cli;

import dev.sysext.sysupdate.NoopDefinition;
import dev.sysext.sysupdate.OutputFile;
import dev.sysext.sysupdate.TransferDefinition;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sysext sysupdate}: the host's systemd-sysupdate configuration for one extension. */
@Command(name = "sysupdate", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  sysext sysupdate containerd --source-url https://example.com/sysext/c \\",
            "      --output etc/",
            "  sysext sysupdate containerd --source-url URL --minor 2.2 \\",
            "      --on-change refresh --restart containerd.service --output etc/",
            "  cp -r etc/. /etc/ && systemctl enable --now systemd-sysupdate.timer"},
        header = "Write the systemd-sysupdate configuration that keeps an extension updated.",
        description = {"Write the systemd-sysupdate configuration that keeps extension NAME updated from URL.",
            "DIR mirrors /etc: sysupdate.NAME.d/NAME.conf (the transfer),"
                + " systemd/system/systemd-sysupdate.service.d/NAME.conf (runs systemd-sysupdate -C NAME update"
                + " and flags a reboot when a new image was installed) and sysupdate.d/noop.conf (needed on"
                + " older Flatcar releases). Install with: cp -r DIR/. /etc/"})
final class SysupdateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The extension name, e.g. containerd.")
    String name;

    @Option(names = "--source-url", required = true, paramLabel = "URL",
            description = "The URL of the publish directory (where SHA256SUMS is).")
    String sourceUrl;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = ".",
            description = "Where to write (default: the current directory).")
    Path output;

    @Mixin
    TransferOptions options;

    @Override
    public Integer call() throws Exception {
        TransferDefinition transfer = options.transfer(name, sourceUrl);
        for (OutputFile f : List.of(transfer.file(options.transferSuffix), options.dropIn(transfer).file(),
                NoopDefinition.file())) {
            spec.commandLine().getOut().println(f.writeInto(output));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
