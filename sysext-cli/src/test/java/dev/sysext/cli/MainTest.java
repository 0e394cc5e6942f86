package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
