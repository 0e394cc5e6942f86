package dev.sysext.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code sysext} command. */
@Command(name = "sysext",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Bakes, inspects and publishes systemd-sysext images for Flatcar Container Linux.",
        subcommands = {
            CommandLine.HelpCommand.class,
            MksquashfsCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code, without exiting the JVM. */
    static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new FailureHandler());
    }

    @Override
    public void run() {
        // No subcommand: show what there is to do.
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command");
    }
}
