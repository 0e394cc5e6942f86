package dev.sysext.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code sysext} command. */
@Command(name = "sysext",
        footerHeading = "%nExamples:%n",
        footer = {"  sysext create containerd 2.2.0          # bake containerd-2.2.0-x86-64.raw",
            "  sysext list containerd --latest         # what can be baked",
            "  sysext release publish/ --sign-key keys/signing-key.asc",
            "  sysext butane containerd --base-url URL --keyring import-pubring.gpg",
            "  sysext help create                      # a command's options and examples",
            "",
            "Exit codes: 0 success, 1 internal error, 2 usage error, 3 bad input,",
            "4 verification failed, 5 network error."},
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Bakes, inspects and publishes systemd-sysext images for Flatcar Container Linux.",
        subcommands = {
            CommandLine.HelpCommand.class,
            KeygenCommand.class,
            ReleaseCommand.class,
            SysupdateCommand.class,
            ButaneCommand.class,
            MksquashfsCommand.class,
            CreateCommand.class,
            ListCommand.class,
            CheckCommand.class,
            VerifyCommand.class,
            UnsquashfsCommand.class,
            InspectCommand.class,
            CompletionCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** --quiet, --verbose, --progress: inherited by every subcommand, their values land here. */
    @CommandLine.Mixin
    OutputOptions output = new OutputOptions();

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code, without exiting the JVM. */
    static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine.Help.Ansi ansi = TerminalDetection.stylesAllowed(System.getenv())
                ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF;
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new FailureHandler())
                .setExecutionStrategy(Main::execute)
                .setColorScheme(CommandLine.Help.defaultColorScheme(ansi));
    }

    /** Checks the global options once, before any command does work, then runs the command. */
    private static int execute(CommandLine.ParseResult parsed) {
        Main main = (Main) parsed.commandSpec().userObject();
        if (main.output.quiet && main.output.verbose) {
            throw new CommandLine.ParameterException(parsed.commandSpec().commandLine(),
                    "--quiet and --verbose cannot be used together");
        }
        try {
            ProgressMode.resolve(main.output.progress, System.getenv());
        } catch (CommandFailure e) {
            throw new CommandLine.ParameterException(parsed.commandSpec().commandLine(), e.getMessage());
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    @Override
    public void run() {
        // No subcommand: show what there is to do.
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command");
    }
}
