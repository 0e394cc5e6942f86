package dev.sysext.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** Runs the {@code sysext} command in-process and keeps its exit code and output. */
record SysextRun(int exitCode, String out, String err) {
    static SysextRun of(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] argv = args.toArray(String[]::new);
        CommandLine cl = Main.commandLine(argv); // the tree Main.main builds for these arguments
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(argv);
        return new SysextRun(code, out.toString(), err.toString());
    }

    /** Runs with the arguments' string forms (paths, numbers, strings). */
    static SysextRun run(Object... args) {
        return of(Arrays.stream(args).map(Object::toString).toList());
    }

    static SysextRun of(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(Arrays.asList(more));
        return of(all);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}
