package dev.sysext.benchmarks.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MedianTest {

    @Test
    void middleOfAnOddCountIgnoresTheOutlier() {
        assertEquals(10.0, Median.of(10.0, 95.0, 9.0));
    }

    @Test
    void meanOfTheTwoMiddleValuesForAnEvenCount() {
        assertEquals(2.5, Median.of(4, 1, 3, 2));
        assertEquals(7.0, Median.of(7));
    }

    @Test
    void leavesTheInputAlone() {
        double[] v = {3, 1, 2};
        Median.of(v);
        assertArrayEquals(new double[] {3, 1, 2}, v);
    }

    @Test
    void refusesNoValues() {
        assertThrows(IllegalArgumentException.class, Median::of);
    }
}
