package dev.sysext.cli;

import dev.sysext.fetch.ProgressListener;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What a command tells the user on stderr while it works: steps (one line each, the CI log),
 * details ({@code --verbose}), warnings (always) and, on a terminal, live progress bars. Results
 * go to stdout and never through here, so {@code --quiet} keeps them.
 */
final class StatusOutput {
    private final PrintWriter err;
    private final boolean quiet;
    private final boolean verbose;
    private final LiveLine live;

    StatusOutput(PrintWriter err, boolean quiet, boolean verbose, boolean live) {
        this.err = err;
        this.quiet = quiet;
        this.verbose = verbose && !quiet;
        this.live = live && !quiet ? new LiveLine(err) : null;
    }

    /** The output of the command {@code spec} runs, with the global options and the environment. */
    static StatusOutput of(CommandSpec spec, Map<String, String> environment) {
        // A command run on its own (in tests) has no sysext parent: the defaults apply.
        OutputOptions o = spec.root().userObject() instanceof Main main ? main.output : new OutputOptions();
        if (o.quiet && o.verbose) {
            throw new CommandFailure(ExitCode.USAGE, "--quiet and --verbose cannot be used together");
        }
        boolean bars = ProgressMode.resolve(o.progress, environment).live(environment);
        return new StatusOutput(spec.commandLine().getErr(), o.quiet, o.verbose, bars);
    }

    static StatusOutput of(CommandSpec spec) {
        return of(spec, System.getenv());
    }

    boolean verbose() {
        return verbose;
    }

    /** A step of the work, e.g. {@code downloading URL}: shown unless {@code --quiet}. */
    void step(String line) {
        if (!quiet) {
            print(line);
        }
    }

    /** A detail shown with {@code --verbose} only. */
    void detail(String line) {
        if (verbose) {
            print(line);
        }
    }

    /** Something the user should know even with {@code --quiet}. */
    void warning(String line) {
        print("sysext: warning: " + line);
    }

    /** Download progress: bars on a terminal, else a line when a download starts (and ends, verbose). */
    ProgressListener downloads() {
        return live != null ? new DownloadBar(live) : new DownloadLog(this);
    }

    /**
     * Progress of writing the image {@code label} names, to hand to the SquashFS writer: a live line
     * on a terminal, else silent. Close it when the writer is done.
     */
    ImageWriteProgress imageWrite(String label) {
        return new ImageWriteProgress(label, live);
    }

    /** Ends the live line so that what follows starts on a line of its own. */
    void endLive() {
        if (live != null) {
            live.clear();
        }
    }

    private void print(String line) {
        if (live != null) {
            live.println(line);
        } else {
            err.println(line);
            err.flush();
        }
    }
}
