package dev.sysext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The warm-up thread does its work and ends quietly: nothing escapes it. */
class WarmUpTest {
    @Test
    void warmUpEndsWithoutAnUncaughtFailure() throws Exception {
        List<Throwable> escaped = new ArrayList<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> escaped.add(e));
        try {
            Thread t = WarmUp.start();
            assertTrue(t.isDaemon(), "a daemon: it never holds up the end of a command");
            t.join(60_000);
            assertFalse(t.isAlive(), "the warm-up did not end within a minute");
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
        assertEquals(List.of(), escaped);
    }
}
