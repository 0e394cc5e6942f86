package dev.sysext.cli;

import java.util.Locale;
import java.util.Map;

/** Whether live progress bars are drawn: {@code --progress}, else {@code SYSEXT_PROGRESS}, else auto. */
enum ProgressMode {
    /** Bars only when stderr is an interactive terminal. */
    AUTO,
    /** Bars even into a pipe or file (for trying them out and for tests). */
    ALWAYS,
    /** Never: one plain line per step. */
    NEVER;

    static final String ENVIRONMENT_VARIABLE = "SYSEXT_PROGRESS";

    /**
     * The mode in force: the option when given, else the environment variable.
     *
     * @throws CommandFailure when the environment variable holds something else than auto, always or never
     */
    static ProgressMode resolve(ProgressMode option, Map<String, String> environment) {
        if (option != null) {
            return option;
        }
        String env = environment.get(ENVIRONMENT_VARIABLE);
        if (env == null || env.isBlank()) {
            return AUTO;
        }
        try {
            return valueOf(env.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCode.USAGE, ENVIRONMENT_VARIABLE + "='" + env
                    + "' is not auto, always or never");
        }
    }

    /** Whether bars are drawn, given what the terminal detection says. */
    boolean live(Map<String, String> environment) {
        return switch (this) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> TerminalDetection.stderrIsInteractive(environment);
        };
    }
}
