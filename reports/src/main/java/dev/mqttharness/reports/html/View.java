package dev.mqttharness.reports.html;

import java.util.List;

/**
 * What the HTML template reads. Every string here is raw text (possibly hostile: broker output,
 * fuzz payloads); the template escapes all of it. Only {@link Page#css}, {@link Page#js} and
 * {@link Page#traceJson} are inserted unescaped, and they are ours or escaped for their context.
 */
public final class View {
    private View() {
    }

    public record Page(String title, boolean compare, String runId, String tool, String command, String started,
                       String duration, boolean strict, boolean partial, String partialNote, List<String> errors,
                       List<RunMeta> runs, List<TargetView> targets, MatrixView matrix, List<FuzzView> fuzz,
                       SelfCheckView selfCheck, List<Count> verdicts, List<String> levels, List<String> versions,
                       int statementRows, String traceJson, String css, String js, String csp) {
    }

    /** One run in a comparison. */
    public record RunMeta(String label, String runId, String command, String started, boolean partial, String file) {
    }

    public record Count(String verdict, int n) {
    }

    public record TargetView(String domId, String name, String kind, String endpoint, String status, boolean down,
                             List<String> errors, String ready, List<String> versions, List<String> lacks,
                             int regressions, List<Count> counts, List<LevelRow> levels, List<CoverageView> coverage,
                             List<VersionBlock> results, List<String> logTail) {
    }

    public record LevelRow(String level, List<Integer> counts, int total) {
    }

    public record CoverageView(String version, int tested, int total, List<Bar> bars) {
    }

    /** A horizontal stacked bar: {@code segs} are laid out in a 0..100 wide SVG viewBox. */
    public record Bar(String label, String title, int tested, int total, String num, List<Seg> segs) {
    }

    public record Seg(String verdict, String x, String w, int n) {
    }

    public record VersionBlock(String version, List<SectionBlock> sections) {
    }

    public record SectionBlock(String id, String title, String counts, List<Row> rows) {
    }

    public record Row(String domId, String version, String id, String section, String sectionTitle, String level,
                      String testability, String summary, String specUrl, String verdict, String baseline,
                      boolean regression, String note, List<Obs> observations) {
    }

    public record Obs(String scenario, String check, String verdict, String expected, String observed, String traceId,
                      boolean hasTrace, String reproduce) {
    }

    public record MatrixView(List<String> columns, List<MatrixRow> rows) {
    }

    public record MatrixRow(String version, String id, String level, String summary, boolean differs,
                            List<MatrixCell> cells) {
    }

    public record MatrixCell(String verdict, String abbrev, boolean regression, String why) {
    }

    public record FuzzView(String target, long seed, long cases, String duration, String rate, List<Bar> packets,
                           List<Count> statements, List<FindingView> findings) {
    }

    public record FindingView(String id, String statement, String kind, String verdict, long seed, List<String> actions,
                              String traceId, boolean hasTrace, String file, String replay) {
    }

    public record SelfCheckView(int killed, int total, String percent, String wall, List<Bar> byVersion,
                                List<Bar> bySection, List<MutantView> mutants, int survivors,
                                List<CollateralView> collateral) {
    }

    public record MutantView(String fault, String version, String statements, String mistake, boolean killed,
                             String caughtBy, String collateral, String reason, String scenarios, int collateralCount) {
    }

    /** One verdict a fault changed besides its own statements: kind ("also broken", "cut short", "changed") and what. */
    public record CollateralView(String fault, String version, String kind, String change) {
    }
}
