package dev.mqttharness.suite.framework;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The state of one suite run in this JVM: settings, the targets launched so far and the verdicts
 * gathered. Targets are launched on first use, once, and stopped when the run ends.
 */
public final class SuiteRun {
    private static SuiteRun current;

    private final SuiteSettings settings;
    private final TargetLauncher launcher;
    private final VerdictStore store;
    private final Map<String, Object> targets = new LinkedHashMap<>();
    private List<String> names;

    private SuiteRun(SuiteSettings settings) {
        this.settings = settings;
        this.launcher = loadLauncher();
        this.store = new VerdictStore(settings);
    }

    /** The run for this JVM, created from the JUnit configuration on first use. */
    public static synchronized SuiteRun get(ExtensionContext ctx) {
        if (current == null) {
            current = new SuiteRun(SuiteSettings.from(ctx::getConfigurationParameter));
            SuiteRun run = current;
            ctx.getRoot().getStore(TargetTemplateProvider.NS).put("suite-run", (AutoCloseable) run::stopTargets);
        }
        return current;
    }

    /** The run in progress or just finished, or null. */
    public static synchronized SuiteRun current() {
        return current;
    }

    /** Forgets the finished run so that the next launcher session starts afresh (CLI). */
    public static synchronized void reset() {
        if (current != null) {
            current.stopTargets();
        }
        current = null;
    }

    private static TargetLauncher loadLauncher() {
        for (TargetLauncher l : ServiceLoader.load(TargetLauncher.class)) {
            return l;
        }
        return new BuiltinTargets();
    }

    public SuiteSettings settings() {
        return settings;
    }

    public VerdictStore store() {
        return store;
    }

    /** Target names of this run: {@code mqtt.targets}, an ad-hoc host, or the default list. */
    public synchronized List<String> targetNames() {
        if (names == null) {
            if (!settings.targets().isEmpty()) {
                names = settings.targets();
            } else if (settings.adHocHost() != null) {
                names = List.of(settings.adHocHost() + ":" + settings.adHocPort());
            } else {
                try {
                    names = launcher.defaultTargets(settings);
                } catch (Exception e) {
                    names = List.of("reference");
                    store.runError("cannot read the default targets: " + e.getMessage());
                }
            }
        }
        return names;
    }

    /**
     * The running target, launching it on first use. A launch failure is remembered: every later
     * call throws the same {@link TargetUnavailable} at once, so a broken target costs one bound wait.
     */
    public TargetHandle target(String name) {
        Object t;
        synchronized (targets) {
            t = targets.get(name);
            if (t == null) {
                try {
                    TargetHandle h = launcher.launch(name, settings);
                    store.targetStarted(h);
                    t = h;
                } catch (TargetUnavailable e) {
                    store.targetError(name, e.getMessage());
                    t = e;
                } catch (Exception e) {
                    TargetUnavailable u = new TargetUnavailable(name + ": " + oneLine(e), false);
                    store.targetError(name, u.getMessage());
                    t = u;
                }
                targets.put(name, t);
            }
        }
        if (t instanceof TargetUnavailable) {
            throw (TargetUnavailable) t;
        }
        return (TargetHandle) t;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }

    void stopTargets() {
        List<Object> all;
        synchronized (targets) {
            all = new ArrayList<>(targets.values());
            targets.clear();
        }
        for (Object t : all) {
            if (t instanceof TargetHandle) {
                store.targetStopping((TargetHandle) t);
            }
            if (t instanceof AutoCloseable) {
                try {
                    ((AutoCloseable) t).close();
                } catch (Exception ignored) {
                    // stopping is best effort; the launcher's own shutdown hook is the backstop
                }
            }
        }
    }
}
