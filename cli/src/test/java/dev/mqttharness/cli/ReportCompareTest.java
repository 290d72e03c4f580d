package dev.mqttharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.reports.json.JsonReport;
import dev.mqttharness.reports.model.Observation;
import dev.mqttharness.reports.model.RunReport;
import dev.mqttharness.reports.model.StatementResult;
import dev.mqttharness.reports.model.TargetReport;
import dev.mqttharness.spec.verdict.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCompareTest {
    @TempDir
    Path dir;

    static RunReport run(String target, Verdict retain) {
        StatementResult s = new StatementResult("5.0", "MQTT-3.3.1-5", "3.3.1.3", "Retain", "MUST", "W", "retained kept",
                "https://docs.oasis-open.org/x", retain, null, retain == Verdict.FAIL, null,
                List.of(new Observation("PublishRetainScenarios.x", "check", retain, "kept", "kept", null, "cmd")));
        StatementResult p = new StatementResult("5.0", "MQTT-3.12.4-1", "3.12.4", "PINGRESP", "MUST", "W", "ping answered",
                "https://docs.oasis-open.org/x", Verdict.PASS, null, false, null, List.of());
        return new RunReport(RunReport.SCHEMA, target, "mqtt-harness", "cmd", 1, 2, false, false,
                List.of(new TargetReport(target, "embedded", "mqtt://h:1", List.of("5.0"), List.of(), "OK", List.of(), 5,
                        List.of(s, p), List.of())), Map.of(), List.of(), null);
    }

    @Test
    void compare_prints_the_differences_and_writes_the_matrix() throws Exception {
        Path a = dir.resolve("20250101-000000/report.json");
        Path b = dir.resolve("20250102-000000/report.json");
        JsonReport.write(run("reference", Verdict.PASS), a);
        JsonReport.write(run("mosquitto", Verdict.FAIL), b);
        Path out = dir.resolve("cmp");
        Cli r = Cli.run("report", "--compare", a.toString(), b.getParent().toString(), "--out", out.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("reference · 20250101-000000").contains("mosquitto · 20250102-000000")
                .contains("1 statement(s) differ").contains("MQTT-3.3.1-5");
        String html = Files.readString(out.resolve("compare.html"));
        assertThat(html).contains("id=\"matrix\"").contains("reference · 20250101-000000");
    }

    @Test
    void one_run_is_rendered_again() throws Exception {
        Path a = dir.resolve("run/report.json");
        JsonReport.write(run("reference", Verdict.PASS), a);
        Cli r = Cli.run("report", a.toString());
        assertThat(r.code()).isZero();
        assertThat(a.getParent().resolve("report.html")).exists();
        assertThat(a.getParent().resolve("junit.xml")).exists();
    }
}
