package dev.sysext.cli;

import dev.sysext.sysupdate.TransferDefinition;
import dev.sysext.sysupdate.UpdateDropIn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The systemd-sysupdate options shared by {@code sysext sysupdate} and {@code sysext butane}. */
final class TransferOptions {
    @Option(names = "--minor", paramLabel = "X.Y",
            description = "Follow one minor line: install only patch releases of X.Y.")
    String minorLine;

    @Option(names = "--min-version", paramLabel = "VERSION",
            description = "Never install a version older than VERSION.")
    String minVersion;

    @Option(names = "--no-verify",
            description = "Do not check SHA256SUMS.gpg (Verify=no): only for releases that are not signed.")
    boolean noVerify;

    @Option(names = "--instances-max", paramLabel = "N", defaultValue = "3",
            description = "Versions kept on the host (default: ${DEFAULT-VALUE}).")
    int instancesMax;

    @Option(names = "--transfer",
            description = "Name the transfer file NAME.transfer instead of NAME.conf: systemd 257 and later"
                    + " prefer it, 256 and older ignore it.")
    boolean transferSuffix;

    @Option(names = "--on-change", paramLabel = "ACTION", defaultValue = "reboot",
            description = "After a new image was installed: reboot (touch /run/reboot-required, the default)"
                    + " or refresh (systemd-sysext refresh, then restart the --restart units).")
    UpdateDropIn.OnChange onChange;

    @Option(names = "--restart", paramLabel = "UNIT",
            description = "With --on-change refresh: restart UNIT (repeatable).")
    List<String> restartUnits = new ArrayList<>();

    TransferDefinition transfer(String name, String sourceUrl) {
        return new TransferDefinition(name, sourceUrl, instancesMax, !noVerify,
                Optional.ofNullable(minorLine), Optional.ofNullable(minVersion));
    }

    UpdateDropIn dropIn(TransferDefinition transfer) {
        return new UpdateDropIn(transfer, onChange, restartUnits);
    }
}
