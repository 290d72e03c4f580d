package dev.mqttharness.reports.html;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mqttharness.reports.Matrix;
import dev.mqttharness.reports.RunStats;
import dev.mqttharness.reports.Text;
import dev.mqttharness.reports.model.FuzzCampaign;
import dev.mqttharness.reports.model.Observation;
import dev.mqttharness.reports.model.RunReport;
import dev.mqttharness.reports.model.SelfCheck;
import dev.mqttharness.reports.model.StatementResult;
import dev.mqttharness.reports.model.TargetReport;
import dev.mqttharness.reports.model.TraceRecord;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.SectionIndex;
import dev.mqttharness.spec.verdict.Verdict;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.unbescape.html.HtmlEscape;

/**
 * The run as ONE self-contained HTML file: CSS, script and SVG charts inline, no external asset, so
 * it opens offline and can be mailed to a vendor. Rendered with Pebble, which escapes every value
 * by default; the escaping strategy here also makes control characters visible. Traces are
 * embedded as JSON (with {@code <}, {@code >}, {@code &} escaped) and turned into tables only when
 * expanded, so a report with hundreds of traces stays quick to open. A Content-Security-Policy
 * allows no script but the report's own (by hash) and no network access.
 */
public final class HtmlReport {
    private static final String BASE = "dev/mqttharness/reports/html/";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT);
    private static final List<String> LEVELS = List.of("MUST", "SHOULD", "MAY");
    private static final PebbleEngine ENGINE = new PebbleEngine.Builder()
            .loader(classpathLoader())
            .autoEscaping(true)
            .addEscapingStrategy("text", s -> HtmlEscape.escapeHtml4Xml(Text.printable(s)))
            .defaultEscapingStrategy("text")
            .strictVariables(true)
            .newLineTrimming(true)
            .cacheActive(true)
            .build();
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        JSON.getFactory().setCharacterEscapes(new ScriptSafeEscapes());
    }

    private HtmlReport() {
    }

    private static ClasspathLoader classpathLoader() {
        ClasspathLoader l = new ClasspathLoader(HtmlReport.class.getClassLoader());
        l.setPrefix(BASE);
        return l;
    }

    /** Writes the report of one run atomically (temp file, then move). */
    public static void write(RunReport report, Path file) throws IOException {
        writeString(render(report), file);
    }

    /** Writes a comparison of several runs: their matrix and a summary per (run, target). */
    public static void writeComparison(List<RunReport> runs, List<String> labels, List<String> files, Path file)
            throws IOException {
        writeString(renderComparison(runs, labels, files), file);
    }

    private static void writeString(String html, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".report", ".html.tmp");
        try {
            Files.writeString(tmp, html, StandardCharsets.UTF_8);
            dev.mqttharness.reports.json.JsonReport.readable(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static String render(RunReport r) {
        List<View.TargetView> targets = new ArrayList<>();
        for (int i = 0; i < r.targets().size(); i++) {
            targets.add(target("t" + i, r.targets().get(i), r.traces().keySet()));
        }
        View.MatrixView matrix = r.targets().size() > 1 ? matrix(Matrix.of(r)) : null;
        List<View.FuzzView> fuzz = new ArrayList<>();
        for (FuzzCampaign c : r.fuzz()) {
            fuzz.add(fuzz(c, r.traces().keySet()));
        }
        String names = String.join(", ", r.targets().stream().map(TargetReport::name).toList());
        String title = (r.targets().isEmpty() ? (r.fuzz().isEmpty() ? "mqtt-harness run" : "Fuzzing")
                : "Conformance of " + names) + (r.partial() ? " (partial)" : "");
        String partialNote = null;
        if (r.partial()) {
            partialNote = r.errors().stream().filter(e -> e.toLowerCase(Locale.ROOT).contains("interrupt")).findFirst()
                    .orElse("This run has not finished (yet): the report is rewritten as it goes.");
        }
        List<String> errors = new ArrayList<>(r.errors());
        View.Page page = new View.Page(title, false, r.runId(), r.tool(), r.command(), time(r.startedAt()),
                duration(r.startedAt(), r.finishedAt()), r.strict(), r.partial(), partialNote, errors, List.of(), targets,
                matrix, fuzz, r.selfCheck() == null ? null : selfCheck(r.selfCheck()), totals(r.targets()), LEVELS,
                versions(r.targets()), rowCount(targets), traceJson(r.traces()), "", "", "");
        return evaluate(page);
    }

    public static String renderComparison(List<RunReport> runs, List<String> labels, List<String> files) {
        List<View.RunMeta> metas = new ArrayList<>();
        List<TargetReport> all = new ArrayList<>();
        List<View.TargetView> targets = new ArrayList<>();
        int i = 0;
        for (int k = 0; k < runs.size(); k++) {
            RunReport r = runs.get(k);
            metas.add(new View.RunMeta(labels.get(k), r.runId(), r.command(), time(r.startedAt()), r.partial(),
                    files.get(k)));
            for (TargetReport t : r.targets()) {
                all.add(t);
                View.TargetView v = target("t" + i++, t, Set.of());
                // in a comparison the summary cards carry the run's label; the per-statement tables are left out
                targets.add(new View.TargetView(v.domId(), t.name() + " · " + labels.get(k), v.kind(), v.endpoint(),
                        v.status(), v.down(), v.errors(), v.ready(), v.versions(), v.lacks(), v.regressions(), v.counts(),
                        v.levels(), v.coverage(), List.of(), v.logTail()));
            }
        }
        View.Page page = new View.Page("Comparison of " + runs.size() + " runs", true, "", "mqtt-harness", "",
                metas.isEmpty() ? "" : metas.get(0).started(), "", false, false, null, List.of(), metas, targets,
                matrix(Matrix.compare(runs, labels)), List.of(), null, totals(all), LEVELS, versions(all), 0, "{}", "",
                "", "");
        return evaluate(page);
    }

    // --- rendering --------------------------------------------------------------------------------

    private static String evaluate(View.Page page) {
        String css = resource("report.css");
        String js = resource("report.js");
        String csp = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-" + sha256(js)
                + "'; base-uri 'none'; form-action 'none'";
        View.Page p = new View.Page(page.title(), page.compare(), page.runId(), page.tool(), page.command(),
                page.started(), page.duration(), page.strict(), page.partial(), page.partialNote(), page.errors(),
                page.runs(), page.targets(), page.matrix(), page.fuzz(), page.selfCheck(), page.verdicts(),
                page.levels(), page.versions(), page.statementRows(), page.traceJson(), css, js, csp);
        try {
            PebbleTemplate t = ENGINE.getTemplate("report.peb");
            StringWriter w = new StringWriter(1 << 16);
            Map<String, Object> ctx = new HashMap<>();
            ctx.put("page", p);
            t.evaluate(w, ctx, Locale.ROOT);
            return w.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + BASE + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String s) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- view model -------------------------------------------------------------------------------

    private static View.TargetView target(String domId, TargetReport t, Set<String> traceIds) {
        Map<Verdict, Integer> counts = RunStats.counts(t.statements());
        List<View.LevelRow> levels = new ArrayList<>();
        for (String level : LEVELS) {
            List<Integer> c = new ArrayList<>();
            int total = 0;
            for (Verdict v : RunStats.ORDER) {
                int n = 0;
                for (StatementResult s : t.statements()) {
                    if (level.equals(s.level()) && verdictOf(s) == v) {
                        n++;
                    }
                }
                c.add(n);
                total += n;
            }
            levels.add(new View.LevelRow(level, c, total));
        }
        List<View.CoverageView> coverage = new ArrayList<>();
        List<View.VersionBlock> results = new ArrayList<>();
        // "regression" only means something against a baseline; without one a FAIL is just a FAIL
        boolean baselined = t.statements().stream().anyMatch(s -> s.baseline() != null);
        int row = 0;
        for (String version : versionsOf(t)) {
            Map<String, List<StatementResult>> byChapter = new TreeMap<>(Matrix::compareSections);
            for (StatementResult s : t.statements()) {
                if (version.equals(s.version())) {
                    byChapter.computeIfAbsent(chapter(s.section()), k -> new ArrayList<>()).add(s);
                }
            }
            List<View.Bar> bars = new ArrayList<>();
            List<View.SectionBlock> sections = new ArrayList<>();
            int tested = 0;
            int total = 0;
            for (Map.Entry<String, List<StatementResult>> e : byChapter.entrySet()) {
                String title = chapterTitle(version, e.getKey(), e.getValue());
                Map<Verdict, Integer> c = RunStats.counts(e.getValue());
                int n = e.getValue().size();
                int judged = n - c.get(Verdict.NOT_TESTED);
                tested += judged;
                total += n;
                bars.add(bar("§" + e.getKey(), title, c, judged, n));
                List<View.Row> rows = new ArrayList<>();
                for (StatementResult s : e.getValue()) {
                    rows.add(row(domId + "-r" + row++, s, traceIds, baselined));
                }
                sections.add(new View.SectionBlock(e.getKey(), title, RunStats.line(c), rows));
            }
            coverage.add(new View.CoverageView(version, tested, total, bars));
            results.add(new View.VersionBlock(version, sections));
        }
        List<View.Count> cs = new ArrayList<>();
        for (Verdict v : RunStats.ORDER) {
            cs.add(new View.Count(v.name(), counts.get(v)));
        }
        return new View.TargetView(domId, t.name(), t.kind(), t.endpoint(), t.status(), RunStats.down(t), t.errors(),
                t.readyMillis() < 0 ? "—" : t.readyMillis() + " ms", t.versions(), t.lacks(),
                baselined ? RunStats.regressions(t).size() : 0, cs, levels, coverage, results, t.logTail());
    }

    private static View.Row row(String domId, StatementResult s, Set<String> traceIds, boolean baselined) {
        List<View.Obs> obs = new ArrayList<>();
        List<Observation> sorted = new ArrayList<>(s.observations());
        // the observations that decided the verdict first
        sorted.sort((a, b) -> Integer.compare(severity(b.verdict()), severity(a.verdict())));
        for (Observation o : sorted) {
            obs.add(new View.Obs(o.scenario(), o.check(), name(o.verdict()), o.expected(), o.observed(), o.traceId(),
                    o.traceId() != null && traceIds.contains(o.traceId()), o.reproduce()));
        }
        return new View.Row(domId, s.version(), s.id(), s.section(), s.sectionTitle(), level(s.level()),
                s.testability(), s.summary(), Text.safeUrl(s.specUrl()), verdictOf(s).name(), s.baseline() == null ? null
                : s.baseline().name(), s.regression() && baselined, s.note(), obs);
    }

    private static View.Bar bar(String label, String title, Map<Verdict, Integer> c, int judged, int n) {
        List<View.Seg> segs = new ArrayList<>();
        double x = 0;
        for (Verdict v : RunStats.ORDER) {
            int k = c.getOrDefault(v, 0);
            if (k == 0 || n == 0) {
                continue;
            }
            double w = 100.0 * k / n;
            segs.add(new View.Seg(v.name(), fmt(x), fmt(w), k));
            x += w;
        }
        return new View.Bar(label, title, judged, n, judged + "/" + n, segs);
    }

    private static View.MatrixView matrix(Matrix m) {
        List<String> cols = new ArrayList<>();
        for (Matrix.Column c : m.columns()) {
            cols.add(c.label());
        }
        List<View.MatrixRow> rows = new ArrayList<>();
        for (Matrix.Row r : m.rows()) {
            List<View.MatrixCell> cells = new ArrayList<>();
            for (Matrix.Cell c : r.cells()) {
                cells.add(c == null ? new View.MatrixCell("NONE", "·", false, "not in this run")
                        : new View.MatrixCell(c.verdict().name(), abbrev(c.verdict()), c.regression(), c.why()));
            }
            rows.add(new View.MatrixRow(r.version(), r.id(), level(r.level()), r.summary(), r.differs(), cells));
        }
        return new View.MatrixView(cols, rows);
    }

    private static View.FuzzView fuzz(FuzzCampaign c, Set<String> traceIds) {
        List<View.Bar> packets = new ArrayList<>();
        long max = 1;
        Map<String, Long> byType = c.packetsByType() == null ? Map.of() : c.packetsByType();
        for (long n : byType.values()) {
            max = Math.max(max, n);
        }
        for (Map.Entry<String, Long> e : byType.entrySet()) {
            long n = e.getValue() == null ? 0 : e.getValue();
            packets.add(new View.Bar(e.getKey(), e.getKey(), (int) Math.min(Integer.MAX_VALUE, n), (int) max,
                    Long.toString(n), List.of(new View.Seg("INFO", "0", fmt(100.0 * n / max), (int) Math.min(Integer.MAX_VALUE, n)))));
        }
        List<View.Count> statements = new ArrayList<>();
        Map<String, Long> ex = c.statementsExercised() == null ? Map.of() : c.statementsExercised();
        ex.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue() == null ? 0 : b.getValue(),
                a.getValue() == null ? 0 : a.getValue())).limit(40)
                .forEach(e -> statements.add(new View.Count(e.getKey(), (int) Math.min(Integer.MAX_VALUE,
                        e.getValue() == null ? 0 : e.getValue()))));
        List<View.FindingView> findings = new ArrayList<>();
        for (FuzzCampaign.Finding f : c.findings() == null ? List.<FuzzCampaign.Finding>of() : c.findings()) {
            findings.add(new View.FindingView(f.id(), f.statement(), f.kind(), f.verdict(), f.seed(),
                    f.actions() == null ? List.of() : f.actions(), f.traceId(),
                    f.traceId() != null && traceIds.contains(f.traceId()), f.file(), f.replay()));
        }
        return new View.FuzzView(c.target(), c.seed(), c.cases(), duration(0, c.durationMillis()),
                String.format(Locale.ROOT, "%.1f", c.casesPerSecond()), packets, statements, findings);
    }

    private static View.SelfCheckView selfCheck(SelfCheck s) {
        List<View.MutantView> mutants = new ArrayList<>();
        List<View.CollateralView> collateral = new ArrayList<>();
        List<SelfCheck.Mutant> ms = new ArrayList<>(s.mutants() == null ? List.of() : s.mutants());
        ms.sort((a, b) -> Boolean.compare(a.killed(), b.killed())); // survivors first
        int survivors = 0;
        for (SelfCheck.Mutant m : ms) {
            survivors += m.killed() ? 0 : 1;
            List<String> coll = m.collateral() == null ? List.of() : m.collateral();
            mutants.add(new View.MutantView(m.fault(), m.version(), join(m.statements()), m.mistake(), m.killed(),
                    m.caughtBy() == null ? "" : String.join("; ", m.caughtBy()), join(coll), m.reason(),
                    join(m.scenarios()), coll.size()));
            for (String c : coll) {
                int colon = c.indexOf(": ");
                boolean kinded = colon > 0 && colon < 16;
                collateral.add(new View.CollateralView(m.fault(), m.version(), kinded ? c.substring(0, colon) : "changed",
                        kinded ? c.substring(colon + 2) : c));
            }
        }
        // what most needs a look first: other statements now failing
        collateral.sort((a, b) -> Boolean.compare(!a.kind().equals("also broken"), !b.kind().equals("also broken")));
        return new View.SelfCheckView(s.killed(), s.total(), s.total() == 0 ? "—"
                : String.format(Locale.ROOT, "%.1f%%", 100.0 * s.killed() / s.total()), duration(0, s.wallMillis()),
                scores(s.byVersion()), scores(s.bySection()), mutants, survivors, collateral);
    }

    private static List<View.Bar> scores(List<SelfCheck.Score> scores) {
        List<View.Bar> out = new ArrayList<>();
        for (SelfCheck.Score sc : scores == null ? List.<SelfCheck.Score>of() : scores) {
            Map<Verdict, Integer> c = new LinkedHashMap<>();
            c.put(Verdict.PASS, sc.killed());
            c.put(Verdict.FAIL, Math.max(0, sc.total() - sc.killed()));
            out.add(bar(sc.group(), sc.killed() + " of " + sc.total() + " mutants caught", c, sc.killed(), sc.total()));
        }
        return out;
    }

    private static String traceJson(Map<String, TraceRecord> traces) {
        // compact: events as arrays [atMicros, connection, kind, hex, bytes, text]
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, TraceRecord> e : traces.entrySet()) {
            TraceRecord t = e.getValue();
            List<Object[]> events = new ArrayList<>();
            for (TraceRecord.Event ev : t.events()) {
                events.add(new Object[] {ev.atMicros(), ev.connection(), ev.kind(), ev.hex(), ev.bytes(), ev.text()});
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scenario", t.scenario());
            m.put("target", t.target());
            m.put("version", t.version());
            m.put("start", t.startEpochMillis());
            m.put("dropped", t.dropped());
            m.put("events", events);
            out.put(e.getKey(), m);
        }
        try {
            return JSON.writeValueAsString(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- helpers ----------------------------------------------------------------------------------

    private static List<View.Count> totals(List<TargetReport> targets) {
        Map<Verdict, Integer> sum = new LinkedHashMap<>();
        for (TargetReport t : targets) {
            RunStats.counts(t.statements()).forEach((v, n) -> sum.merge(v, n, Integer::sum));
        }
        List<View.Count> out = new ArrayList<>();
        for (Verdict v : RunStats.ORDER) {
            out.add(new View.Count(v.name(), sum.getOrDefault(v, 0)));
        }
        return out;
    }

    private static List<String> versions(List<TargetReport> targets) {
        Set<String> vs = new LinkedHashSet<>();
        for (TargetReport t : targets) {
            vs.addAll(versionsOf(t));
        }
        List<String> out = new ArrayList<>(vs);
        out.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        return out;
    }

    private static List<String> versionsOf(TargetReport t) {
        Set<String> vs = new LinkedHashSet<>(t.versions());
        for (StatementResult s : t.statements()) {
            vs.add(s.version());
        }
        List<String> out = new ArrayList<>(vs);
        out.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        return out;
    }

    private static int rank(String v) {
        return "3.1.1".equals(v) ? 0 : "5.0".equals(v) ? 1 : 2;
    }

    private static int rowCount(List<View.TargetView> targets) {
        int n = 0;
        for (View.TargetView t : targets) {
            for (View.VersionBlock v : t.results()) {
                for (View.SectionBlock s : v.sections()) {
                    n += s.rows().size();
                }
            }
        }
        return n;
    }

    /** "3.3" for 3.3.1.3: the sections reports group statements by. */
    static String chapter(String section) {
        if (section == null || section.isBlank()) {
            return "?";
        }
        String[] p = section.split("\\.");
        return p.length >= 2 ? p[0] + "." + p[1] : p[0];
    }

    private static String chapterTitle(String version, String chapter, List<StatementResult> rows) {
        try {
            String t = SectionIndex.get(MqttVersion.parse(version)).title(chapter);
            if (!t.isEmpty()) {
                return t;
            }
        } catch (RuntimeException ignored) {
            // a version this build does not know (a report from elsewhere): fall back to the rows' titles
        }
        for (StatementResult s : rows) {
            if (chapter.equals(s.section()) && s.sectionTitle() != null) {
                return s.sectionTitle();
            }
        }
        return "";
    }

    private static int severity(Verdict v) {
        return v == null ? -1 : v.severity();
    }

    private static Verdict verdictOf(StatementResult s) {
        return s.verdict() == null ? Verdict.NOT_TESTED : s.verdict();
    }

    private static String name(Verdict v) {
        return v == null ? "NOT_TESTED" : v.name();
    }

    private static String level(String l) {
        return l != null && LEVELS.contains(l) ? l : "SHOULD";
    }

    static String abbrev(Verdict v) {
        return switch (v) {
            case PASS -> "PASS";
            case FAIL -> "FAIL";
            case NON_STRICT -> "NS";
            case INFO -> "INFO";
            case UNSUPPORTED -> "UNSUP";
            case NOT_TESTED -> "–";
            case ERROR -> "ERR";
        };
    }

    private static String join(List<String> l) {
        return l == null ? "" : String.join(", ", l);
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    static String time(long epochMillis) {
        return epochMillis <= 0 ? "" : TIME.format(Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC));
    }

    static String duration(long from, long to) {
        if (to <= 0 || to < from) {
            return "";
        }
        long ms = to - from;
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 120_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return String.format(Locale.ROOT, "%d min %d s", ms / 60_000, (ms / 1000) % 60);
    }

    /** JSON that can sit inside a script element: no {@code </script>}, no HTML comment, no line separators. */
    static final class ScriptSafeEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] table;

        ScriptSafeEscapes() {
            table = CharacterEscapes.standardAsciiEscapesForJSON();
            table['<'] = CharacterEscapes.ESCAPE_STANDARD;
            table['>'] = CharacterEscapes.ESCAPE_STANDARD;
            table['&'] = CharacterEscapes.ESCAPE_STANDARD;
            table['\''] = CharacterEscapes.ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return table;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch == 0x2028 || ch == 0x2029) {
                return new com.fasterxml.jackson.core.io.SerializedString(String.format("\\u%04x", ch));
            }
            return null;
        }
    }
}
