package dev.mqttharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/** The report of a real run in headless chromium: no console error, a statement opens, its trace shows packets and hex. */
final class RealReportInBrowser {
    private RealReportInBrowser() {
    }

    static void check(Path html) throws Exception {
        Path profile = Files.createTempDirectory("mqtt-harness-chromium");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(new File("/usr/bin/chromium"));
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--window-size=1400,1000", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriver d = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), o);
        try {
            d.get(html.toUri().toString());
            assertThat(d.manage().logs().get(LogType.BROWSER).getAll())
                    .noneMatch(e -> e.getLevel().intValue() >= Level.SEVERE.intValue());
            List<WebElement> withTrace = d.findElements(By.cssSelector("tr.detail button.trace-btn"));
            assertThat(withTrace).isNotEmpty();
            WebElement button = withTrace.get(0);
            WebElement detail = button.findElement(By.xpath("ancestor::tr[1]"));
            WebElement row = detail.findElement(By.xpath("preceding-sibling::tr[1]"));
            ((org.openqa.selenium.JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView({block: 'center'})", row);
            row.click();
            button.click();
            WebElement trace = button.findElement(By.xpath("following-sibling::div[1]"));
            assertThat(trace.isDisplayed()).isTrue();
            assertThat(trace.getText()).contains("CONNECT").contains("0000  ").contains("→ broker");
            assertThat(d.manage().logs().get(LogType.BROWSER).getAll())
                    .noneMatch(e -> e.getLevel().intValue() >= Level.SEVERE.intValue());
        } finally {
            d.quit();
        }
    }
}
