package dev.mqttharness.reports;

import dev.mqttharness.reports.model.Observation;
import dev.mqttharness.reports.model.RunReport;
import dev.mqttharness.reports.model.StatementResult;
import dev.mqttharness.reports.model.TargetReport;
import dev.mqttharness.spec.catalog.StatementIds;
import dev.mqttharness.spec.verdict.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Statements × targets: one column per target of one run, or per (run, target) when comparing
 * runs (Autobahn's grid of cases × implementations). Rows are (version, statement), ordered by
 * version and statement number; a cell is the verdict, or null where a column has no such row.
 */
public final class Matrix {
    /** One column: a target of a run, with the label shown in its header. */
    public record Column(String label, TargetReport target) {
    }

    /** One row: a statement, with one cell per column. */
    public record Row(String version, String id, String level, String summary, List<Cell> cells) {
        /** True if the columns that judged it do not all agree. */
        public boolean differs() {
            Verdict first = null;
            for (Cell c : cells) {
                if (c == null) {
                    return true;
                }
                if (first == null) {
                    first = c.verdict();
                } else if (c.verdict() != first) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One cell: the verdict and a one-line reason (the observation that decided it). */
    public record Cell(Verdict verdict, boolean regression, String why) {
    }

    private final List<Column> columns;
    private final List<Row> rows;

    private Matrix(List<Column> columns, List<Row> rows) {
        this.columns = columns;
        this.rows = rows;
    }

    public List<Column> columns() {
        return columns;
    }

    public List<Row> rows() {
        return rows;
    }

    /** The matrix of one run's targets. */
    public static Matrix of(RunReport run) {
        List<Column> cols = new ArrayList<>();
        for (TargetReport t : run.targets()) {
            cols.add(new Column(t.name(), t));
        }
        return of(cols);
    }

    /** The matrix of several runs: one column per (run, target), labelled with {@code labels.get(run)}. */
    public static Matrix compare(List<RunReport> runs, List<String> labels) {
        List<Column> cols = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            for (TargetReport t : runs.get(i).targets()) {
                cols.add(new Column(t.name() + " · " + labels.get(i), t));
            }
        }
        return of(cols);
    }

    public static Matrix of(List<Column> cols) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (int c = 0; c < cols.size(); c++) {
            for (StatementResult s : cols.get(c).target().statements()) {
                String key = s.version() + " " + s.id();
                Row r = rows.get(key);
                if (r == null) {
                    List<Cell> cells = new ArrayList<>();
                    for (int i = 0; i < cols.size(); i++) {
                        cells.add(null);
                    }
                    r = new Row(s.version(), s.id(), s.level(), s.summary(), cells);
                    rows.put(key, r);
                }
                r.cells().set(c, new Cell(s.verdict() == null ? Verdict.NOT_TESTED : s.verdict(), s.regression(), why(s)));
            }
        }
        List<Row> sorted = new ArrayList<>(rows.values());
        sorted.sort(Comparator.comparing((Row r) -> versionRank(r.version())).thenComparing(Row::id, Matrix::compareIds));
        return new Matrix(List.copyOf(cols), sorted);
    }

    /** Statement ids in numeric order; anything that is not an id sorts as text, after them. */
    public static int compareIds(String a, String b) {
        boolean x = StatementIds.isNumbered(a) || StatementIds.isSectionRef(a);
        boolean y = StatementIds.isNumbered(b) || StatementIds.isSectionRef(b);
        if (x && y) {
            try {
                return StatementIds.compare(a, b);
            } catch (RuntimeException e) {
                return a.compareTo(b);
            }
        }
        if (x != y) {
            return x ? -1 : 1;
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }

    /** Section numbers in numeric order (3.2 before 3.10); anything else as text, after them. */
    public static int compareSections(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = compareNumbers(x[i], y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static int compareNumbers(String a, String b) {
        boolean x = !a.isEmpty() && a.length() < 9 && a.chars().allMatch(Character::isDigit);
        boolean y = !b.isEmpty() && b.length() < 9 && b.chars().allMatch(Character::isDigit);
        if (x && y) {
            return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
        }
        if (x != y) {
            return x ? -1 : 1;
        }
        return a.compareTo(b);
    }

    static int versionRank(String v) {
        if ("3.1.1".equals(v)) {
            return 0;
        }
        if ("5.0".equals(v)) {
            return 1;
        }
        return 2;
    }

    private static String why(StatementResult s) {
        for (Observation o : s.observations()) {
            if (o.verdict() == s.verdict()) {
                return Text.oneLine(o.check() + ": " + o.observed(), 200);
            }
        }
        return s.note() != null ? Text.oneLine(s.note(), 200) : "";
    }
}
