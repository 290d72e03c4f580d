package dev.mqttharness.reports.html;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.reports.Fixtures;
import dev.mqttharness.reports.ReportFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The HTML report in a real browser: it loads cleanly, filters, expands traces, and renders hostile text as text. */
class HtmlReportBrowserIT {
    @TempDir
    static Path dir;
    static Browser browser;

    @BeforeAll
    static void write() throws Exception {
        Browser.assumeInstalled();
        ReportFiles.writeAll(Fixtures.hostileRun(), dir);
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void open() {
        browser.open(dir.resolve(ReportFiles.HTML));
    }

    private List<WebElement> visibleRows() {
        return browser.driver().findElements(By.cssSelector("tr.st")).stream().filter(WebElement::isDisplayed).toList();
    }

    private WebElement verdictBox(String v) {
        return browser.driver().findElement(By.cssSelector("#filters input[name=verdict][value=" + v + "]"));
    }

    @Test
    void loads_without_console_errors_and_hostile_strings_stay_text() {
        assertThat(browser.driver().getTitle()).contains("Conformance of reference, mosquitto");
        assertThat(browser.consoleErrors()).isEmpty();
        assertThat(browser.js("return typeof window.__pwned")).isEqualTo("undefined");
        assertThat(browser.driver().findElements(By.tagName("img"))).isEmpty();
        assertThat(browser.driver().findElements(By.cssSelector("b"))).extracting(WebElement::getText)
                .noneMatch(t -> t.equals("bold"));
        String text = browser.driver().findElement(By.tagName("body")).getText();
        assertThat(text).contains(Fixtures.SCRIPT).contains(Fixtures.QUOTES);
    }

    @Test
    void verdict_level_and_text_filters_change_the_rows_shown() {
        int all = visibleRows().size();
        assertThat(all).isEqualTo(8); // the first target's statements, both versions
        verdictBox("PASS").click();
        assertThat(visibleRows()).hasSize(5).allMatch(r -> !"PASS".equals(r.getAttribute("data-verdict")));
        browser.driver().findElement(By.id("only-problems")).click();
        assertThat(visibleRows()).extracting(r -> r.getAttribute("data-verdict"))
                .containsExactlyInAnyOrder("NON_STRICT", "ERROR");
        browser.driver().findElement(By.id("all-verdicts")).click();
        browser.driver().findElement(By.cssSelector("#filters input[name=level][value=MUST]")).click();
        assertThat(visibleRows()).extracting(r -> r.getAttribute("data-level")).containsOnly("SHOULD", "MAY").hasSize(2);
        browser.driver().findElement(By.cssSelector("#filters input[name=level][value=MUST]")).click();
        browser.driver().findElement(By.id("q")).sendKeys("protocol name");
        waitFor(() -> visibleRows().size() == 1);
        assertThat(visibleRows().get(0).getText()).contains("MQTT-3.1.2-3");
        assertThat(browser.driver().findElement(By.id("shown-count")).getText()).isEqualTo("1 of 8 statements shown");
    }

    @Test
    void a_trace_expands_with_decoded_packets_and_hex() {
        WebElement row = browser.driver().findElements(By.cssSelector("tr.st")).stream()
                .filter(r -> r.getText().contains("MQTT-3.3.1-5") && "5.0".equals(r.getAttribute("data-version")))
                .findFirst().orElseThrow();
        row.click();
        WebElement detail = row.findElement(By.xpath("following-sibling::tr[1]"));
        assertThat(detail.isDisplayed()).isTrue();
        assertThat(detail.getText()).contains("expected").contains("observed").contains("reproduce");
        WebElement button = detail.findElement(By.cssSelector("button.trace-btn"));
        WebElement trace = detail.findElement(By.cssSelector("div.trace"));
        assertThat(trace.isDisplayed()).isFalse();
        button.click();
        assertThat(trace.isDisplayed()).isTrue();
        String t = trace.getText();
        assertThat(t).contains("CONNECT clientId=pub" + Fixtures.CLOSE_JSON)  // decoded, hostile text as text
                .contains("0000  10 10 00 04 4d 51 54 54")                  // hex dump with offsets
                .contains("→ broker").contains("← broker").contains("closed by broker")
                .contains("a\u2400b");
        assertThat(browser.js("return typeof window.__pwned")).isEqualTo("undefined");
        // the connection filter of the trace keeps one connection's events
        new org.openqa.selenium.support.ui.Select(trace.findElement(By.cssSelector("select.conn-filter"))).selectByValue("sub");
        assertThat(trace.findElements(By.cssSelector("tr.ev")).stream().filter(WebElement::isDisplayed).count()).isEqualTo(2);
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void target_tabs_and_matrix_filter() {
        browser.driver().findElements(By.cssSelector("#target-tabs button")).get(1).click();
        assertThat(browser.driver().findElement(By.id("results-t1")).isDisplayed()).isTrue();
        assertThat(browser.driver().findElement(By.id("results-t0")).isDisplayed()).isFalse();
        long before = browser.driver().findElements(By.cssSelector("tr.mrow")).stream().filter(WebElement::isDisplayed).count();
        browser.driver().findElement(By.id("mdiff")).click();
        long after = browser.driver().findElements(By.cssSelector("tr.mrow")).stream().filter(WebElement::isDisplayed).count();
        assertThat(after).isLessThan(before).isEqualTo(1);
    }

    @Test
    void the_console_check_sees_errors() {
        // proves that an empty console log above means something
        browser.js("console.error('probe-error')");
        assertThat(browser.consoleErrors()).anyMatch(m -> m.contains("probe-error"));
    }

    private static void waitFor(java.util.function.BooleanSupplier c) {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.onSpinWait();
        }
    }
}
