package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void versionIsTheProjectVersion() {
        SysextRun r = SysextRun.run("--version");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().matches("sysext \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), r.out());
    }

    @Test
    void helpListsTheCommands() {
        SysextRun r = SysextRun.run("--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("Usage: sysext"), r.out());
        assertTrue(r.out().contains("Commands:"), r.out());
    }

    @Test
    void noCommandIsAUsageError() {
        SysextRun r = SysextRun.run();
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Missing a command"), r.err());
    }

    @Test
    void aNamedCommandIsBuiltAloneAndEverythingElseGetsTheWholeTree() {
        assertEquals(Set.of("mksquashfs"),
                Main.commandLine(new String[] {"-q", "--progress", "never", "mksquashfs", "a", "b"}).getSubcommands().keySet());
        Set<String> all = Main.commandLine().getSubcommands().keySet();
        assertTrue(all.containsAll(Set.of("help", "create", "list", "mksquashfs", "verify", "completion")), all.toString());
        for (String[] args : new String[][] {{"help", "create"}, {"completion", "bash"}, {"--help"}, {"mksquashfx"},
                {"--progress", "mksquashfs"}}) {
            assertEquals(all, Main.commandLine(args).getSubcommands().keySet(), String.join(" ", args));
        }
    }

    @Test
    void aMistypedCommandIsAUsageErrorWithASuggestion() {
        SysextRun r = SysextRun.run("mksquashfx", "a", "b");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("mksquashfs"), r.err());
    }
}
