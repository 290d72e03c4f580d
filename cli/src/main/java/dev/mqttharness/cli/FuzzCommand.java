package dev.mqttharness.cli;

import dev.mqttharness.reports.ReportFiles;
import dev.mqttharness.reports.RunStats;
import dev.mqttharness.reports.model.FuzzCampaign;
import dev.mqttharness.reports.model.RunReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fuzz}: a reproducible fuzzing campaign against one broker; findings are saved and reported. */
@Command(name = "fuzz", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fuzzes a broker: generated and mutated packet sequences, judged by the same checks as the suite.",
        footer = {"", "Exit codes: 0 no finding, 1 findings, 2 bad usage, 3 the broker could not be launched (or no fuzzer)."})
final class FuzzCommand implements Callable<Integer> {
    @Option(names = "--broker", paramLabel = "NAME", required = true, description = "broker of brokers.yaml")
    String broker;

    @Option(names = "--duration", paramLabel = "TIME", description = "how long, e.g. 60s, 5m (default 60s)")
    String duration;

    @Option(names = "--cases", paramLabel = "N", description = "how many cases (instead of a duration)")
    Long cases;

    @Option(names = "--seed", paramLabel = "S", description = "seed (default: random, printed)")
    Long seed;

    @Option(names = "--findings", paramLabel = "DIR", description = "where findings are saved (default ./findings)")
    Path findings = Path.of("findings");

    @Option(names = "--report", paramLabel = "DIR", description = "report directory (default ./mqtt-harness-reports/fuzz-TIMESTAMP)")
    Path report;

    @Option(names = "--brokers", paramLabel = "FILE", description = "the brokers.yaml to use")
    Path brokersFile;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        if (duration != null && cases != null) {
            throw new UsageException("--duration and --cases exclude each other");
        }
        if (cases != null && cases <= 0) {
            throw new UsageException("--cases: must be positive");
        }
        Duration d = cases != null ? null : parseDuration(duration == null ? "60s" : duration);
        Brokers.load(brokersFile).check(List.of(broker));
        long s = seed != null ? seed : new java.security.SecureRandom().nextLong();
        out.println("mqtt-harness fuzz: broker " + broker + ", seed " + s + (d != null ? ", for " + duration(d) : ", " + cases + " cases"));
        RunReport r;
        try {
            r = FuzzerApi.load().campaign(broker, d, cases, s, findings, line -> err.println(line));
        } catch (FuzzerApi.Unavailable e) {
            err.println("mqtt-harness fuzz: " + e.getMessage());
            return MqttHarness.ENVIRONMENT;
        }
        Path dir = ReportDir.create(report, "fuzz-");
        ReportFiles.writeAll(r, dir);
        return finish(out, r, dir);
    }

    static int finish(PrintStream out, RunReport r, Path dir) {
        for (FuzzCampaign c : r.fuzz()) {
            out.printf(Locale.ROOT, "%s: %d cases in %s (%.1f/s), %d finding(s)%n", c.target(), c.cases(),
                    duration(Duration.ofMillis(c.durationMillis())), c.casesPerSecond(), c.findings().size());
            for (FuzzCampaign.Finding f : c.findings()) {
                out.println("  " + f.verdict() + " " + f.statement() + " — " + f.kind());
                out.println("    replay: " + f.replay());
            }
        }
        out.println("report: " + dir.resolve(ReportFiles.HTML));
        if (RunStats.environmentFailed(r)) {
            return MqttHarness.ENVIRONMENT;
        }
        return FuzzerApi.findings(r) > 0 ? MqttHarness.FAILED : MqttHarness.OK;
    }

    static Duration parseDuration(String text) {
        try {
            return dev.mqttharness.fuzz.CampaignOptions.parseDuration(text);
        } catch (NumberFormatException e) {
            throw new UsageException("--duration: '" + text + "' is not a duration (e.g. 90s, 5m, 1h)");
        }
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        return s >= 120 ? (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s") : s + " s";
    }
}
