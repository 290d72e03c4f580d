package dev.mqttharness.reports.html;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mqttharness.reports.Fixtures;
import dev.mqttharness.reports.model.RunReport;
import dev.mqttharness.reports.model.StatementResult;
import dev.mqttharness.reports.model.TargetReport;
import dev.mqttharness.spec.verdict.Verdict;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    private final String html = HtmlReport.render(Fixtures.hostileRun());

    @Test
    void markup_from_a_broker_is_escaped_everywhere() {
        String page = withoutOwnScripts(html);
        assertThat(page).doesNotContain("<script>window").doesNotContain("<img").doesNotContain("onerror=\"")
                .doesNotContain("<b>bold</b>");
        assertThat(page).contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;")
                .contains("&quot;&gt;&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;")
                .contains("it&#39;s &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;");
    }

    @Test
    void control_characters_are_shown_as_control_pictures_and_replacement_characters_kept() {
        assertThat(html).doesNotContain("\u0000").contains("a\u2400b").contains("\uFFFD\uFFFD");
    }

    @Test
    void embedded_trace_json_cannot_close_its_script_element_and_keeps_the_text() throws Exception {
        String json = between(html, "<script type=\"application/json\" id=\"trace-data\">", "</script>");
        assertThat(json).doesNotContain("<").doesNotContain(">").doesNotContain("&");
        JsonNode t = new ObjectMapper().readTree(json).get("t-hostile");
        assertThat(t.get("events").get(1).get(5).asText()).isEqualTo("CONNECT clientId=pub" + Fixtures.CLOSE_JSON);
        assertThat(t.get("events").get(3).get(5).asText()).contains("a\u0000b");
    }

    @Test
    void content_security_policy_allows_exactly_the_reports_own_script() throws Exception {
        Matcher m = Pattern.compile("script-src (?:'|&#39;)sha256-([^'&]+)").matcher(html);
        assertThat(m.find()).isTrue();
        String script = between(html, "<script>", "</script>\n</body>");
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(script.getBytes(StandardCharsets.UTF_8)));
        assertThat(m.group(1)).isEqualTo(hash);
        assertThat(html).contains("default-src &#39;none&#39;");
    }

    @Test
    void spec_links_are_only_http_urls() {
        RunReport r = Fixtures.hostileRun();
        TargetReport t = r.targets().get(0);
        StatementResult s = t.statements().get(0);
        StatementResult evil = new StatementResult(s.version(), s.id(), s.section(), s.sectionTitle(), s.level(),
                s.testability(), s.summary(), "javascript:alert(1)", s.verdict(), null, false, null, s.observations());
        RunReport changed = r.withTargets(List.of(new TargetReport(t.name(), t.kind(), t.endpoint(), t.versions(),
                t.lacks(), t.status(), t.errors(), t.readyMillis(), List.of(evil), t.logTail())));
        assertThat(HtmlReport.render(changed)).doesNotContain("javascript:");
    }

    @Test
    void report_has_the_sections_a_reader_expects() {
        assertThat(html).contains("id=\"summary\"", "id=\"results\"", "id=\"matrix\"", "id=\"fuzz\"", "id=\"selfcheck\"")
                .contains("MQTT-3.3.1-5").contains("./mqtt-harness replay findings/x.json")
                .contains("https://docs.oasis-open.org/mqtt/mqtt/v5.0/os/mqtt-v5.0-os.html#:~:text=3.3.1.3");
        assertThat(html).doesNotContain("http://").doesNotContain("src=\"http").doesNotContain("<link rel=\"stylesheet\"");
    }

    @Test
    void sections_are_in_numeric_order() {
        String big = HtmlReport.render(Fixtures.large(1, 40));
        assertThat(big.indexOf("data-section=\"1.2\"")).isLessThan(big.indexOf("data-section=\"1.8\""));
    }

    @Test
    void a_partial_report_says_so() {
        RunReport r = Fixtures.hostileRun();
        RunReport partial = r.with(r.command(), true, 0).withErrors(List.of("interrupted by the user (Ctrl-C)"));
        assertThat(HtmlReport.render(partial)).contains("id=\"partial-banner\"").contains("interrupted by the user");
    }

    @Test
    void a_target_that_never_came_up_is_shown_as_such() {
        RunReport r = new RunReport(RunReport.SCHEMA, "x", "t", "c", 1, 2, false, false,
                List.of(new TargetReport("127.0.0.1:1", "external", "mqtt://127.0.0.1:1", List.of("5.0"), List.of(), "ERROR",
                        List.of("cannot connect to 127.0.0.1:1: Connection refused"), -1, List.of(), List.of())),
                java.util.Map.of(), List.of(), null);
        assertThat(HtmlReport.render(r)).contains("could not be launched or reached").contains("Connection refused");
    }

    @Test
    void comparison_has_a_column_per_run_and_target() {
        RunReport a = Fixtures.hostileRun();
        String c = HtmlReport.renderComparison(List.of(a, a), List.of("run-A", "run-B"), List.of("a.json", "b.json"));
        assertThat(c).contains("reference · run-A", "mosquitto · run-B", "id=\"matrix\"");
        assertThat(Verdict.FAIL).isNotNull();
    }

    private static String between(String s, String start, String end) {
        int a = s.indexOf(start);
        int b = s.indexOf(end, a + start.length());
        return s.substring(a + start.length(), b);
    }

    /** The page without the two script elements we write ourselves (the JSON data block and the code). */
    private static String withoutOwnScripts(String s) {
        int a = s.indexOf("<script type=\"application/json\"");
        return s.substring(0, a);
    }

    @Test
    void self_check_section_lists_survivors_first_and_the_collateral() throws Exception {
        int section = html.indexOf("id=\"selfcheck\"");
        assertThat(section).isPositive();
        String sc = html.substring(section);
        // survivors first, each with why it survived
        assertThat(sc.indexOf("retain-not-stored")).isLessThan(sc.indexOf("no-connack"));
        assertThat(sc).contains("no scenario covers it", "1 survived", "id=\"selfcheck-collateral\"",
                "also broken", "cut short", "MQTT-3.1.4-5 PASS -&gt; FAIL in ConnackScenarios.x");
        // hostile strings from a fault's text stay text
        assertThat(sc).doesNotContain(Fixtures.SCRIPT);
    }
}
