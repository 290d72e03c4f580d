package dev.mqttharness.cli;

import dev.mqttharness.spec.catalog.StatementKey;
import dev.mqttharness.spec.verdict.Verdict;
import dev.mqttharness.suite.framework.RunAssembler;
import dev.mqttharness.suite.framework.SuiteRun;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Shows a run as it goes. On a terminal: a progress bar with the current scenario and the
 * statement verdicts so far. Otherwise (no console, {@code CI} or {@code NO_COLOR} set, or
 * {@code TERM=dumb}): plain lines, one per finished scenario class and one per failed scenario.
 */
final class Progress implements TestExecutionListener {
    private final PrintStream out;
    private final boolean bar;
    private final long estimate;
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failedScenarios = new AtomicInteger();
    private volatile TestPlan plan;
    private ProgressBar progressBar;
    private long lastCount;
    private String counts = "";
    private int extraWidth = 60;

    Progress(PrintStream out, boolean bar, long estimate) {
        this.out = out;
        this.bar = bar;
        this.estimate = Math.max(1, estimate);
    }

    /** True when the console is an interactive terminal and nobody asked for plain output. */
    static boolean interactive() {
        return System.console() != null && System.getenv("CI") == null && System.getenv("NO_COLOR") == null
                && !"dumb".equals(System.getenv("TERM"));
    }

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
        this.plan = testPlan;
        if (bar) {
            ConsoleProgressBarConsumer consumer = new ConsoleProgressBarConsumer(out);
            // what is left of the line after "certify 42% │bar of 20│ 120/217 (0:00:09)" goes to counts and scenario
            extraWidth = Math.max(0, consumer.getMaxRenderedLength() - 52);
            progressBar = new ProgressBarBuilder()
                    .setTaskName("certify")
                    .setInitialMax(estimate)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setUpdateIntervalMillis(250)
                    .continuousUpdate()
                    .hideEta()
                    .setConsumer(consumer)
                    .build();
        } else {
            out.println("mqtt-harness: running about " + estimate + " scenario runs");
        }
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        if (bar && id.isTest()) {
            synchronized (this) {
                if (progressBar != null) {
                    progressBar.setExtraMessage(extra(id));
                }
            }
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (id.isTest()) {
            int n = done.incrementAndGet();
            boolean failed = result.getStatus() == TestExecutionResult.Status.FAILED;
            if (failed) {
                failedScenarios.incrementAndGet();
            }
            synchronized (this) {
                updateCounts();
                if (bar && progressBar != null) {
                    if (n > progressBar.getMax()) {
                        progressBar.maxHint(n + 1);
                    }
                    progressBar.stepTo(n);
                    progressBar.setExtraMessage(extra(id));
                } else if (failed) {
                    String why = result.getThrowable().map(Throwable::getMessage).map(Brokers::oneLine).orElse("");
                    out.println("  failed: " + describe(id) + (why.isEmpty() ? "" : " — " + shorten(why, 300)));
                }
            }
        } else if (!bar && id.getDisplayName().startsWith("[") && id.isContainer()) {
            synchronized (this) {
                updateCounts();
                out.println("mqtt-harness: " + id.getDisplayName() + " " + classOf(id) + " done (" + done.get()
                        + " scenario runs so far; statements: " + counts + ")");
            }
        }
    }

    /** "3 fail 0 err 120 ok · SubscribeScenarios.shared_subsc…", cut to the width left on the line. */
    private String extra(TestIdentifier id) {
        String line = counts + (counts.isEmpty() ? "" : " · ") + describe(id);
        return line.length() <= extraWidth ? line : line.substring(0, Math.max(0, extraWidth - 1)) + "…";
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
        close();
    }

    synchronized void close() {
        if (progressBar != null) {
            progressBar.stepTo(Math.max(done.get(), 0));
            progressBar.maxHint(Math.max(done.get(), 1));
            progressBar.stepTo(done.get());
            progressBar.close();
            progressBar = null;
        }
    }

    int finished() {
        return done.get();
    }

    /** Statement verdicts across targets so far: "12 PASS · 1 FAIL · 0 ERROR". */
    private void updateCounts() {
        long now = System.currentTimeMillis();
        if (now - lastCount < 200 && !counts.isEmpty()) {
            return;
        }
        lastCount = now;
        SuiteRun run = SuiteRun.current();
        if (run == null) {
            return;
        }
        int pass = 0;
        int fail = 0;
        int error = 0;
        for (String t : run.targetNames()) {
            Map<StatementKey, Verdict> v = RunAssembler.verdicts(run.store().judgements(t));
            for (Verdict x : v.values()) {
                switch (x) {
                    case PASS, INFO -> pass++;
                    case FAIL -> fail++;
                    case ERROR -> error++;
                    case NON_STRICT -> {
                        if (run.settings().strict()) {
                            fail++;
                        } else {
                            pass++;
                        }
                    }
                    default -> { }
                }
            }
        }
        counts = bar ? fail + " fail " + error + " err " + pass + " ok" : pass + " pass · " + fail + " fail · " + error + " error";
    }

    private String describe(TestIdentifier id) {
        String method = id.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                .map(m -> simple(m.getClassName()) + "." + m.getMethodName()).orElse(id.getDisplayName());
        String target = ancestorTarget(id).orElse("");
        return method + " [" + target + (target.isEmpty() ? "" : ", ") + id.getDisplayName() + "]";
    }

    private Optional<String> ancestorTarget(TestIdentifier id) {
        TestPlan p = plan;
        if (p == null) {
            return Optional.empty();
        }
        Optional<TestIdentifier> cur = p.getParent(id);
        while (cur.isPresent()) {
            String n = cur.get().getDisplayName();
            if (n.startsWith("[") && n.endsWith("]")) {
                return Optional.of(n.substring(1, n.length() - 1));
            }
            cur = p.getParent(cur.get());
        }
        return Optional.empty();
    }

    private String classOf(TestIdentifier id) {
        TestPlan p = plan;
        Optional<TestIdentifier> parent = p == null ? Optional.empty() : p.getParent(id);
        return parent.map(TestIdentifier::getDisplayName).orElse("");
    }

    private static String simple(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(dot + 1);
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** Scenario runs a selection will make: per target, @Scenario methods × the selected versions it speaks. */
    static long estimate(List<Class<?>> classes, String method, List<java.util.Set<dev.mqttharness.spec.MqttVersion>> targets,
                         List<String> only) {
        long n = 0;
        for (java.util.Set<dev.mqttharness.spec.MqttVersion> versions : targets) {
            n += estimate(classes, method, versions, only);
        }
        return n;
    }

    private static long estimate(List<Class<?>> classes, String method, java.util.Set<dev.mqttharness.spec.MqttVersion> versions,
                                 List<String> only) {
        long n = 0;
        for (Class<?> k : classes) {
            for (java.lang.reflect.Method m : k.getDeclaredMethods()) {
                dev.mqttharness.suite.framework.Scenario s = m.getAnnotation(dev.mqttharness.suite.framework.Scenario.class);
                if (s == null || (method != null && !m.getName().equals(method))) {
                    continue;
                }
                for (dev.mqttharness.spec.MqttVersion v : s.versions()) {
                    if (versions.contains(v.catalogVersion()) && selects(m, v, only)) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private static boolean selects(java.lang.reflect.Method m, dev.mqttharness.spec.MqttVersion v, List<String> only) {
        if (only.isEmpty()) {
            return true;
        }
        for (dev.mqttharness.spec.catalog.Verifies ver : m.getAnnotationsByType(dev.mqttharness.spec.catalog.Verifies.class)) {
            if (ver.version().catalogVersion() != v.catalogVersion()) {
                continue;
            }
            for (String id : ver.value()) {
                String sec = dev.mqttharness.spec.catalog.StatementIds.sectionOf(id);
                for (String o : only) {
                    if (sec.equals(o) || sec.startsWith(o + ".")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
