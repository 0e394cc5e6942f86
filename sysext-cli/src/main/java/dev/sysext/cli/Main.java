package dev.sysext.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code sysext} command. */
@Command(name = "sysext",
        footerHeading = "%nExamples:%n",
        footer = {"  sysext create containerd 2.2.0          # bake containerd-2.2.0-x86-64.raw",
            "  sysext list                             # the recipe catalog",
            "  sysext list containerd --latest         # what can be baked",
            "  sysext release publish/ --sign-key keys/signing-key.asc",
            "  sysext butane containerd --base-url URL --keyring import-pubring.gpg",
            "  sysext help create                      # a command's options and examples",
            "",
            "Exit codes: 0 success, 1 internal error, 2 usage error, 3 bad input,",
            "4 verification failed, 5 network error."},
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Bakes, inspects and publishes systemd-sysext images for Flatcar Container Linux.")
public final class Main implements Runnable {
    /** The commands, in the order {@code sysext --help} lists them. */
    private static final Map<String, Class<?>> COMMANDS = commands();

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
        return commandLine(args).execute(args);
    }

    /** The whole command tree. */
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command tree for {@code args}: when they name a command that needs no other, that command
     * alone. Picocli reads every command's options by reflection when it is added, about 0.1 s of
     * start-up for all of them; help, completion and mistyped names get the whole tree.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine.Help.Ansi ansi = TerminalDetection.stylesAllowed(System.getenv())
                ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF;
        CommandLine cl = new CommandLine(new Main());
        String only = commandNamed(args);
        for (Map.Entry<String, Class<?>> c : COMMANDS.entrySet()) {
            if (only == null || only.equals(c.getKey())) {
                cl.addSubcommand(c.getKey(), c.getValue());
            }
        }
        // After the subcommands: these settings reach the subcommands present when they are made.
        return cl.setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new FailureHandler())
                .setExecutionStrategy(Main::execute)
                .setColorScheme(CommandLine.Help.defaultColorScheme(ansi));
    }

    /** The command the arguments name, or null when they name none, help, completion or an unknown one. */
    private static String commandNamed(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--progress")) {
                i++; // its value
            } else if (!a.startsWith("-")) {
                return COMMANDS.containsKey(a) && !a.equals("help") && !a.equals("completion") ? a : null;
            } else if (a.equals("--")) {
                return null;
            }
        }
        return null;
    }

    private static Map<String, Class<?>> commands() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("help", CommandLine.HelpCommand.class);
        m.put("keygen", KeygenCommand.class);
        m.put("release", ReleaseCommand.class);
        m.put("sysupdate", SysupdateCommand.class);
        m.put("butane", ButaneCommand.class);
        m.put("mksquashfs", MksquashfsCommand.class);
        m.put("mkerofs", MkerofsCommand.class);
        m.put("create", CreateCommand.class);
        m.put("list", ListCommand.class);
        m.put("plan", PlanCommand.class);
        m.put("recipe", RecipeCommand.class);
        m.put("check", CheckCommand.class);
        m.put("verify", VerifyCommand.class);
        m.put("unsquashfs", UnsquashfsCommand.class);
        m.put("extract", ExtractCommand.class);
        m.put("inspect", InspectCommand.class);
        m.put("completion", CompletionCommand.class);
        return Collections.unmodifiableMap(m);
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
