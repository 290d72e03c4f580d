package dev.mqttharness.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.broker.BrokerConfig;
import dev.mqttharness.broker.fault.Fault;
import dev.mqttharness.fuzz.exec.CaseOutcome;
import dev.mqttharness.fuzz.exec.CaseRunner;
import dev.mqttharness.fuzz.oracle.Finding;
import dev.mqttharness.reports.model.FuzzCampaign;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.StatementKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Campaigns against the embedded reference broker: the clean broker yields no finding (the oracles
 * do not accuse a conforming broker), and with a fault switched on the campaign finds it, naming one
 * of the fault's statements (the oracles see what they are meant to see). Short campaigns: seconds.
 */
class ReferenceCampaignTest {
    /** Deviations in these tests close or answer at once; a fault that leaves a connection silent costs this much. */
    static final CaseRunner.Settings FAST = new CaseRunner.Settings(Duration.ofSeconds(1), Duration.ofSeconds(1));

    static CampaignOptions.Builder options(String name, long cases, long seed) {
        return CampaignOptions.builder(name).cases(cases).duration(Duration.ofSeconds(15)).workers(8).seed(seed)
                .allowLarge(false).runner(FAST).shrink(Duration.ofSeconds(5), 150);
    }

    @Test
    void the_reference_broker_passes_a_short_campaign() {
        try (FuzzTarget t = FuzzTarget.reference()) {
            CampaignResult r = Campaign.run(t, options("reference", 1_500, 5).build());
            assertThat(summary(r)).isEmpty();
            assertThat(r.cases()).isEqualTo(1_500);
            assertThat(r.packetsByType()).containsKeys("CONNECT", "PUBLISH", "SUBSCRIBE", "UNSUBSCRIBE", "PUBREL",
                    "DISCONNECT", "PINGREQ");
            assertThat(r.statementsExercised()).containsKeys("3.1.1 MQTT-3.3.2-3", "5.0 MQTT-3.3.2-3", "5.0 MQTT-4.13.1-1");
            FuzzCampaign report = r.toReport();
            assertThat(report.target()).isEqualTo("reference");
            assertThat(report.cases()).isEqualTo(1_500);
            assertThat(report.casesPerSecond()).isPositive();
        }
    }

    @Test
    void a_single_packet_deviation_shrinks_to_connect_and_the_packet_and_replays(@TempDir Path dir) throws Exception {
        BrokerConfig faulty = BrokerConfig.builder().fault(Fault.SECOND_CONNECT_IGNORED.id()).build();
        try (FuzzTarget t = FuzzTarget.reference(faulty); FuzzTarget clean = FuzzTarget.reference()) {
            CampaignResult r = Campaign.run(t, options("reference", 4_000, 9).findingsDir(dir).stopAfterFindings(1)
                    .versions(List.of(MqttVersion.V3_1_1)).build());
            assertThat(summary(r)).hasSize(1);
            FindingRecord f = r.findings().get(0);
            assertThat(f.statement()).isEqualTo("3.1.1 MQTT-3.1.0-2");
            assertThat(f.verdict()).isEqualTo("FAIL");
            assertThat(f.steps()).as("shrunk to CONNECT plus the offending packet").hasSize(2);
            assertThat(f.steps().get(0)).contains("CONNECT");
            assertThat(f.steps().get(1)).contains("a second CONNECT");
            assertThat(f.reproduced()).isEqualTo("3/3");
            assertThat(f.expect()).isEqualTo("fixed");
            Path file = Path.of(r.files().get(0));
            assertThat(file).exists().hasParent(dir.resolve("reference"));
            assertThat(Files.readString(file)).contains("\"choices\"", "\"trace\"", "\"seed\"");

            ReplayResult again = Campaign.replay(file, t.endpoint());
            assertThat(again.reproduced()).as(String.join("\n", again.summary())).isTrue();
            assertThat(Campaign.replay(file, clean.endpoint()).reproduced()).isFalse();

            // the unshrunk case replays from its seed as well
            CaseOutcome original = Campaign.runSeed(t.endpoint(), f.seed(), List.of(MqttVersion.V3_1_1), false);
            assertThat(original.has(new Finding.Key(new StatementKey(MqttVersion.V3_1_1, "MQTT-3.1.0-2"), f.kind()))).isTrue();
        }
    }

    @Test
    @SuppressWarnings("try") // closing the broker inside the try is the point: it simulates a crash
    void a_broker_that_stops_serving_clients_is_reported_restarted_and_fuzzed_on() {
        try (FuzzTarget t = FuzzTarget.reference()) {
            t.close(); // the broker dies before the first case
            CampaignResult r = Campaign.run(t, options("reference", 300, 2).build());
            assertThat(summary(r)).hasSize(1);
            assertThat(r.findings().get(0).kind()).isEqualTo("broker crashed or stopped serving clients");
            assertThat(r.findings().get(0).statementId()).startsWith("§4.");
            assertThat(t.alive()).as("restarted").isTrue();
            assertThat(r.cases()).isGreaterThan(250);
        }
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of(Fault.QOS_NOT_DOWNGRADED, List.of("MQTT-3.8.4-6", "MQTT-3.8.4-8")),
                Arguments.of(Fault.NO_LOCAL_IGNORED, List.of("MQTT-3.8.3-3")),
                Arguments.of(Fault.RETAINED_NOT_SENT_ON_SUBSCRIBE, List.of("MQTT-3.3.1-6", "MQTT-3.3.1-9")),
                Arguments.of(Fault.QOS2_DUPLICATE_DELIVERED, List.of("MQTT-4.3.3-2", "MQTT-4.3.3-10")),
                Arguments.of(Fault.UNSUBSCRIBE_IGNORED, List.of("MQTT-3.10.4-2")),
                Arguments.of(Fault.TAKEOVER_IGNORED, List.of("MQTT-3.1.4-2", "MQTT-3.1.4-3")),
                Arguments.of(Fault.MALFORMED_NOT_CLOSED, null));
    }

    @ParameterizedTest
    @MethodSource("faults")
    void a_campaign_finds_a_broken_statement(Fault fault, List<String> expected) {
        BrokerConfig faulty = BrokerConfig.builder().fault(fault.id()).build();
        try (FuzzTarget t = FuzzTarget.reference(faulty)) {
            // deviations that leave the client waiting cost a timeout per case: keep it short here, where the
            // in-process broker answers in microseconds (unconfirmed findings are discarded anyway)
            CampaignResult r = Campaign.run(t, options("reference", 6_000, 3).versions(fault.versions()).duration(Duration.ofSeconds(8))
                    .runner(new CaseRunner.Settings(Duration.ofMillis(300), Duration.ofMillis(300)))
                    .stopAfterFindings(1).shrink(Duration.ofSeconds(1), 20).build());
            assertThat(summary(r)).as("%s", fault).isNotEmpty();
            FindingRecord f = r.findings().get(0);
            if (expected != null) {
                assertThat(expected).as("%s found %s %s", fault, f.statement(), f.kind()).contains(f.statementId());
            } else {
                // a malformed packet skipped: any statement requiring the close
                assertThat(f.verdict()).isEqualTo("FAIL");
                assertThat(f.kind()).containsAnyOf("accepted", "did not close");
            }
        }
    }

    /** One line per finding, with its steps: what an assertion message should show. */
    static List<String> summary(CampaignResult r) {
        List<String> out = new ArrayList<>();
        for (FindingRecord f : r.findings()) {
            out.add(f.statement() + " " + f.kind() + ": " + f.observed() + " [" + String.join(" | ", f.steps()) + "]");
        }
        return out;
    }

    static String describe(CampaignResult r) {
        List<String> out = new ArrayList<>();
        for (FindingRecord f : r.findings()) {
            out.add(f.statement() + " " + f.kind() + ": " + f.observed() + "\n   " + String.join("\n   ", f.steps()));
        }
        return String.join("\n", out);
    }
}
