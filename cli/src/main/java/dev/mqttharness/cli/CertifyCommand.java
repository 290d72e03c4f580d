package dev.mqttharness.cli;

import dev.mqttharness.reports.ReportFiles;
import dev.mqttharness.reports.RunStats;
import dev.mqttharness.reports.model.RunReport;
import dev.mqttharness.reports.model.StatementResult;
import dev.mqttharness.reports.model.TargetReport;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.SectionIndex;
import dev.mqttharness.spec.catalog.StatementKey;
import dev.mqttharness.spec.verdict.Verdict;
import dev.mqttharness.suite.framework.Baseline;
import dev.mqttharness.suite.framework.Coverage;
import dev.mqttharness.suite.framework.ResultsListener;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.SuiteParallelism;
import dev.mqttharness.suite.framework.SuiteRun;
import dev.mqttharness.targets.BrokersFile;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code certify}: runs the conformance suite through the JUnit Platform Launcher and writes the reports. */
@Command(name = "certify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Certifies brokers against MQTT 3.1.1 and 5.0: runs the conformance suite and writes "
                + "report.html, report.json and junit.xml.",
                "Without --broker or --host: the default brokers of brokers.yaml."},
        footer = {"", "Exit codes: 0 no FAIL (no regression when a baseline applies), 1 FAIL or regression, 2 bad usage,",
                "3 a broker could not be launched or reached (the report says so), 130 interrupted (partial report)."})
final class CertifyCommand implements Callable<Integer> {
    static final String SCENARIO_PACKAGE = "dev.mqttharness.suite.scenarios";

    @Option(names = "--broker", paramLabel = "NAME", split = ",",
            description = "broker of brokers.yaml (repeat, or comma-separated; 'all' for every one; HOST:PORT for a running broker)")
    List<String> brokers = new ArrayList<>();

    @Option(names = "--host", paramLabel = "HOST", description = "certify a broker that is already running at HOST")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "its port (default 1883, 8883 with --tls)")
    Integer port;

    @Option(names = "--tls", description = "connect over TLS")
    boolean tls;

    @Option(names = "--ca", paramLabel = "FILE", description = "PEM file of the CA to trust (with --tls)")
    Path ca;

    @Option(names = "--cert", paramLabel = "FILE", description = "client certificate, PEM (with --tls and --key)")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "client key, PKCS#8 PEM (with --tls and --cert)")
    Path key;

    @Option(names = "--username", paramLabel = "USER", description = "user name to present in CONNECT")
    String username;

    @Option(names = "--password-env", paramLabel = "VAR", description = "environment variable holding the password")
    String passwordEnv;

    @Option(names = "--mqtt", paramLabel = "VERSION", split = ",", description = "3.1.1 or 5.0 (default: both)")
    List<String> mqtt = new ArrayList<>();

    @Option(names = "--strict", description = "count SHOULD-level deviations (NON_STRICT) as failures")
    boolean strict;

    @Option(names = "--only", paramLabel = "SECTION", split = ",", description = "only scenarios of these spec sections, e.g. 3.3 or 3.3.1")
    List<String> only = new ArrayList<>();

    @Option(names = "--scenario", paramLabel = "CLASS[.METHOD]", description = "one scenario class or method, e.g. PublishRetainScenarios.retained_message_is_sent_to_a_new_subscriber_with_retain_set")
    String scenario;

    @Option(names = "--baseline", paramLabel = "FILE|DIR", description = "expected verdicts: a file (one broker) or a directory of NAME.yaml; exit 1 only on regressions")
    Path baseline;

    @Option(names = "--update-baseline", description = "rewrite the baseline from this run's verdicts")
    boolean updateBaseline;

    @Option(names = "--report", paramLabel = "DIR", description = "report directory (default ./mqtt-harness-reports/TIMESTAMP, with a 'latest' link)")
    Path report;

    @Option(names = "--timeout", paramLabel = "MS", description = "bound of each wait for the broker, ms (default 5000)")
    Long timeout;

    @Option(names = "--brokers", paramLabel = "FILE", description = "the brokers.yaml to use (default: the nearest one)")
    Path brokersFile;

    @Option(names = "--plain", description = "plain progress lines even on a terminal")
    boolean plain;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        long started = System.currentTimeMillis();
        Set<MqttVersion> versions = versions();
        checkOptions(versions);
        String password = password();
        Selection selection = selection();
        Brokers known = Brokers.load(brokersFile);

        List<String> names = new ArrayList<>();
        if (host != null) {
            names.add(host + ":" + effectivePort());
        } else if (brokers.isEmpty()) {
            names.addAll(known.defaults());
        } else if (brokers.size() == 1 && brokers.get(0).equals("all")) {
            names.addAll(known.names());
        } else {
            known.check(brokers);
            for (String b : brokers) {
                if (!names.contains(b)) {
                    names.add(b);
                }
            }
        }
        if (baseline != null && !Files.isDirectory(baseline) && updateBaseline && names.size() > 1) {
            throw new UsageException("--update-baseline with a baseline FILE needs exactly one broker; give a directory for several");
        }

        Path dir = ReportDir.create(report, "");
        String command = commandLine();
        System.setProperty("mqtt.command", command);

        // brokers reached at HOST:PORT are checked first: an unreachable one is an environment failure, reported at once
        List<TargetReport> down = new ArrayList<>();
        List<String> reachable = new ArrayList<>();
        for (String n : names) {
            String problem = Brokers.isHostPort(n) ? reach(n) : null;
            if (problem != null) {
                down.add(new TargetReport(n, "external", (tls ? "mqtts://" : "mqtt://") + n, labels(versions), List.of(),
                        "ERROR", List.of(problem), -1, List.of(), List.of()));
            } else {
                reachable.add(n);
            }
        }

        RunReport result;
        Progress progress = null;
        if (reachable.isEmpty()) {
            result = new RunReport(RunReport.SCHEMA, Long.toString(started, 36), tool(), command, started,
                    System.currentTimeMillis(), strict, false, down, Map.of(), List.of(), null, List.of());
        } else {
            Map<String, String> cfg = new java.util.HashMap<>(SuiteParallelism.PARAMETERS);
            cfg.putAll(configuration(dir, versions, reachable, known, password));
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selection.selectors)
                    .filters(ClassNameFilter.includeClassNamePatterns(".*Scenarios"))
                    .configurationParameters(cfg)
                    .build();
            List<Set<MqttVersion>> perTarget = new ArrayList<>();
            for (String n : reachable) {
                Set<MqttVersion> v = EnumSet.noneOf(MqttVersion.class);
                v.addAll(versions);
                v.retainAll(known.versionsOf(n));
                perTarget.add(v);
            }
            long estimate = Progress.estimate(selection.classes, selection.method, perTarget, only);
            progress = new Progress(err, !plain && Progress.interactive(), estimate);
            SuiteRun.reset();
            ResultsListener.clearRenderers();
            AsyncRenderer renderer = new AsyncRenderer();
            ResultsListener.addRenderer(renderer);
            Progress p = progress;
            AtomicBoolean interrupted = new AtomicBoolean();
            Interrupts.install(() -> {
                interrupted.set(true);
                onInterrupt(dir, command, started, down, renderer, p);
            });
            try {
                Launcher launcher = LauncherFactory.create();
                launcher.execute(request, progress);
            } finally {
                progress.close();
                renderer.stop();
                ResultsListener.clearRenderers();
                Interrupts.uninstall();
            }
            RunReport r = ResultsListener.write(false);
            if (r == null) {
                r = new RunReport(RunReport.SCHEMA, Long.toString(started, 36), tool(), command, started,
                        System.currentTimeMillis(), strict, false, List.of(), Map.of(), List.of(), null,
                        List.of("no scenario was selected: nothing was run"));
            }
            List<TargetReport> targets = new ArrayList<>(r.targets());
            targets.addAll(down);
            result = r.withTargets(targets).with(command, false, r.finishedAt() == 0 ? System.currentTimeMillis() : r.finishedAt());
        }
        result = Judge.withBaseline(result, baseline, strict);
        ReportFiles.writeAll(result, dir);
        if (updateBaseline && baseline != null && !Files.isDirectory(baseline)) {
            writeBaseline(result, baseline);
        }
        SuiteRun.reset();
        int code = Judge.exitCode(result);
        Summary.print(out, result, dir, code, baseline != null);
        return code;
    }

    // --- options -----------------------------------------------------------------------------------

    private Set<MqttVersion> versions() {
        Set<MqttVersion> vs = EnumSet.noneOf(MqttVersion.class);
        for (String m : mqtt) {
            try {
                MqttVersion v = MqttVersion.parse(m);
                if (v == MqttVersion.V3_1) {
                    throw new IllegalArgumentException("MQTT 3.1 has no statements of its own; use 3.1.1 or 5.0");
                }
                vs.add(v.catalogVersion());
            } catch (IllegalArgumentException e) {
                throw new UsageException("--mqtt: " + e.getMessage());
            }
        }
        return vs.isEmpty() ? EnumSet.of(MqttVersion.V3_1_1, MqttVersion.V5) : vs;
    }

    private void checkOptions(Set<MqttVersion> versions) {
        if (!brokers.isEmpty() && host != null) {
            throw new UsageException("--broker and --host exclude each other");
        }
        if (host == null && (port != null || tls || ca != null || cert != null || key != null || username != null
                || passwordEnv != null)) {
            throw new UsageException("--port, --tls, --ca, --cert, --key, --username and --password-env go with --host");
        }
        if (!tls && (ca != null || cert != null || key != null)) {
            throw new UsageException("--ca, --cert and --key need --tls");
        }
        if ((cert == null) != (key == null)) {
            throw new UsageException("--cert and --key go together");
        }
        for (Path f : new Path[] {ca, cert, key}) {
            if (f != null && !Files.isReadable(f)) {
                throw new UsageException(f + ": cannot read the file");
            }
        }
        if (port != null && (port <= 0 || port > 65535)) {
            throw new UsageException("--port: " + port + " is not a port number");
        }
        if (timeout != null && timeout <= 0) {
            throw new UsageException("--timeout: must be a positive number of milliseconds");
        }
        if (baseline != null && !updateBaseline && !Files.exists(baseline)) {
            throw new UsageException("--baseline: " + baseline + " does not exist (write it with --update-baseline)");
        }
        for (String s : only) {
            String sec = s.startsWith("§") ? s.substring(1) : s;
            boolean exists = false;
            for (MqttVersion v : versions) {
                exists |= SectionIndex.get(v).contains(sec);
            }
            if (!exists) {
                throw new UsageException("--only: no section " + s + " in MQTT " + labels(versions)
                        + " (sections look like 3.3 or 3.3.1; see: mqtt-harness statements)");
            }
        }
        only = only.stream().map(s -> s.startsWith("§") ? s.substring(1) : s).toList();
    }

    private String password() {
        if (passwordEnv == null) {
            return null;
        }
        String pw = System.getenv(passwordEnv);
        if (pw == null) {
            throw new UsageException("--password-env: environment variable " + passwordEnv + " is not set");
        }
        return pw;
    }

    private int effectivePort() {
        return port != null ? port : tls ? 8883 : 1883;
    }

    /** What to run: the scenario package, or one class or method. */
    private record Selection(List<DiscoverySelector> selectors, List<Class<?>> classes, String method) {
    }

    private Selection selection() {
        List<Class<?>> all = Coverage.scenarioClasses();
        if (scenario == null) {
            return new Selection(List.of(DiscoverySelectors.selectPackage(SCENARIO_PACKAGE)), all, null);
        }
        String s = scenario.trim();
        if (s.startsWith(SCENARIO_PACKAGE + ".")) {
            s = s.substring(SCENARIO_PACKAGE.length() + 1);
        }
        int sep = s.indexOf('#') >= 0 ? s.indexOf('#') : s.indexOf('.');
        String cls = sep < 0 ? s : s.substring(0, sep);
        String method = sep < 0 ? null : s.substring(sep + 1);
        if (method != null && method.isEmpty()) {
            method = null;
        }
        String simple = cls.substring(cls.lastIndexOf('.') + 1);
        Class<?> k = null;
        for (Class<?> c : all) {
            if (c.getSimpleName().equals(simple)) {
                k = c;
            }
        }
        if (k == null) {
            List<String> names = all.stream().map(Class::getSimpleName).toList();
            throw new UsageException("--scenario: no scenario class " + simple + " (known: "
                    + (names.isEmpty() ? "none" : String.join(", ", names)) + ")");
        }
        if (method == null) {
            return new Selection(List.of(DiscoverySelectors.selectClass(k)), List.of(k), null);
        }
        for (Method m : k.getDeclaredMethods()) {
            if (m.getName().equals(method) && m.isAnnotationPresent(Scenario.class)) {
                return new Selection(List.of(DiscoverySelectors.selectMethod(k, m)), List.of(k), method);
            }
        }
        List<String> ms = new ArrayList<>();
        for (Method m : k.getDeclaredMethods()) {
            if (m.isAnnotationPresent(Scenario.class)) {
                ms.add(m.getName());
            }
        }
        throw new UsageException("--scenario: " + simple + " has no scenario " + method + " (it has: " + String.join(", ", ms) + ")");
    }

    private Map<String, String> configuration(Path dir, Set<MqttVersion> versions, List<String> names, Brokers known,
                                              String password) throws IOException {
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("mqtt.report.dir", dir.toAbsolutePath().toString());
        cfg.put("mqtt.versions", String.join(",", labels(versions)));
        cfg.put("mqtt.strict", Boolean.toString(strict));
        if (!only.isEmpty()) {
            cfg.put("mqtt.only", String.join(",", only));
        }
        if (timeout != null) {
            cfg.put("mqtt.timeout.ms", Long.toString(timeout));
        }
        if (known.file() != null) {
            cfg.put("mqtt.brokers", known.file().toString());
            System.setProperty(BrokersFile.FILE_PROPERTY, known.file().toString());
        }
        if (baseline != null && Files.isDirectory(baseline)) {
            cfg.put("mqtt.baseline.dir", baseline.toAbsolutePath().toString());
        }
        if (updateBaseline && (baseline == null || Files.isDirectory(baseline))) {
            cfg.put("mqtt.baseline.update", "true");
        }
        if (host != null && (tls || username != null)) {
            // TLS or credentials: an external target in a generated brokers file, read by the targets module
            String name = host.replaceAll("[^A-Za-z0-9._-]", "_") + "_" + effectivePort();
            Path f = dir.resolve("brokers.adhoc.yaml");
            Files.writeString(f, adHocYaml(name, password), StandardCharsets.UTF_8);
            cfg.put("mqtt.brokers", f.toAbsolutePath().toString());
            System.setProperty(BrokersFile.FILE_PROPERTY, f.toAbsolutePath().toString());
            cfg.put("mqtt.targets", name);
        } else if (host != null) {
            cfg.put("mqtt.host", host);
            cfg.put("mqtt.port", Integer.toString(effectivePort()));
        } else {
            cfg.put("mqtt.targets", String.join(",", names));
        }
        return cfg;
    }

    private String adHocYaml(String name, String password) {
        StringBuilder y = new StringBuilder("# written by mqtt-harness certify --host: the broker certified in this run\n");
        y.append("default: [").append(name).append("]\nbrokers:\n  ").append(name).append(":\n    launch: external\n");
        y.append("    host: ").append(quote(host)).append("\n    port: ").append(effectivePort()).append('\n');
        if (tls) {
            y.append("    tls: {");
            List<String> parts = new ArrayList<>();
            if (ca != null) {
                parts.add("ca: " + quote(ca.toAbsolutePath().toString()));
            }
            if (cert != null) {
                parts.add("cert: " + quote(cert.toAbsolutePath().toString()));
                parts.add("key: " + quote(key.toAbsolutePath().toString()));
            }
            y.append(String.join(", ", parts)).append("}\n");
        }
        if (username != null) {
            y.append("    username: ").append(quote(username)).append('\n');
        }
        if (password != null) {
            // a reference to the variable, never the secret itself
            y.append("    password: \"${").append(passwordEnv).append("}\"\n");
        }
        return y.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** TCP reachability of HOST:PORT, bounded by the timeout; a one-line problem, or null if it answers. */
    private String reach(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String h = hostPort.substring(0, colon);
        int p = Integer.parseInt(hostPort.substring(colon + 1));
        int bound = (int) Math.min(Integer.MAX_VALUE, timeout == null ? 5000 : timeout);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(h, p), bound);
            return null;
        } catch (IOException e) {
            return "cannot connect to " + hostPort + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()) + " — is the broker running? Nothing was judged.";
        }
    }

    private String commandLine() {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        StringBuilder sb = new StringBuilder("./mqtt-harness");
        if (args.isEmpty() || !args.get(0).equals("certify")) {
            sb.append(" certify");
        }
        for (String a : args) {
            sb.append(' ').append(shellQuote(a));
        }
        return sb.toString();
    }

    static String shellQuote(String a) {
        if (a.matches("[A-Za-z0-9_./:=,@%+-]+")) {
            return a;
        }
        return "'" + a.replace("'", "'\\''") + "'";
    }

    private static List<String> labels(Set<MqttVersion> versions) {
        List<String> l = new ArrayList<>();
        for (MqttVersion v : versions) {
            l.add(v.label());
        }
        return l;
    }

    static String tool() {
        return "mqtt-harness 0.1.0";
    }

    private void writeBaseline(RunReport r, Path file) {
        for (TargetReport t : r.targets()) {
            if (RunStats.down(t)) {
                err.println("mqtt-harness: baseline not written: " + t.name() + " was not tested");
                continue;
            }
            Map<StatementKey, Verdict> verdicts = new LinkedHashMap<>();
            Map<StatementKey, String> why = new LinkedHashMap<>();
            for (StatementResult s : t.statements()) {
                StatementKey k;
                try {
                    k = new StatementKey(MqttVersion.parse(s.version()), s.id());
                } catch (IllegalArgumentException e) {
                    continue;
                }
                verdicts.put(k, s.verdict());
                s.observations().stream().filter(o -> o.verdict() == s.verdict()).findFirst()
                        .ifPresent(o -> why.put(k, o.observed()));
            }
            try {
                Baseline.write(file, t.name(), verdicts, why);
                out.println("mqtt-harness: wrote baseline " + file);
            } catch (IOException e) {
                err.println("mqtt-harness: cannot write baseline " + file + ": " + e.getMessage());
            }
        }
    }

    // --- Ctrl-C ------------------------------------------------------------------------------------

    private void onInterrupt(Path dir, String command, long started, List<TargetReport> down, AsyncRenderer renderer,
                             Progress progress) {
        err.println();
        err.println("mqtt-harness: interrupted — writing a partial report to " + dir
                + " and stopping the brokers (Ctrl-C again to quit at once)");
        // whatever happens below, the process ends within 45 s of the Ctrl-C
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(45_000);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(MqttHarness.INTERRUPTED);
        }, "mqtt-harness-interrupt-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        // The suite's listener rewrites report.json as scenarios finish, and scenario threads go on
        // until the JVM exits: holding its lock from the partial write to the exit keeps the partial
        // report the last one written.
        synchronized (ResultsListener.class) {
            try {
                progress.close();
                renderer.stop();
                ResultsListener.clearRenderers();
                RunReport r = ResultsListener.write(true);
                if (r == null) {
                    r = new RunReport(RunReport.SCHEMA, Long.toString(started, 36), tool(), command, started, 0, strict,
                            true, List.of(), Map.of(), List.of(), null, List.of());
                }
                List<String> errors = new ArrayList<>(r.errors());
                errors.add(String.format(Locale.ROOT, "interrupted by the user (Ctrl-C) after %d scenario runs: the"
                        + " verdicts are partial, statements not reached are NOT_TESTED", progress.finished()));
                List<TargetReport> targets = new ArrayList<>(r.targets());
                targets.addAll(down);
                r = r.withTargets(targets).withErrors(errors).with(command, true, 0);
                r = Judge.withBaseline(r, baseline, strict);
                ReportFiles.writeAll(r, dir);
                err.println("mqtt-harness: partial report: " + dir.resolve(ReportFiles.HTML));
            } catch (Exception | LinkageError e) {
                err.println("mqtt-harness: could not write the partial report: " + e);
            }
            Thread stopper = new Thread(SuiteRun::reset, "mqtt-harness-stop-targets");
            stopper.setDaemon(true);
            stopper.start();
            try {
                stopper.join(10_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            out.flush();
            err.flush();
            System.exit(MqttHarness.INTERRUPTED);
        }
    }
}
