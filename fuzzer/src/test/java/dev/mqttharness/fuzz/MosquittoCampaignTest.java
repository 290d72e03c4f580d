package dev.mqttharness.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mqttharness.client.Endpoint;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.Catalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short campaign against Mosquitto (Debian's 2.0.11): it yields findings, each naming a statement
 * of its version's catalog, shrunk (single-packet deviations to CONNECT plus the packet) and
 * replayable. Mosquitto is launched from brokers.yaml by the targets module, or reached on
 * 127.0.0.1:18851 if one runs there; without either the test is skipped.
 */
class MosquittoCampaignTest {

    static FuzzTarget mosquitto() {
        if (Files.isExecutable(Path.of("/usr/sbin/mosquitto"))) {
            try {
                return FuzzTarget.resolve("mosquitto");
            } catch (RuntimeException e) {
                // fall through to a running one
            }
        }
        Endpoint ep = Endpoint.tcp("127.0.0.1", 18851);
        assumeTrue(FuzzTarget.accepts(ep), "no mosquitto binary and nothing listening on 127.0.0.1:18851");
        return FuzzTarget.external("127.0.0.1:18851", ep);
    }

    @Test
    void a_short_campaign_yields_shrunk_replayable_findings_that_name_statements(@TempDir Path dir) throws Exception {
        try (FuzzTarget t = mosquitto()) {
            CampaignResult r = Campaign.run(t, CampaignOptions.builder(t.name()).cases(2_000).duration(Duration.ofSeconds(20))
                    .workers(8).seed(17).allowLarge(false).findingsDir(dir).shrink(Duration.ofSeconds(3), 100)
                    .stopAfterFindings(4).build());
            assertThat(ReferenceCampaignTest.summary(r)).isNotEmpty();
            for (int i = 0; i < r.findings().size(); i++) {
                FindingRecord f = r.findings().get(i);
                MqttVersion v = MqttVersion.parse(f.version());
                assertThat(Catalog.get().exists(v, f.statementId())).as(f.statement()).isTrue();
                assertThat(f.verdict()).isIn("FAIL", "NON_STRICT");
                assertThat(f.steps()).isNotEmpty();
                assertThat(Path.of(r.files().get(i))).exists();
                if (f.kind().startsWith("accepted: ") && !f.kind().contains("CONNECT")) {
                    assertThat(f.steps()).as("%s shrinks to CONNECT and the packet", f.kind()).hasSize(2);
                }
            }
            FindingRecord first = r.findings().get(0);
            boolean reproduced = false;
            for (int i = 0; i < 3 && !reproduced; i++) {
                reproduced = Campaign.replay(Path.of(r.files().get(0)), t.endpoint()).reproduced();
            }
            assertThat(reproduced).as("replay of %s", first.id()).isTrue();
        }
    }
}
