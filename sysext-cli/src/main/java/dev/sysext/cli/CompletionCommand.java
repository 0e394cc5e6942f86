package dev.sysext.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sysext completion bash|zsh}: the shell completion script, generated from the command tree. */
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Print the shell completion script for bash or zsh.",
        description = {"Prints a completion script for every sysext command, option and fixed value,"
                + " generated from the commands themselves (so it never lags behind them).",
            "zsh runs the same script through bashcompinit, which the script loads itself."},
        footerHeading = "%nExamples:%n",
        footer = {"  sysext completion bash > /etc/bash_completion.d/sysext   # every new shell",
            "  source <(sysext completion bash)                         # this shell",
            "  echo 'source <(sysext completion zsh)' >> ~/.zshrc"})
final class CompletionCommand implements Callable<Integer> {
    /** The shells the script works in. */
    enum Shell { BASH, ZSH }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
        out.flush();
        return 0;
    }
}
