package dev.sysext.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The options every command takes (declared once on {@code sysext}, inherited by its subcommands). */
final class OutputOptions {
    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Print nothing on stderr but errors and warnings; stdout keeps the result.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Also print details: each verification, download sizes and times, image statistics.")
    boolean verbose;

    @Option(names = "--progress", paramLabel = "WHEN", scope = ScopeType.INHERIT,
            description = "Progress bars: auto (default: only when stderr is a terminal), always or never;"
                    + " also SYSEXT_PROGRESS.")
    ProgressMode progress;
}
