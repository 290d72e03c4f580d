package dev.mqttharness.reports;

import dev.mqttharness.reports.html.HtmlReport;
import dev.mqttharness.reports.json.JsonReport;
import dev.mqttharness.reports.junit.JunitXmlReport;
import dev.mqttharness.reports.model.RunReport;
import java.io.IOException;
import java.nio.file.Path;

/** The files of one run's report directory: report.json, report.html and junit.xml. */
public final class ReportFiles {
    public static final String JSON = "report.json";
    public static final String HTML = "report.html";
    public static final String JUNIT = "junit.xml";

    private ReportFiles() {
    }

    /** Writes all three (each atomically). */
    public static void writeAll(RunReport report, Path dir) throws IOException {
        JsonReport.write(report, dir.resolve(JSON));
        writeRenderings(report, dir);
    }

    /** Writes the HTML and JUnit XML renderings (report.json is the suite's to write as the run goes). */
    public static void writeRenderings(RunReport report, Path dir) throws IOException {
        HtmlReport.write(report, dir.resolve(HTML));
        JunitXmlReport.write(report, dir.resolve(JUNIT));
    }
}
