package dev.mqttharness.fuzz;

import dev.mqttharness.fuzz.exec.CaseRunner;
import dev.mqttharness.spec.MqttVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * How a campaign runs. Build with {@link #builder(String)}; what the CLI's {@code mqtt-harness fuzz}
 * options map to.
 *
 * @param target         "reference", "host:port" or a brokers.yaml name
 * @param versions       versions to fuzz
 * @param duration       time budget for running cases (null: none, then {@code cases} must be set)
 * @param cases          case budget (0: none)
 * @param seed           campaign seed: case i's seed follows from it, so a campaign replays exactly
 * @param workers        cases run concurrently, each worker with its own client ids and topics
 * @param findingsDir    where findings are saved as JSON (one folder per target), or null
 * @param shrinkTime     wall-time bound on shrinking one finding
 * @param shrinkAttempts bound on candidates replayed while shrinking one finding
 * @param allowLarge     allow megabyte packets (Remaining Length boundaries 2,097,151 / 2,097,152)
 * @param runner         per-wait bounds of the case runner
 * @param liveness       check after every case that the broker still connects, publishes and delivers
 * @param stopAfterFindings stop once this many distinct findings are saved (0: never)
 * @param log            progress lines, or null
 */
public record CampaignOptions(String target, List<MqttVersion> versions, Duration duration, long cases, long seed,
                              int workers, Path findingsDir, Duration shrinkTime, int shrinkAttempts, boolean allowLarge,
                              CaseRunner.Settings runner, boolean liveness, int stopAfterFindings, Consumer<String> log) {

    public CampaignOptions {
        versions = List.copyOf(versions);
        if (duration == null && cases <= 0) {
            throw new IllegalArgumentException("a campaign needs a time budget (--duration) or a case budget (--cases)");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers < 1");
        }
    }

    public static Builder builder(String target) {
        return new Builder(target);
    }

    /** Builds options; defaults: both versions, 16 workers, seed 1, shrinking 20 s / 500 candidates. */
    public static final class Builder {
        private final String target;
        private List<MqttVersion> versions = List.of(MqttVersion.V3_1_1, MqttVersion.V5);
        private Duration duration;
        private long cases;
        private long seed = 1;
        private int workers = 16;
        private Path findingsDir;
        private Duration shrinkTime = Duration.ofSeconds(20);
        private int shrinkAttempts = 500;
        private boolean allowLarge = true;
        private CaseRunner.Settings runner = CaseRunner.Settings.defaults();
        private boolean liveness = true;
        private int stopAfterFindings;
        private Consumer<String> log;

        Builder(String target) {
            this.target = target;
        }

        public Builder versions(List<MqttVersion> v) {
            this.versions = v;
            return this;
        }

        public Builder duration(Duration d) {
            this.duration = d;
            return this;
        }

        public Builder cases(long n) {
            this.cases = n;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Builder workers(int n) {
            this.workers = n;
            return this;
        }

        public Builder findingsDir(Path p) {
            this.findingsDir = p;
            return this;
        }

        public Builder shrink(Duration time, int attempts) {
            this.shrinkTime = time;
            this.shrinkAttempts = attempts;
            return this;
        }

        public Builder allowLarge(boolean b) {
            this.allowLarge = b;
            return this;
        }

        public Builder runner(CaseRunner.Settings s) {
            this.runner = s;
            return this;
        }

        public Builder liveness(boolean b) {
            this.liveness = b;
            return this;
        }

        public Builder stopAfterFindings(int n) {
            this.stopAfterFindings = n;
            return this;
        }

        public Builder log(Consumer<String> l) {
            this.log = l;
            return this;
        }

        public CampaignOptions build() {
            return new CampaignOptions(target, versions, duration, cases, seed, workers, findingsDir, shrinkTime,
                    shrinkAttempts, allowLarge, runner, liveness, stopAfterFindings, log);
        }
    }

    /** Parses "60s", "2m", "500ms", "1h" or a number of seconds. */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("h")) {
            return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(t));
    }
}
