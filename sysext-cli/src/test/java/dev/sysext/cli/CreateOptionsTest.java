package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@code sysext create} reads its epoch and block size. */
class CreateOptionsTest {
    @Test
    void epochIsTheOptionElseSourceDateEpochElseZero() {
        assertEquals(7, CreateCommand.epoch(7L, Map.of("SOURCE_DATE_EPOCH", "1700000000")));
        assertEquals(1_700_000_000L, CreateCommand.epoch(null, Map.of("SOURCE_DATE_EPOCH", "1700000000")));
        assertEquals(0, CreateCommand.epoch(null, Map.of()));
        CommandFailure bad = assertThrows(CommandFailure.class,
                () -> CreateCommand.epoch(null, Map.of("SOURCE_DATE_EPOCH", "yesterday")));
        assertEquals(ExitCode.INPUT_ERROR, bad.exitCode);
        assertThrows(IllegalArgumentException.class, () -> CreateCommand.epoch(-1L, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> CreateCommand.epoch(1L << 32, Map.of()));
    }

    @Test
    void blockSizes() {
        assertEquals(131072, CreateCommand.parseSize("128K"));
        assertEquals(1 << 20, CreateCommand.parseSize("1m"));
        assertEquals(4096, CreateCommand.parseSize("4096"));
        assertThrows(IllegalArgumentException.class, () -> CreateCommand.parseSize("big"));
    }
}
