package dev.mqttharness.cli;

import dev.mqttharness.reports.model.FuzzCampaign;
import dev.mqttharness.reports.model.RunReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * What {@code fuzz} and {@code replay} need from the fuzzer module (dev.mqttharness.fuzz). Until
 * that module provides its API, {@link #load()} returns an implementation that says so; wiring it
 * means returning an adapter over the fuzzer's campaign runner here.
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

    static FuzzerApi load() {
        return new FuzzerApi() {
            @Override
            public RunReport campaign(String broker, Duration duration, Long cases, long seed, Path findings,
                                      Consumer<String> progress) {
                throw unavailable();
            }

            @Override
            public RunReport replay(Path finding, String broker, Consumer<String> progress) {
                throw unavailable();
            }

            private Unavailable unavailable() {
                return new Unavailable("the fuzzer is not part of this build yet (module fuzzer, package dev.mqttharness.fuzz)");
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
