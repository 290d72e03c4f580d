package dev.mqttharness.cli;

import dev.mqttharness.reports.Matrix;
import dev.mqttharness.reports.ReportFiles;
import dev.mqttharness.reports.RunStats;
import dev.mqttharness.reports.html.HtmlReport;
import dev.mqttharness.reports.json.JsonReport;
import dev.mqttharness.reports.model.RunReport;
import dev.mqttharness.reports.model.TargetReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code report}: compares runs (a matrix of statements × targets across runs), or re-renders one run. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compares runs: --compare RUN.json... writes compare.html (statements × targets of every run)"
                + " and prints a summary.", "With one RUN.json and no --compare: renders its report.html and junit.xml again."})
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--compare", description = "compare the runs given (report.json files or their directories)")
    boolean compare;

    @Option(names = "--out", paramLabel = "DIR", description = "where to write (default ./mqtt-harness-reports/compare-TIMESTAMP, or the run's own directory)")
    Path out;

    @Parameters(paramLabel = "RUN.json", arity = "1..*", description = "report.json files (or directories holding one)")
    List<Path> runs = new ArrayList<>();

    private final PrintStream stdout = System.out;

    @Override
    public Integer call() throws IOException {
        List<RunReport> reports = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Path p : runs) {
            Path f = Files.isDirectory(p) ? p.resolve(ReportFiles.JSON) : p;
            try {
                reports.add(JsonReport.read(f));
                files.add(f);
            } catch (IOException | RuntimeException e) {
                throw new UsageException("cannot read " + f + ": " + Brokers.oneLine(e.getMessage()));
            }
        }
        if (!compare && reports.size() == 1) {
            Path dir = out != null ? out : files.get(0).toAbsolutePath().getParent();
            if (out != null) {
                JsonReport.write(reports.get(0), dir.resolve(ReportFiles.JSON));
            }
            ReportFiles.writeRenderings(reports.get(0), dir);
            stdout.println("report: " + dir.resolve(ReportFiles.HTML));
            return MqttHarness.OK;
        }
        List<String> labels = labels(files, reports);
        Path dir = ReportDir.create(out, "compare-");
        Path html = dir.resolve("compare.html");
        List<String> names = files.stream().map(Path::toString).toList();
        HtmlReport.writeComparison(reports, labels, names, html);
        print(Matrix.compare(reports, labels), reports, labels);
        stdout.println();
        stdout.println("matrix: " + html);
        return MqttHarness.OK;
    }

    /** A short label per run: its directory's name (a timestamp) or file name, made unique. */
    static List<String> labels(List<Path> files, List<RunReport> reports) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i).toAbsolutePath().normalize();
            String l = f.getFileName().toString().equals(ReportFiles.JSON) && f.getParent() != null
                    ? f.getParent().getFileName().toString() : f.getFileName().toString();
            String base = l;
            for (int k = 2; !seen.add(l); k++) {
                l = base + " (" + k + ")";
            }
            out.add(l);
        }
        return out;
    }

    private void print(Matrix m, List<RunReport> reports, List<String> labels) {
        stdout.println("Runs compared:");
        for (int i = 0; i < reports.size(); i++) {
            RunReport r = reports.get(i);
            stdout.println("  " + labels.get(i) + ": " + r.targets().size() + " target(s)" + (r.partial() ? ", PARTIAL" : "")
                    + (r.command() == null || r.command().isEmpty() ? "" : " — " + r.command()));
        }
        stdout.println();
        int w = 12;
        for (Matrix.Column c : m.columns()) {
            w = Math.max(w, c.label().length());
        }
        w = Math.min(w, 60);
        for (Matrix.Column c : m.columns()) {
            TargetReport t = c.target();
            stdout.printf(Locale.ROOT, "  %-" + w + "s  %s%n", Progress.shorten(c.label(), w),
                    RunStats.down(t) ? "NOT TESTED (" + String.join("; ", t.errors()) + ")" : RunStats.line(RunStats.counts(t.statements())));
        }
        List<Matrix.Row> differ = new ArrayList<>();
        for (Matrix.Row r : m.rows()) {
            if (r.differs() && r.cells().stream().anyMatch(c -> c != null && c.verdict() != dev.mqttharness.spec.verdict.Verdict.NOT_TESTED)) {
                differ.add(r);
            }
        }
        stdout.println();
        stdout.println(differ.isEmpty() ? "Every statement has the same verdict in every column."
                : differ.size() + " statement(s) differ between columns:");
        int shown = 0;
        for (Matrix.Row r : differ) {
            if (shown++ == 40) {
                stdout.println("  … and " + (differ.size() - 40) + " more (see the matrix)");
                break;
            }
            StringBuilder sb = new StringBuilder();
            for (Matrix.Cell c : r.cells()) {
                sb.append(String.format(Locale.ROOT, " %-11s", c == null ? "-" : c.verdict().name()));
            }
            stdout.printf(Locale.ROOT, "  %-5s %-16s%s%n", r.version(), r.id(), sb);
        }
    }
}
