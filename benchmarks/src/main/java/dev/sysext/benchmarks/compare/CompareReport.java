package dev.sysext.benchmarks.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the comparison table from the runs file the comparison script writes
 * ({@code benchmarks/compare.sh}): {@code java -cp benchmarks.jar dev.sysext.benchmarks.compare.CompareReport RUNS.tsv}.
 */
public final class CompareReport {

    private CompareReport() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: CompareReport RUNS.tsv");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        try {
            System.out.print(new ComparisonTable(Summary.of(read(file))).render());
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("compare: error: " + file + ": " + e.getMessage());
            System.exit(3);
        }
    }

    /** Reads every non-blank line of a runs file; the error names the line that is wrong. */
    public static List<Run> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        Path dir = file.toAbsolutePath().getParent();
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                runs.add(Run.parse(lines.get(i), dir));
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs recorded");
        }
        return runs;
    }
}
