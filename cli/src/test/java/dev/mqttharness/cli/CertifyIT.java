package dev.mqttharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.reports.ReportFiles;
import dev.mqttharness.reports.json.JsonReport;
import dev.mqttharness.reports.model.RunReport;
import dev.mqttharness.reports.model.TargetReport;
import dev.mqttharness.suite.framework.Coverage;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * certify for real, against the embedded reference broker, through the JUnit Platform Launcher. The
 * scenario classes are whatever the suite has: the tests pick the first ones and assert nothing about
 * their verdicts beyond "the broker was tested".
 */
class CertifyIT {
    @TempDir
    Path dir;

    private static List<Class<?>> scenarioClasses() {
        List<Class<?>> all = Coverage.scenarioClasses();
        Assumptions.assumeFalse(all.isEmpty(), "the suite has no scenario classes yet");
        return all;
    }

    @Test
    void certify_writes_json_html_and_junit_xml_and_exits_by_the_verdicts() throws Exception {
        Class<?> first = scenarioClasses().get(0);
        Path out = dir.resolve("run1");
        Cli r = Cli.run("certify", "--broker", "reference", "--scenario", first.getSimpleName(), "--report", out.toString(),
                "--plain");
        assertThat(r.code()).as(r.err()).isIn(0, 1);
        RunReport report = JsonReport.read(out.resolve(ReportFiles.JSON));
        assertThat(report.partial()).isFalse();
        assertThat(report.command()).startsWith("./mqtt-harness certify --broker reference --scenario " + first.getSimpleName());
        TargetReport t = report.targets().get(0);
        assertThat(t.name()).isEqualTo("reference");
        assertThat(t.status()).isNotEqualTo("ERROR");
        assertThat(t.statements()).anyMatch(s -> !s.observations().isEmpty());
        assertThat(r.code() == 0).isEqualTo(t.statements().stream().noneMatch(s -> s.regression()));
        assertThat(Files.readString(out.resolve(ReportFiles.HTML))).contains("Conformance of reference");
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve(ReportFiles.JUNIT).toFile());
        assertThat(r.out()).contains("report: " + out.resolve(ReportFiles.HTML)).contains("(exit " + r.code() + ")");
        assertThat(r.err()).contains("scenario runs");

        // the baseline of this run makes the same run pass
        Path baseline = dir.resolve("reference.yaml");
        Cli update = Cli.run("certify", "--broker", "reference", "--scenario", first.getSimpleName(), "--report",
                dir.resolve("run2").toString(), "--baseline", baseline.toString(), "--update-baseline", "--plain");
        assertThat(update.code()).isIn(0, 1);
        assertThat(baseline).exists();
        Cli gated = Cli.run("certify", "--broker", "reference", "--scenario", first.getSimpleName(), "--report",
                dir.resolve("run3").toString(), "--baseline", baseline.toString(), "--plain");
        assertThat(gated.code()).as(gated.out()).isZero();

        // two runs compared
        Cli cmp = Cli.run("report", "--compare", out.resolve(ReportFiles.JSON).toString(),
                dir.resolve("run3").resolve(ReportFiles.JSON).toString(), "--out", dir.resolve("cmp").toString());
        assertThat(cmp.code()).isZero();
        assertThat(cmp.out()).contains("reference · run1").contains("reference · run3");
        assertThat(dir.resolve("cmp/compare.html")).exists();

        if (java.nio.file.Files.isExecutable(Path.of("/usr/bin/chromium"))
                && java.nio.file.Files.isExecutable(Path.of("/usr/bin/chromedriver"))) {
            RealReportInBrowser.check(out.resolve(ReportFiles.HTML));
        }
    }

    @Test
    void an_unreachable_broker_exits_3_and_the_report_says_so() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path out = dir.resolve("down");
        Cli r = Cli.run("certify", "--host", "127.0.0.1", "--port", Integer.toString(port), "--report", out.toString());
        assertThat(r.code()).isEqualTo(3);
        RunReport report = JsonReport.read(out.resolve(ReportFiles.JSON));
        TargetReport t = report.targets().get(0);
        assertThat(t.status()).isEqualTo("ERROR");
        assertThat(t.errors()).anyMatch(e -> e.contains("cannot connect to 127.0.0.1:" + port));
        assertThat(Files.readString(out.resolve(ReportFiles.HTML))).contains("could not be launched or reached");
        assertThat(Files.readString(out.resolve(ReportFiles.JUNIT))).contains("<error");
        assertThat(r.out()).contains("ENVIRONMENT FAILED");
    }
}
