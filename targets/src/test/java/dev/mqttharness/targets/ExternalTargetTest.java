package dev.mqttharness.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttharness.targets.internal.Ports;
import dev.mqttharness.targets.internal.Teardown;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** launch: external, against loopback servers that answer, refuse, reject or never answer. */
class ExternalTargetTest {

    private static TargetSpec external(int port, String readyTimeout, String extra) {
        return BrokersFile.parse("""
                brokers:
                  remote:
                    launch: external
                    host: "${TEST_HOST:-127.0.0.1}"
                    port: %d
                    ready-timeout: %s
                %s""".formatted(port, readyTimeout, extra), Path.of("brokers.yaml")).target("remote");
    }

    @Test
    void reaches_a_broker_that_answers_and_reports_when_it_stops_answering() throws Exception {
        FakeBroker fake = new FakeBroker(FakeBroker.Mode.ACCEPT);
        try (RunningTarget t = Targets.launch(external(fake.port(), "5s", ""))) {
            assertThat(t.endpoint().host()).isEqualTo("127.0.0.1");
            assertThat(t.endpoint().port()).isEqualTo(fake.port());
            assertThat(t.isAlive()).isTrue();
            assertThat(t.crash()).isEmpty();

            CompletableFuture<CrashEvent> crash = new CompletableFuture<>();
            t.onCrash(crash::complete);
            fake.close();
            assertThat(t.isAlive()).isFalse();
            CrashEvent e = crash.get(5, TimeUnit.SECONDS);
            assertThat(e.target()).isEqualTo("remote");
            assertThat(e.reason()).contains("refuses connections");
            assertThat(t.crash()).contains(e);
        }
    }

    @Test
    void credentials_come_from_the_environment() throws Exception {
        try (FakeBroker fake = new FakeBroker(FakeBroker.Mode.ACCEPT)) {
            TargetSpec spec = external(fake.port(), "5s", "    username: ${U}\n    password: ${P}\n");
            try (RunningTarget t = Targets.launch(spec, Map.of("U", "alice", "P", "pw")::get)) {
                assertThat(t.endpoint().username()).isEqualTo("alice");
                assertThat(t.endpoint().password()).isEqualTo("pw");
            }
            assertThatThrownBy(() -> Targets.launch(spec, Map.of("U", "alice")::get))
                    .isInstanceOf(TargetException.class)
                    .hasMessageContaining("environment variable P is not set");
        }
    }

    @Test
    void refused_connection_fails_fast_with_a_clear_message() {
        int closed = Ports.free();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Targets.launch(external(closed, "30s", "")))
                .isInstanceOf(TargetStartException.class)
                .hasMessageContaining("target 'remote' at mqtt://127.0.0.1:" + closed + " is not usable: connection refused");
        // no retrying until the 30 s bound: a refusal from an external broker is final
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(Teardown.openCount()).isZero();
    }

    @Test
    void black_hole_fails_within_the_bound() throws Exception {
        try (FakeBroker silent = new FakeBroker(FakeBroker.Mode.SILENT)) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> Targets.launch(external(silent.port(), "2s", "")))
                    .isInstanceOf(TargetStartException.class)
                    .hasMessageContaining("is not usable: connected, but no CONNACK within");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void connack_refusal_is_reported_with_its_code() throws Exception {
        try (FakeBroker rejecting = new FakeBroker(FakeBroker.Mode.REJECT)) {
            assertThatThrownBy(() -> Targets.launch(external(rejecting.port(), "5s", "")))
                    .isInstanceOf(TargetStartException.class)
                    .hasMessageContaining("refused the CONNECT with CONNACK 0x05 not authorized")
                    .hasMessageContaining("check the target's credentials");
        }
    }

    @Test
    void connection_closed_before_connack_is_reported() throws Exception {
        try (FakeBroker closing = new FakeBroker(FakeBroker.Mode.CLOSE)) {
            assertThatThrownBy(() -> Targets.launch(external(closing.port(), "5s", "")))
                    .isInstanceOf(TargetStartException.class)
                    .hasMessageContaining("closed the connection before CONNACK");
        }
    }

    @Test
    void websocket_uri_is_part_of_the_endpoint() throws Exception {
        try (FakeBroker fake = new FakeBroker(FakeBroker.Mode.ACCEPT)) {
            TargetSpec spec = external(fake.port(), "5s", "    websocket: { port: 8080, path: /mqtt }\n");
            try (RunningTarget t = Targets.launch(spec)) {
                assertThat(t.endpoint().webSocket()).hasToString("ws://127.0.0.1:8080/mqtt");
                assertThat(t.recentLogs(10)).isEqualTo(List.of());
            }
        }
    }
}
