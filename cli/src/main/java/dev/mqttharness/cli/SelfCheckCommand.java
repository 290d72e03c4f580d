package dev.mqttharness.cli;

import dev.mqttharness.broker.fault.Fault;
import dev.mqttharness.reports.ReportFiles;
import dev.mqttharness.reports.model.SelfCheck;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.suite.selfcheck.SelfCheckMarkdown;
import dev.mqttharness.suite.selfcheck.SelfCheckRun;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code selfcheck}: proves the suite catches a broken broker. Each fault of the reference broker
 * runs alone, in an embedded broker, against the scenarios that claim its statements; the report
 * gives the mutation score, the survivors and the collateral (other statements whose verdict changed).
 */
@Command(name = "selfcheck", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the suite against the reference broker with deliberate mistakes (faults), one at a time,",
                "and reports which the suite caught: the mutation score per version and section, the survivors",
                "with the scenario that should have caught each, and collateral verdict changes.",
                "Without --fault or --subset: every fault (docs/self-check.md)."},
        footer = {"", "Exit codes: 0 every fault caught (or the score reached --min-score), 1 survivors below it,",
                "2 bad usage, 3 the run failed."})
final class SelfCheckCommand implements Callable<Integer> {

    @Option(names = "--fault", paramLabel = "ID", split = ",", description = "a fault to check (repeat; see: broker --list-faults)")
    List<String> faults = new ArrayList<>();

    @Option(names = "--subset", paramLabel = "NAME", description = "a named list of faults: all (default) or ci (one per spec section)")
    String subset;

    @Option(names = "--mqtt", paramLabel = "VERSION", split = ",", description = "3.1.1 or 5.0 (default: both)")
    List<String> mqtt = new ArrayList<>();

    @Option(names = "--min-score", paramLabel = "PERCENT",
            description = "exit 0 when at least this share of mutants is caught (default 100 with --fault or --subset ci, 95 for all)")
    Double minScore;

    @Option(names = "--report", paramLabel = "DIR", description = "report directory (default ./mqtt-harness-reports/selfcheck-TIMESTAMP)")
    Path report;

    @Option(names = "--markdown", paramLabel = "FILE", description = "also write the result as Markdown (for docs/self-check.md)")
    Path markdown;

    @Option(names = "--timeout", paramLabel = "MS", description = "bound of each wait for the broker, ms (default 3000)")
    long timeout = 3000;

    @Option(names = "--parallel", paramLabel = "N", description = "scenarios run at once (default 32)")
    int parallel = 32;

    @Option(names = "--brokers", paramLabel = "FILE", description = "the brokers.yaml with the 'reference' and 'reference-limited' targets")
    Path brokersFile;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        List<Fault> chosen = faults();
        Set<MqttVersion> versions = versions();
        if (timeout <= 0 || parallel <= 0) {
            throw new UsageException("--timeout and --parallel must be positive");
        }
        Brokers known = Brokers.load(brokersFile);
        if (known.file() == null) {
            throw new UsageException("no brokers.yaml found: the self-check needs its 'reference' targets (--brokers FILE)");
        }
        for (String base : List.of(SelfCheckRun.BASE, SelfCheckRun.LIMITED_BASE)) {
            if (!known.names().contains(base)) {
                throw new UsageException(known.file() + " has no '" + base + "' target, which the self-check runs the faults in");
            }
        }
        double min = minScore != null ? minScore : (faults.isEmpty() && (subset == null || subset.equals("all")) ? 95.0 : 100.0);
        Path dir = ReportDir.create(report, "selfcheck-");
        String command = commandLine();
        SelfCheckRun.Result r = SelfCheckRun.run(new SelfCheckRun.Options(chosen, versions, dir.resolve("work"),
                Duration.ofMillis(timeout), parallel, known.file(), command, line -> System.err.println("mqtt-harness: " + line)));
        ReportFiles.writeAll(r.report(), dir);
        SelfCheck sc = r.selfCheck();
        String label = !faults.isEmpty() ? String.join(", ", faults) : subset == null ? "all" : subset;
        if (markdown != null) {
            Path parent = markdown.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(markdown, SelfCheckMarkdown.render(sc, command, label));
        }
        out.println(SelfCheckMarkdown.summary(sc));
        for (SelfCheck.Mutant m : sc.mutants()) {
            if (!m.killed()) {
                out.println("  survived: " + m.fault() + " (MQTT " + m.version() + ", " + String.join(", ", m.statements())
                        + "): " + m.reason());
            }
        }
        long collateral = sc.mutants().stream().mapToLong(m -> m.collateral().size()).sum();
        if (collateral > 0) {
            out.println("  collateral: " + collateral + " other verdicts changed (see the report)");
        }
        for (String e : r.errors()) {
            out.println("  error: " + e);
        }
        out.println("report: " + dir.resolve(ReportFiles.HTML));
        double score = sc.total() == 0 ? 100.0 : 100.0 * sc.killed() / sc.total();
        if (score + 1e-9 < min) {
            out.println(String.format(Locale.ROOT, "FAILED: score %.1f %% is below %.1f %%", score, min));
            return MqttHarness.FAILED;
        }
        return MqttHarness.OK;
    }

    private List<Fault> faults() throws java.io.IOException {
        if (!faults.isEmpty() && subset != null) {
            throw new UsageException("--fault and --subset exclude each other");
        }
        if (!faults.isEmpty()) {
            Set<Fault> out = new LinkedHashSet<>();
            for (String f : faults) {
                try {
                    out.add(Fault.byId(f));
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--fault: " + e.getMessage().replace("--list-faults", "mqtt-harness broker --list-faults"));
                }
            }
            return new ArrayList<>(out);
        }
        try {
            return SelfCheckRun.subset(subset == null ? "all" : subset);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--subset: " + e.getMessage());
        }
    }

    private Set<MqttVersion> versions() {
        Set<MqttVersion> vs = EnumSet.noneOf(MqttVersion.class);
        for (String m : mqtt) {
            try {
                MqttVersion v = MqttVersion.parse(m).catalogVersion();
                if (v == MqttVersion.V3_1) {
                    throw new IllegalArgumentException("MQTT 3.1 has no statements of its own; use 3.1.1 or 5.0");
                }
                vs.add(v);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--mqtt: " + e.getMessage());
            }
        }
        return vs.isEmpty() ? EnumSet.of(MqttVersion.V3_1_1, MqttVersion.V5) : vs;
    }

    private String commandLine() {
        StringBuilder sb = new StringBuilder("./mqtt-harness selfcheck");
        for (String a : spec.commandLine().getParseResult().originalArgs()) {
            if (!a.equals("selfcheck")) {
                sb.append(' ').append(CertifyCommand.shellQuote(a));
            }
        }
        return sb.toString();
    }
}
