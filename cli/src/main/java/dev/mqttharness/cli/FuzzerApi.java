package dev.mqttharness.cli;

import dev.mqttharness.reports.model.FuzzCampaign;
import dev.mqttharness.reports.model.RunReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * What {@code fuzz} and {@code replay} need from the fuzzer module (dev.mqttharness.fuzz), as
 * run reports the CLI renders like any other.
 */
interface FuzzerApi {
    /**
     * Runs a campaign against a broker of brokers.yaml (launched and torn down by the fuzzer) for a
     * duration or a number of cases, reproducibly from the seed, saving findings under {@code findings}.
     *
     * @return a run report holding the campaign ({@link RunReport#fuzz()}) and the traces its findings cite
     */
    RunReport campaign(String broker, Duration duration, Long cases, long seed, Path findings, Consumer<String> progress)
            throws Exception;

    /** Replays a saved finding against its broker; the report's campaign holds the finding if it reproduced. */
    RunReport replay(Path finding, String broker, Consumer<String> progress) throws Exception;

    /** Thrown when this build has no fuzzer API. */
    final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    /** The fuzzer module's campaign runner and replayer (dev.mqttharness.fuzz.Campaign). */
    static FuzzerApi load() {
        return new FuzzerApi() {
            @Override
            public RunReport campaign(String broker, Duration duration, Long cases, long seed, Path findings,
                                      Consumer<String> progress) {
                long started = System.currentTimeMillis();
                dev.mqttharness.fuzz.CampaignOptions.Builder b = dev.mqttharness.fuzz.CampaignOptions.builder(broker)
                        .seed(seed).findingsDir(findings).log(progress);
                if (duration != null) {
                    b.duration(duration);
                }
                if (cases != null) {
                    b.cases(cases);
                }
                dev.mqttharness.fuzz.CampaignResult r = dev.mqttharness.fuzz.Campaign.run(b.build());
                return dev.mqttharness.fuzz.FuzzReports.of(r, System.getProperty("mqtt.command", "mqtt-harness fuzz"), started);
            }

            @Override
            public RunReport replay(Path finding, String broker, Consumer<String> progress) throws Exception {
                long started = System.currentTimeMillis();
                dev.mqttharness.fuzz.ReplayResult r = broker == null
                        ? dev.mqttharness.fuzz.Campaign.replay(finding)
                        : dev.mqttharness.fuzz.Campaign.replay(finding, broker);
                r.summary().forEach(progress);
                return dev.mqttharness.fuzz.FuzzReports.of(r, System.getProperty("mqtt.command", "mqtt-harness replay"), started);
            }
        };
    }

    /** Findings in a campaign report that break a statement (FAIL, or NON_STRICT when strict). */
    static long findings(RunReport r) {
        long n = 0;
        for (FuzzCampaign c : r.fuzz()) {
            n += c.findings() == null ? 0 : c.findings().size();
        }
        return n;
    }
}
