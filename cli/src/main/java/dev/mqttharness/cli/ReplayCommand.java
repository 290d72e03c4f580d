package dev.mqttharness.cli;

import dev.mqttharness.reports.model.RunReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code replay}: runs a saved finding again, against its broker or another one. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replays a saved fuzzing finding (its shrunk packet sequence) and reports whether it still reproduces.",
        footer = {"", "Exit codes: 0 no longer reproduces, 1 reproduces, 2 bad usage, 3 the broker could not be launched (or no fuzzer)."})
final class ReplayCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FINDING.json", description = "a finding file written by fuzz")
    Path finding;

    @Option(names = "--broker", paramLabel = "NAME", description = "replay against this broker instead of the finding's")
    String broker;

    @Option(names = "--report", paramLabel = "DIR", description = "report directory (default ./mqtt-harness-reports/replay-TIMESTAMP)")
    Path report;

    @Override
    public Integer call() throws Exception {
        if (!Files.isReadable(finding)) {
            throw new UsageException(finding + ": cannot read the finding file");
        }
        if (broker != null) {
            Brokers.load(null).check(java.util.List.of(broker));
        }
        RunReport r;
        try {
            r = FuzzerApi.load().replay(finding, broker, line -> System.err.println(line));
        } catch (FuzzerApi.Unavailable e) {
            System.err.println("mqtt-harness replay: " + e.getMessage());
            return MqttHarness.ENVIRONMENT;
        }
        Path dir = ReportDir.create(report, "replay-");
        dev.mqttharness.reports.ReportFiles.writeAll(r, dir);
        return FuzzCommand.finish(System.out, r, dir);
    }
}
