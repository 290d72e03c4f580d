package dev.mqttharness.reports.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.reports.Fixtures;
import dev.mqttharness.reports.model.RunReport;
import dev.mqttharness.reports.model.TargetReport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class JunitXmlReportTest {

    private static Document xml(RunReport r) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JunitXmlReport.write(r, out);
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(out.toByteArray()));
    }

    @Test
    void a_testsuite_per_target_and_version_and_a_testcase_per_statement_and_scenario() throws Exception {
        Document d = xml(Fixtures.hostileRun());
        List<String> suites = new ArrayList<>();
        NodeList ns = d.getElementsByTagName("testsuite");
        for (int i = 0; i < ns.getLength(); i++) {
            suites.add(((Element) ns.item(i)).getAttribute("name"));
        }
        assertThat(suites).containsExactly("reference · MQTT 3.1.1", "reference · MQTT 5.0", "mosquitto · MQTT 3.1.1",
                "mosquitto · MQTT 5.0");
        Element ref5 = (Element) ns.item(1);
        assertThat(ref5.getAttribute("tests")).isEqualTo("7");
        assertThat(ref5.getAttribute("errors")).isEqualTo("1");      // ERROR
        assertThat(ref5.getAttribute("skipped")).isEqualTo("2");     // UNSUPPORTED, NOT_TESTED
        assertThat(ref5.getAttribute("failures")).isEqualTo("0");    // NON_STRICT passes outside --strict
        Element mos5 = (Element) ns.item(3);
        assertThat(mos5.getAttribute("failures")).isEqualTo("1");    // the FAIL
        Element failure = (Element) mos5.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("type")).isEqualTo("FAIL");
        assertThat(failure.getTextContent()).contains("expected:").contains("observed:").contains("reproduce:")
                .contains("a\u2400b").contains("<img src=x");
    }

    @Test
    void strict_runs_fail_on_should_deviations_and_baselined_deviations_are_skipped() throws Exception {
        RunReport r = Fixtures.hostileRun();
        RunReport strict = new RunReport(r.schema(), r.runId(), r.tool(), r.command(), r.startedAt(), r.finishedAt(), true,
                false, r.targets(), r.traces(), r.fuzz(), r.selfCheck());
        Element ref5 = (Element) xml(strict).getElementsByTagName("testsuite").item(1);
        assertThat(ref5.getAttribute("failures")).isEqualTo("1");
    }

    @Test
    void an_unreachable_target_is_one_error() throws Exception {
        RunReport r = new RunReport(RunReport.SCHEMA, "x", "t", "c", 1, 2, false, false,
                List.of(new TargetReport("h:1", "external", "mqtt://h:1", List.of(), List.of(), "ERROR",
                        List.of("cannot connect"), -1, List.of(), List.of())), Map.of(), List.of(), null);
        Document d = xml(r);
        assertThat(d.getDocumentElement().getAttribute("errors")).isEqualTo("1");
        assertThat(((Element) d.getElementsByTagName("error").item(0)).getAttribute("message")).isEqualTo("cannot connect");
    }
}
