package dev.mqttharness.targets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.targets.internal.Teardown;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * launch: jvm, the Java brokers of brokers.yaml in forked JVMs. The first run builds their launcher
 * projects (targets/jvm-brokers) with Maven; later runs reuse target/classpath.txt.
 */
class JvmTargetIT {

    @ParameterizedTest
    @ValueSource(strings = {"moquette", "artemis"})
    void java_broker_starts_passes_readiness_and_stops(String name) {
        TargetSpec spec = TestPaths.brokers().target(name);
        RunningTarget t = Targets.launch(spec);
        long pid;
        try {
            Probes.assertAnswersConnect(t);
            assertThat(t.recentLogs(200)).anyMatch(l -> l.startsWith("mqtt-harness: ") && l.contains("listening on 127.0.0.1:"));
            pid = Probes.pidInLogs(t.recentLogs(200), "pid").orElseThrow();
            assertThat(ProcessHandle.of(pid)).isPresent();
        } finally {
            t.close();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d", pid).isFalse();
    }

    @Test
    void hivemq_ce_starts_survives_a_crash_and_stops() throws Exception {
        TargetSpec spec = TestPaths.brokers().target("hivemq-ce");
        RunningTarget t = Targets.launch(spec);
        long second;
        try {
            Probes.assertAnswersConnect(t);
            assertThat(t.endpoint().webSocket()).isNotNull();
            assertThat(t.recentLogs(200)).anyMatch(l -> l.contains("Started EmbeddedHiveMQ in"));
            long first = Probes.pidInLogs(t.recentLogs(200), "pid").orElseThrow();

            CompletableFuture<CrashEvent> crash = new CompletableFuture<>();
            t.onCrash(crash::complete);
            ProcessHandle.of(first).orElseThrow().destroyForcibly();
            assertThat(crash.get(10, TimeUnit.SECONDS).reason()).contains("SIGKILL");

            t.restart();
            Probes.assertAnswersConnect(t);
            List<String> afterRestart = t.recentLogs(200);
            List<String> sinceRestart = afterRestart.subList(afterRestart.indexOf(afterRestart.stream()
                    .filter(l -> l.contains("restarting")).reduce((a, b) -> b).orElseThrow()), afterRestart.size());
            second = Probes.pidInLogs(sinceRestart, "pid").orElseThrow();
            assertThat(second).isNotEqualTo(first);
        } finally {
            t.close();
        }
        assertThat(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(Teardown.openCount()).isZero();
    }
}
