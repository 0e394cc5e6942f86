package dev.sysext.benchmarks.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rounds of one tool on one case and processor count, reduced to medians (the peak RSS is
 * the highest of the rounds: a memory bound must hold every time).
 *
 * @param caseName the case
 * @param processors the thread count
 * @param tool the tool
 * @param rounds successful rounds
 * @param failures rounds where the tool exited non-zero (left out of the figures)
 * @param wallSeconds median wall-clock time
 * @param cpuSeconds median user plus system time
 * @param imageBytes median image size
 * @param imageSizeVaried whether the image size differed between rounds
 * @param peakRssKiB highest peak RSS of the rounds
 */
public record Summary(String caseName, int processors, String tool, int rounds, int failures, double wallSeconds,
        double cpuSeconds, long imageBytes, boolean imageSizeVaried, long peakRssKiB) {

    /** One summary per (case, processors, tool), in the order the runs first name them. */
    public static List<Summary> of(List<Run> runs) {
        Map<List<Object>, List<Run>> groups = new LinkedHashMap<>();
        for (Run r : runs) {
            groups.computeIfAbsent(List.of(r.caseName(), r.processors(), r.tool()), k -> new ArrayList<>()).add(r);
        }
        List<Summary> out = new ArrayList<>();
        for (List<Run> g : groups.values()) {
            Run first = g.get(0);
            List<Run> ok = g.stream().filter(Run::succeeded).toList();
            int failures = g.size() - ok.size();
            if (ok.isEmpty()) {
                out.add(new Summary(first.caseName(), first.processors(), first.tool(), 0, failures,
                        Double.NaN, Double.NaN, 0, false, 0));
                continue;
            }
            double[] wall = ok.stream().mapToDouble(r -> r.time().wallSeconds()).toArray();
            double[] cpu = ok.stream().mapToDouble(r -> r.time().cpuSeconds()).toArray();
            double[] size = ok.stream().mapToDouble(Run::imageBytes).toArray();
            boolean varied = ok.stream().mapToLong(Run::imageBytes).distinct().count() > 1;
            long rss = ok.stream().mapToLong(r -> r.time().maxRssKiB()).max().orElseThrow();
            out.add(new Summary(first.caseName(), first.processors(), first.tool(), ok.size(), failures,
                    Median.of(wall), Median.of(cpu), Math.round(Median.of(size)), varied, rss));
        }
        return out;
    }

    /** Whether at least one round succeeded. */
    public boolean measured() {
        return rounds > 0;
    }
}
