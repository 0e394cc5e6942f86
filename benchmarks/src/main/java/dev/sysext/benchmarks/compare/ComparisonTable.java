package dev.sysext.benchmarks.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Renders summaries as plain-text tables: every tool against the reference tool (mksquashfs, or
 * mkfs.erofs for EROFS) on the same case and processor count, each tool's speed-up from one thread
 * to more, and the {@link Targets} of issues 4, 15 and 16.
 */
public final class ComparisonTable {

    private static final String[] HEADER = {"case", "threads", "tool", "rounds", "wall s", "x mksq", "cpu s",
        "image MB", "x size", "peak RSS MiB"};
    /** The EROFS table also gives the CPU time ratio: mkfs.erofs has one thread, so wall time alone flatters. */
    private static final String[] EROFS_HEADER = {"case", "threads", "tool", "rounds", "wall s", "x mkfs", "cpu s",
        "x cpu", "image MB", "x size", "peak RSS MiB", "x RSS"};

    private final List<Summary> summaries;

    public ComparisonTable(List<Summary> summaries) {
        this.summaries = List.copyOf(summaries);
    }

    /** The full report: the comparison table, thread scaling and targets where they apply, and notes. */
    public String render() {
        StringBuilder out = new StringBuilder();
        boolean erofs = summaries.stream().anyMatch(s -> s.tool().equals(Run.EROFS_REFERENCE_TOOL));
        List<String[]> rows = new ArrayList<>();
        rows.add(erofs ? EROFS_HEADER : HEADER);
        List<String> notes = new ArrayList<>();
        for (Summary s : summaries) {
            Optional<Summary> ref = reference(s);
            boolean isRef = Run.isReference(s.tool());
            if (!s.measured()) {
                String[] failed = new String[rows.get(0).length];
                Arrays.fill(failed, "-");
                failed[0] = s.caseName();
                failed[1] = Integer.toString(s.processors());
                failed[2] = s.tool();
                failed[3] = "0/" + s.failures();
                failed[4] = "failed";
                rows.add(failed);
                continue;
            }
            String timeRatio = "-";
            String cpuRatio = "-";
            String sizeRatio = "-";
            String rssRatio = "-";
            if (!isRef && ref.isPresent() && ref.get().measured()) {
                timeRatio = fixed(s.wallSeconds() / ref.get().wallSeconds(), 2);
                cpuRatio = fixed(s.cpuSeconds() / ref.get().cpuSeconds(), 2);
                sizeRatio = fixed((double) s.imageBytes() / ref.get().imageBytes(), 4);
                rssRatio = fixed((double) s.peakRssKiB() / ref.get().peakRssKiB(), 2);
            }
            String rounds = s.failures() == 0 ? Integer.toString(s.rounds()) : s.rounds() + "/" + (s.rounds() + s.failures());
            String image = fixed(s.imageBytes() / 1e6, 2) + (s.imageSizeVaried() ? "*" : "");
            String rss = fixed(s.peakRssKiB() / 1024.0, 0);
            rows.add(erofs
                    ? new String[] {s.caseName(), Integer.toString(s.processors()), s.tool(), rounds,
                        fixed(s.wallSeconds(), 2), timeRatio, fixed(s.cpuSeconds(), 1), cpuRatio, image, sizeRatio, rss,
                        rssRatio}
                    : new String[] {s.caseName(), Integer.toString(s.processors()), s.tool(), rounds,
                        fixed(s.wallSeconds(), 2), timeRatio, fixed(s.cpuSeconds(), 1), image, sizeRatio, rss});
            if (s.imageSizeVaried()) {
                notes.add("* " + s.tool() + " " + s.caseName() + " with " + s.processors()
                        + " threads wrote images of different sizes in different rounds (median shown)");
            }
            if (s.failures() > 0) {
                notes.add(s.tool() + " " + s.caseName() + " with " + s.processors() + " threads failed in "
                        + s.failures() + " round(s); see its log");
            }
        }
        out.append(format(rows));
        String scaling = scaling();
        if (!scaling.isEmpty()) {
            out.append('\n').append(scaling);
        }
        String targets = Targets.render(Targets.check(summaries));
        if (!targets.isEmpty()) {
            out.append(erofs ? "\ntargets (issue 15)\n" : "\ntargets\n").append(targets);
        }
        if (summaries.stream().allMatch(s -> Run.isReference(s.tool()))) {
            notes.add("only " + (erofs ? Run.EROFS_REFERENCE_TOOL : Run.REFERENCE_TOOL) + " was measured: no ratios");
        }
        if (erofs) {
            notes.add(Run.EROFS_REFERENCE_TOOL + " 1.5 compresses on one thread: each of its rounds is measured once"
                    + " and shown in every thread row");
        }
        for (String n : notes) {
            out.append('\n').append(n);
        }
        if (!notes.isEmpty()) {
            out.append('\n');
        }
        return out.toString();
    }

    /** Each tool's speed-up (median wall time at 1 thread / at n threads) where both were measured. */
    private String scaling() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"case", "tool", "threads", "speed-up vs 1 thread"});
        for (Summary s : summaries) {
            if (s.processors() == 1 || !s.measured()) {
                continue;
            }
            summaries.stream()
                    .filter(o -> o.processors() == 1 && o.measured() && o.caseName().equals(s.caseName())
                            && o.tool().equals(s.tool()))
                    .findFirst()
                    .ifPresent(one -> rows.add(new String[] {s.caseName(), s.tool(), Integer.toString(s.processors()),
                        fixed(one.wallSeconds() / s.wallSeconds(), 2)}));
        }
        return rows.size() == 1 ? "" : format(rows);
    }

    private Optional<Summary> reference(Summary s) {
        return summaries.stream()
                .filter(o -> Run.isReference(o.tool()) && o.caseName().equals(s.caseName())
                        && o.processors() == s.processors())
                .findFirst();
    }

    private static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Columns padded to their widest cell; text left-aligned, numbers right-aligned. */
    static String format(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                boolean left = i == 0 || c == 0 || !Character.isDigit(r[c].isEmpty() ? 'x' : r[c].charAt(0));
                String cell = left ? pad(r[c], width[c], false) : pad(r[c], width[c], true);
                line.append(c == 0 ? "" : "  ").append(cell);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }
}
