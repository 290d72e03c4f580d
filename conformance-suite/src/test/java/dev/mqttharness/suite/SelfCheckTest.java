package dev.mqttharness.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.broker.fault.Fault;
import dev.mqttharness.reports.ReportFiles;
import dev.mqttharness.reports.model.SelfCheck;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.suite.framework.SuiteSettings;
import dev.mqttharness.suite.selfcheck.SelfCheckMarkdown;
import dev.mqttharness.suite.selfcheck.SelfCheckRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The suite catches a broken broker: the self-check's CI subset (one fault per spec section) runs
 * here, in {@code mvn verify}, and fails if a fault of it survives. With {@code -Pmutation} (system
 * property {@code mqtt.selfcheck=all}) every fault runs, and the build fails below a 95 % score;
 * the report goes to {@code target/self-check/}.
 */
@Isolated // the suite run of this JVM is a singleton; nothing else may launch scenarios meanwhile
class SelfCheckTest {

    @Test
    void the_suite_catches_the_faults_of_the_subset() throws Exception {
        String subset = System.getProperty("mqtt.selfcheck", "ci");
        List<Fault> faults = SelfCheckRun.subset(subset);
        Path dir = Path.of("target", "self-check").toAbsolutePath();
        String command = subset.equals("all") ? "mvn -Pmutation verify -pl conformance-suite"
                : "mvn verify -pl conformance-suite   # SelfCheckTest, subset " + subset;
        SelfCheckRun.Result r = SelfCheckRun.run(new SelfCheckRun.Options(faults, EnumSet.of(MqttVersion.V3_1_1, MqttVersion.V5),
                dir, Duration.ofMillis(Long.getLong("mqtt.timeout.ms", 3000)), Integer.getInteger("mqtt.selfcheck.parallelism", 32),
                SuiteSettings.repositoryRoot().resolve("brokers.yaml"), command, System.out::println));
        ReportFiles.writeAll(r.report(), dir);
        Files.writeString(dir.resolve("self-check.md"), SelfCheckMarkdown.render(r.selfCheck(), command, subset));
        SelfCheck sc = r.selfCheck();
        System.out.println(SelfCheckMarkdown.summary(sc));
        if (subset.equals("all")) {
            assertThat(100.0 * sc.killed() / sc.total()).as("mutation score; survivors in %s", dir.resolve("self-check.md"))
                    .isGreaterThanOrEqualTo(95.0);
        } else {
            assertThat(sc.mutants().stream().filter(m -> !m.killed()).map(m -> m.fault() + "@" + m.version() + ": " + m.reason()))
                    .as("faults of the %s subset the suite did not catch", subset).isEmpty();
        }
    }
}
