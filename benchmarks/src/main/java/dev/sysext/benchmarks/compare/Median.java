package dev.sysext.benchmarks.compare;

import java.util.Arrays;

/** The median, which one slow round (another process's burst on a shared machine) cannot move. */
public final class Median {

    private Median() {
    }

    /** The middle value, or the mean of the two middle values for an even count. */
    public static double of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("the median of no values");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }
}
