package dev.mqttharness.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mqttharness.targets.internal.Poll;
import dev.mqttharness.targets.internal.Teardown;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** launch: process, with Debian's mosquitto (apt-get install mosquitto; .ci/run installs it). */
class ProcessTargetIT {
    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

    @BeforeAll
    static void needsMosquitto() {
        assumeTrue(Files.isExecutable(MOSQUITTO), "mosquitto is not installed: apt-get install mosquitto");
    }

    private static TargetSpec process(String yaml) {
        return BrokersFile.parse("brokers:\n  p:\n    launch: process\n" + yaml, TestPaths.root().resolve("brokers.yaml"))
                .target("p");
    }

    @Test
    void mosquitto_starts_passes_readiness_survives_a_crash_and_stops() throws Exception {
        RunningTarget t = Targets.launch(TestPaths.brokers().target("mosquitto"));
        try {
            Probes.assertAnswersConnect(t);
            assertThat(t.endpoint().webSocket()).isNotNull();
            assertThat(t.recentLogs(50)).anyMatch(l -> l.contains("mosquitto version"));
            List<ProcessHandle> broker = Probes.children("/usr/sbin/mosquitto");
            assertThat(broker).hasSize(1);

            // crash: SIGKILL the broker; the exit is noticed without polling the port
            CompletableFuture<CrashEvent> crash = new CompletableFuture<>();
            t.onCrash(crash::complete);
            broker.get(0).destroyForcibly();
            CrashEvent e = crash.get(10, TimeUnit.SECONDS);
            assertThat(e.reason()).isEqualTo("process exited with code 137 (signal 9 SIGKILL)");
            assertThat(t.isAlive()).isFalse();
            assertThat(t.crash()).contains(e);

            t.restart();
            assertThat(t.crash()).isEmpty();
            assertThat(t.isAlive()).isTrue();
            Probes.assertAnswersConnect(t);
        } finally {
            t.close();
        }
        assertThat(Probes.children("/usr/sbin/mosquitto")).isEmpty();
        assertThat(Teardown.openCount()).isZero();
    }

    @Test
    void process_tree_is_killed_on_close() {
        TargetSpec spec = process("""
                    command: [/bin/sh, -c, "sleep 600 & echo child=$! ; exec /usr/sbin/mosquitto -c {config}"]
                    config: "listener {port} 127.0.0.1\\nallow_anonymous true\\n"
                    versions: [3.1.1]
                """);
        long child;
        try (RunningTarget t = Targets.launch(spec)) {
            child = Probes.pidInLogs(t.recentLogs(100), "child").orElseThrow();
            assertThat(ProcessHandle.of(child)).isPresent();
        }
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).as("pid %d", child).isFalse();
    }

    @Test
    void broker_that_never_becomes_ready_fails_within_the_bound_with_its_logs_and_is_killed() {
        TargetSpec spec = process("""
                    command: [/bin/sh, -c, "echo pid=$$ ; echo loading plugins forever ; exec sleep 600"]
                    ready-timeout: 2s
                """);
        long t0 = System.nanoTime();
        TargetStartException e = catchStart(spec);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(took).isLessThan(Duration.ofSeconds(15));
        assertThat(e.getMessage()).contains("target 'p' (pid ").contains("was not ready within 2 s")
                .contains("last probe: connection refused").contains("| loading plugins forever");
        long pid = Probes.pidInLogs(e.lastLogs(), "pid").orElseThrow();
        assertThat(Poll.until(() -> ProcessHandle.of(pid).isEmpty(), Duration.ofSeconds(5))).as("pid %d gone", pid).isTrue();
        assertThat(Teardown.openCount()).isZero();
    }

    @Test
    void broker_that_exits_at_start_fails_fast_with_its_logs() {
        TargetSpec spec = process("""
                    command: [/usr/sbin/mosquitto, -c, "{config}"]
                    config: "this_is_not_an_option 1\\n"
                    ready-timeout: 60s
                """);
        long t0 = System.nanoTime();
        TargetStartException e = catchStart(spec);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("no waiting for the 60 s bound").isLessThan(Duration.ofSeconds(15));
        assertThat(e.getMessage()).contains("stopped before it was ready: process exited with code")
                .contains("this_is_not_an_option");
    }

    @Test
    void missing_program_is_reported() {
        TargetSpec spec = process("    command: [/nonexistent/broker]\n");
        assertThatThrownBy(() -> Targets.launch(spec))
                .isInstanceOf(TargetStartException.class)
                .hasMessageContaining("cannot run /nonexistent/broker");
        assertThat(Teardown.openCount()).isZero();
    }

    private static TargetStartException catchStart(TargetSpec spec) {
        try (RunningTarget t = Targets.launch(spec)) {
            throw new AssertionError("started: " + t);
        } catch (TargetStartException e) {
            return e;
        }
    }
}
