package dev.mqttharness.cli;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.Catalog;
import dev.mqttharness.spec.catalog.SectionIndex;
import dev.mqttharness.spec.catalog.Statement;
import dev.mqttharness.suite.framework.Coverage;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code statements}: the statement catalog with coverage (which scenarios claim each statement). */
@Command(name = "statements", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Browses the statement catalog with the suite's coverage: which scenarios claim each statement.",
                "With an ID: that statement in full."})
final class StatementsCommand implements Callable<Integer> {
    @Option(names = "--mqtt", paramLabel = "VERSION", description = "3.1.1 or 5.0 (default: both)")
    String mqtt;

    @Option(names = "--section", paramLabel = "SECTION", description = "only this section and its subsections, e.g. 3.3")
    String section;

    @Option(names = "--uncovered", description = "only wire-testable statements no scenario claims")
    boolean uncovered;

    @Parameters(paramLabel = "ID", arity = "0..1", description = "a statement id, e.g. MQTT-3.3.1-5")
    String id;

    private final PrintStream out = System.out;

    @Override
    public Integer call() {
        List<MqttVersion> versions = new ArrayList<>();
        if (mqtt != null) {
            try {
                MqttVersion v = MqttVersion.parse(mqtt).catalogVersion();
                versions.add(v);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--mqtt: " + e.getMessage());
            }
        } else {
            versions.add(MqttVersion.V3_1_1);
            versions.add(MqttVersion.V5);
        }
        String sec = section == null ? null : section.startsWith("§") ? section.substring(1) : section;
        if (sec != null && versions.stream().noneMatch(v -> SectionIndex.get(v).contains(sec))) {
            throw new UsageException("--section: no section " + section + " in MQTT "
                    + String.join(", ", versions.stream().map(MqttVersion::label).toList()));
        }
        Coverage coverage = Coverage.compute();
        if (id != null) {
            return detail(coverage, versions);
        }
        for (MqttVersion v : versions) {
            int shown = 0;
            int claimed = 0;
            out.println("MQTT " + v.label());
            out.printf(Locale.ROOT, "  %-16s %-6s %-3s %-10s %-9s %s%n", "statement", "level", "T", "section", "scenarios", "summary");
            for (Statement s : Catalog.get().statements(v)) {
                if (sec != null && !(s.section().equals(sec) || s.section().startsWith(sec + "."))) {
                    continue;
                }
                List<String> by = coverage.claimedBy(v, s.id());
                if (uncovered && (!s.testability().wireTestable() || !by.isEmpty())) {
                    continue;
                }
                shown++;
                if (!by.isEmpty()) {
                    claimed++;
                }
                String n = s.testability().wireTestable() ? (by.isEmpty() ? "none" : Integer.toString(by.size())) : "n/a";
                out.printf(Locale.ROOT, "  %-16s %-6s %-3s %-10s %-9s %s%n", s.id(), s.level(), s.testability().code(),
                        "§" + s.section(), n, s.summary());
            }
            int wt = Coverage.wireTestable(v).size();
            int covered = wt - coverage.uncovered(v).size();
            out.printf(Locale.ROOT, "  %d shown, %d of them claimed by a scenario or check; suite-wide: %d of %d wire-testable "
                    + "statements exercised (%.1f%%)%n%n", shown, claimed, covered, wt, 100.0 * coverage.ratio(v));
        }
        out.println("T: W wire-testable, W* needs timing/restarts/features, CN client rule the harness breaks on purpose,"
                + " C client-only, I not observable.  Details: mqtt-harness statements ID");
        return MqttHarness.OK;
    }

    private int detail(Coverage coverage, List<MqttVersion> versions) {
        boolean found = false;
        for (MqttVersion v : versions) {
            Statement s = Catalog.get().find(v, id).orElse(null);
            if (s == null) {
                continue;
            }
            found = true;
            out.println(s.id() + " (MQTT " + v.label() + ")");
            out.println("  section:     §" + s.section() + " " + s.sectionTitle());
            out.println("  level:       " + s.levelText() + " (" + s.level() + ")");
            out.println("  actor:       " + s.actor());
            out.println("  testability: " + s.testability().code() + (s.testability().wireTestable() ? " (wire-testable)" : " (not wire-testable)"));
            out.println("  summary:     " + s.summary());
            if (s.note() != null && !s.note().isBlank()) {
                out.println("  note:        " + s.note());
            }
            out.println("  spec:        " + s.specUrl());
            List<String> by = coverage.claimedBy(v, s.id());
            out.println("  claimed by:  " + (by.isEmpty() ? "no scenario or check yet" : String.join(", ", by)));
            out.println();
        }
        if (!found) {
            throw new UsageException("no statement " + id + " in MQTT "
                    + String.join(", ", versions.stream().map(MqttVersion::label).toList()) + " (ids look like MQTT-3.3.1-5)");
        }
        return MqttHarness.OK;
    }
}
