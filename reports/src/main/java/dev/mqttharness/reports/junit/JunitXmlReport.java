package dev.mqttharness.reports.junit;

import dev.mqttharness.reports.RunStats;
import dev.mqttharness.reports.Text;
import dev.mqttharness.reports.model.Observation;
import dev.mqttharness.reports.model.RunReport;
import dev.mqttharness.reports.model.StatementResult;
import dev.mqttharness.reports.model.TargetReport;
import dev.mqttharness.spec.verdict.Verdict;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The run as JUnit XML (the Ant/Surefire dialect CI systems read): a {@code testsuite} per target
 * and version, a {@code testcase} per (statement, scenario). FAIL is a {@code failure}, ERROR an
 * {@code error}, UNSUPPORTED and NOT_TESTED are {@code skipped}; NON_STRICT is a failure only in a
 * {@code --strict} run. A deviation the target's baseline expects is {@code skipped} ("known
 * deviation"), so a CI that reads this file fails on regressions only, as the exit code does.
 */
public final class JunitXmlReport {
    private JunitXmlReport() {
    }

    private enum Outcome { PASSED, FAILURE, ERROR, SKIPPED }

    private record Case(String classname, String name, Outcome outcome, String type, String message, String body) {
    }

    private record Suite(String name, Map<String, String> properties, List<Case> cases) {
        int count(Outcome o) {
            return (int) cases.stream().filter(c -> c.outcome == o).count();
        }
    }

    /** Writes atomically (temp file, then move). */
    public static void write(RunReport report, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".junit", ".xml.tmp");
        try {
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                write(report, out);
            }
            dev.mqttharness.reports.json.JsonReport.readable(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void write(RunReport report, OutputStream out) throws IOException {
        List<Suite> suites = suites(report);
        double seconds = report.finishedAt() > report.startedAt() ? (report.finishedAt() - report.startedAt()) / 1000.0 : 0;
        String timestamp = DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                Instant.ofEpochMilli(report.startedAt()).atOffset(ZoneOffset.UTC).withNano(0));
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            w.writeStartElement("testsuites");
            w.writeAttribute("name", "mqtt-harness");
            w.writeAttribute("tests", Integer.toString(suites.stream().mapToInt(s -> s.cases.size()).sum()));
            w.writeAttribute("failures", Integer.toString(suites.stream().mapToInt(s -> s.count(Outcome.FAILURE)).sum()));
            w.writeAttribute("errors", Integer.toString(suites.stream().mapToInt(s -> s.count(Outcome.ERROR)).sum()));
            w.writeAttribute("skipped", Integer.toString(suites.stream().mapToInt(s -> s.count(Outcome.SKIPPED)).sum()));
            w.writeAttribute("time", String.format(java.util.Locale.ROOT, "%.3f", seconds));
            w.writeCharacters("\n");
            for (Suite s : suites) {
                w.writeStartElement("testsuite");
                w.writeAttribute("name", clean(s.name));
                w.writeAttribute("tests", Integer.toString(s.cases.size()));
                w.writeAttribute("failures", Integer.toString(s.count(Outcome.FAILURE)));
                w.writeAttribute("errors", Integer.toString(s.count(Outcome.ERROR)));
                w.writeAttribute("skipped", Integer.toString(s.count(Outcome.SKIPPED)));
                w.writeAttribute("time", "0");
                w.writeAttribute("timestamp", timestamp);
                w.writeCharacters("\n  ");
                w.writeStartElement("properties");
                for (Map.Entry<String, String> p : s.properties.entrySet()) {
                    w.writeEmptyElement("property");
                    w.writeAttribute("name", p.getKey());
                    w.writeAttribute("value", clean(p.getValue()));
                }
                w.writeEndElement();
                for (Case c : s.cases) {
                    w.writeCharacters("\n  ");
                    w.writeStartElement("testcase");
                    w.writeAttribute("classname", clean(c.classname));
                    w.writeAttribute("name", clean(c.name));
                    w.writeAttribute("time", "0");
                    switch (c.outcome) {
                        case FAILURE -> element(w, "failure", c);
                        case ERROR -> element(w, "error", c);
                        case SKIPPED -> {
                            w.writeEmptyElement("skipped");
                            w.writeAttribute("message", clean(c.message));
                        }
                        case PASSED -> {
                            if (c.body != null && !c.body.isEmpty()) {
                                w.writeStartElement("system-out");
                                w.writeCharacters(clean(c.body));
                                w.writeEndElement();
                            }
                        }
                    }
                    w.writeEndElement();
                }
                w.writeCharacters("\n");
                w.writeEndElement();
                w.writeCharacters("\n");
            }
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.flush();
            w.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write JUnit XML: " + e.getMessage(), e);
        }
    }

    private static void element(XMLStreamWriter w, String name, Case c) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeAttribute("message", clean(c.message));
        w.writeAttribute("type", c.type);
        w.writeCharacters(clean(c.body));
        w.writeEndElement();
    }

    /** Text XML 1.0 can carry: control characters made visible, one-line messages kept short. */
    static String clean(String s) {
        return Text.printable(s);
    }

    private static List<Suite> suites(RunReport report) {
        List<Suite> out = new ArrayList<>();
        for (TargetReport t : report.targets()) {
            String cls = "mqtt-harness." + t.name().replace('.', '_');
            List<String> versions = new ArrayList<>(t.versions());
            for (StatementResult s : t.statements()) {
                if (!versions.contains(s.version())) {
                    versions.add(s.version());
                }
            }
            if (RunStats.down(t) || versions.isEmpty()) {
                // the target never came up: one error says why, so CI shows the environment problem
                Map<String, String> props = properties(report, t, "");
                List<Case> cases = new ArrayList<>();
                if (RunStats.down(t)) {
                    String why = t.errors().isEmpty() ? "the target could not be launched or reached" : String.join("\n", t.errors());
                    cases.add(new Case(cls, "target " + t.name() + " is ready", Outcome.ERROR, "ENVIRONMENT",
                            Text.oneLine(why, 300), why));
                }
                if (versions.isEmpty()) {
                    out.add(new Suite(t.name(), props, cases));
                    continue;
                }
                out.add(new Suite(t.name() + " (environment)", props, cases));
            }
            for (String v : versions) {
                List<Case> cases = new ArrayList<>();
                String vcls = cls + ".MQTT_" + v.replace('.', '_');
                for (StatementResult s : t.statements()) {
                    if (v.equals(s.version())) {
                        cases.addAll(cases(report, vcls, s));
                    }
                }
                out.add(new Suite(t.name() + " · MQTT " + v, properties(report, t, v), cases));
            }
        }
        return out;
    }

    private static Map<String, String> properties(RunReport r, TargetReport t, String version) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("target", t.name());
        p.put("kind", t.kind());
        p.put("endpoint", t.endpoint());
        if (!version.isEmpty()) {
            p.put("mqtt.version", version);
        }
        p.put("status", t.status());
        p.put("strict", Boolean.toString(r.strict()));
        p.put("partial", Boolean.toString(r.partial()));
        p.put("command", r.command() == null ? "" : r.command());
        return p;
    }

    private static List<Case> cases(RunReport r, String cls, StatementResult s) {
        List<Case> out = new ArrayList<>();
        if (s.observations().isEmpty()) {
            String why = s.note() != null ? "not testable on the wire: " + s.note() : "no scenario exercised it in this run";
            Verdict v = s.verdict() == null ? Verdict.NOT_TESTED : s.verdict();
            out.add(new Case(cls, s.id(), Outcome.SKIPPED, v.name(), v + ": " + why, null));
            return out;
        }
        Map<String, List<Observation>> byScenario = new LinkedHashMap<>();
        for (Observation o : s.observations()) {
            byScenario.computeIfAbsent(o.scenario(), k -> new ArrayList<>()).add(o);
        }
        for (Map.Entry<String, List<Observation>> e : byScenario.entrySet()) {
            Verdict v = null;
            for (Observation o : e.getValue()) {
                v = Verdict.combine(v, o.verdict());
            }
            Observation decisive = e.getValue().stream().filter(o -> o.verdict() != null && o.verdict() == s.verdict())
                    .findFirst().orElse(e.getValue().get(0));
            for (Observation o : e.getValue()) {
                if (o.verdict() == v) {
                    decisive = o;
                    break;
                }
            }
            String body = body(s, e.getValue());
            String name = s.id() + " " + e.getKey();
            String msg = Text.oneLine(v + " — " + s.summary() + ": expected " + decisive.expected() + "; observed "
                    + decisive.observed(), 400);
            boolean known = s.baseline() != null && s.baseline() == v && !s.regression();
            Outcome outcome;
            switch (v == null ? Verdict.NOT_TESTED : v) {
                case FAIL -> outcome = known ? Outcome.SKIPPED : Outcome.FAILURE;
                case ERROR -> outcome = known ? Outcome.SKIPPED : Outcome.ERROR;
                case NON_STRICT -> outcome = r.strict() && !known ? Outcome.FAILURE : Outcome.PASSED;
                case UNSUPPORTED, NOT_TESTED -> outcome = Outcome.SKIPPED;
                default -> outcome = Outcome.PASSED;
            }
            if (outcome == Outcome.SKIPPED && known) {
                msg = "known deviation (baseline: " + s.baseline() + ") — " + msg;
            }
            out.add(new Case(cls, name, outcome, v == null ? "" : v.name(), msg,
                    outcome == Outcome.PASSED && v == Verdict.PASS ? null : body));
        }
        return out;
    }

    private static String body(StatementResult s, List<Observation> obs) {
        StringBuilder b = new StringBuilder();
        b.append("statement: ").append(s.version()).append(' ').append(s.id()).append(" (").append(s.level()).append(") — ")
                .append(s.summary()).append('\n');
        if (s.specUrl() != null) {
            b.append("spec: ").append(s.specUrl()).append('\n');
        }
        if (s.baseline() != null) {
            b.append("baseline: ").append(s.baseline()).append('\n');
        }
        for (Observation o : obs) {
            b.append('\n').append(o.verdict()).append(": ").append(o.check()).append('\n');
            b.append("  expected: ").append(o.expected()).append('\n');
            b.append("  observed: ").append(o.observed()).append('\n');
            if (o.traceId() != null) {
                b.append("  trace: ").append(o.traceId()).append(" (report.html)\n");
            }
            if (o.reproduce() != null) {
                b.append("  reproduce: ").append(o.reproduce()).append('\n');
            }
        }
        return b.toString();
    }
}
