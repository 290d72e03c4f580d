package dev.mqttharness.targets.internal;

import dev.mqttharness.client.Endpoint;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.targets.CrashEvent;
import dev.mqttharness.targets.RunningTarget;
import dev.mqttharness.targets.TargetException;
import dev.mqttharness.targets.TargetSpec;
import dev.mqttharness.targets.TargetStartException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The one {@link RunningTarget} implementation: starts an {@link Instance} through a
 * {@link Starter}, waits for readiness with the same probe for every kind, watches for crashes,
 * restarts and stops. Launch kinds differ only in their starter.
 */
public final class ManagedTarget implements RunningTarget {
    /** Log lines quoted in errors and crash events. */
    public static final int QUOTED_LOG_LINES = 30;

    private final TargetSpec spec;
    private final Starter starter;
    private final Function<String, String> env;
    private final LogBuffer logs = new LogBuffer();
    private final List<Consumer<CrashEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Path dir;

    private volatile Instance current;
    private volatile CrashEvent crash;
    private volatile boolean closed;
    private volatile Duration startupTime = Duration.ZERO;
    private int port;
    private int wsPort;

    private ManagedTarget(TargetSpec spec, Starter starter, Function<String, String> env) throws IOException {
        this.spec = spec;
        this.starter = starter;
        this.env = env;
        this.dir = Files.createTempDirectory("mqtt-harness-" + spec.name() + "-");
    }

    /** Starts the target and waits until it is ready; on failure nothing is left running. */
    public static ManagedTarget launch(TargetSpec spec, Starter starter, Function<String, String> env) {
        ManagedTarget t;
        try {
            t = new ManagedTarget(spec, starter, env);
        } catch (IOException e) {
            throw new TargetStartException("target '" + spec.name() + "': cannot create a work folder: " + e, List.of(), e);
        }
        Teardown.register(t);
        try {
            t.prepare();
            t.startInstance();
            return t;
        } catch (RuntimeException | Error e) {
            t.close();
            throw e;
        }
    }

    private void prepare() {
        try {
            starter.prepare(spec, logs);
        } catch (TargetException e) {
            throw e;
        } catch (Exception e) {
            throw new TargetStartException("target '" + spec.name() + "' (" + spec.launch().kind() + ") cannot be prepared: "
                    + e.getMessage(), logs.last(QUOTED_LOG_LINES), e);
        }
    }

    /**
     * Starts the broker; when the free port chosen for it was taken by someone else in between
     * (another process may bind it before the broker does), tries again with new ports.
     */
    private synchronized void startInstance() {
        for (int attempt = 1; ; attempt++) {
            try {
                startInstanceOnce();
                return;
            } catch (TargetStartException e) {
                if (attempt >= 3 || !portTaken(e)) {
                    throw e;
                }
                logs.append("mqtt-harness: port " + port + " was taken before the broker bound it; retrying with another");
                port = 0;
                wsPort = 0;
            }
        }
    }

    private static boolean portTaken(TargetStartException e) {
        String text = String.valueOf(e.getMessage()) + " " + String.join("\n", e.lastLogs());
        return text.contains("Address already in use") || text.contains("address already in use")
                || text.contains("Address in use");
    }

    private void startInstanceOnce() {
        long t0 = System.nanoTime();
        Instant deadline = Instant.now().plus(spec.readyTimeout());
        port = Ports.reuseOrFree(port);
        wsPort = spec.webSocket() == null ? 0 : Ports.reuseOrFree(wsPort);
        StartContext ctx = new StartContext(spec, port, wsPort, dir, logs, env, deadline);
        Instance inst;
        try {
            inst = starter.start(ctx);
        } catch (TargetException e) {
            throw e;
        } catch (Exception e) {
            throw new TargetStartException("target '" + spec.name() + "' (" + spec.launch().kind() + ") failed to start: "
                    + e.getMessage(), logs.last(QUOTED_LOG_LINES), e);
        }
        current = inst;
        try {
            if (!inst.readyWhenStarted()) {
                awaitReady(inst, deadline);
            }
        } catch (RuntimeException e) {
            current = null;
            inst.stop();
            throw e;
        }
        startupTime = Duration.ofNanos(System.nanoTime() - t0);
        crash = null;
        inst.exited().thenAccept(reason -> {
            if (!closed && current == inst) {
                reportCrash(reason);
            }
        });
    }

    private void awaitReady(Instance inst, Instant deadline) {
        MqttVersion version = spec.versions().get(0);
        Endpoint ep = inst.endpoint();
        ReadinessProbe.Result last = null;
        long interval = TimeUnit.MILLISECONDS.toNanos(20);
        while (true) {
            if (inst.exited().isDone()) {
                throw new TargetStartException("target '" + spec.name() + "' stopped before it was ready: "
                        + inst.exited().getNow("stopped") + lastProbe(last), logs.last(QUOTED_LOG_LINES));
            }
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw new TargetStartException("target '" + spec.name() + "' (" + inst.describe() + ") was not ready within "
                        + seconds(spec.readyTimeout()) + " at " + ep + lastProbe(last), logs.last(QUOTED_LOG_LINES));
            }
            Duration attempt = min(left, inst.external() ? Duration.ofSeconds(5) : Duration.ofSeconds(2));
            last = ReadinessProbe.probe(ep, version, attempt, attempt);
            if (last instanceof ReadinessProbe.Ready) {
                return;
            }
            if (inst.external() || !last.retryable()) {
                throw new TargetStartException("target '" + spec.name() + "' at " + ep + " is not usable: "
                        + last.describe(), logs.last(QUOTED_LOG_LINES));
            }
            // wait before the next attempt, but wake at once if the broker exits
            Poll.pause(inst.exited(), Math.min(interval, Math.max(0, Duration.between(Instant.now(), deadline).toNanos())));
            interval = Math.min(interval * 2, TimeUnit.MILLISECONDS.toNanos(250));
        }
    }

    private static String lastProbe(ReadinessProbe.Result r) {
        return r == null ? "" : "; last probe: " + r.describe();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    private void reportCrash(String reason) {
        CrashEvent e;
        synchronized (this) {
            if (crash != null) {
                return;
            }
            e = new CrashEvent(spec.name(), Instant.now(), reason, logs.last(QUOTED_LOG_LINES));
            crash = e;
        }
        for (Consumer<CrashEvent> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                System.err.println("mqtt-harness: crash listener failed: " + ex);
            }
        }
    }

    @Override
    public TargetSpec spec() {
        return spec;
    }

    @Override
    public Endpoint endpoint() {
        Instance i = current;
        if (i == null) {
            throw new IllegalStateException("target '" + spec.name() + "' is " + (closed ? "closed" : "not running"));
        }
        return i.endpoint();
    }

    @Override
    public boolean isAlive() {
        Instance i = current;
        if (closed || i == null) {
            return false;
        }
        if (i.exited().isDone() || !i.running()) {
            reportCrash(i.exited().getNow(i.describe() + " is not running"));
            return false;
        }
        Endpoint ep = i.endpoint();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ep.host(), ep.port()), 2_000);
            return true;
        } catch (IOException e) {
            if (closed || current != i) {
                return false;
            }
            reportCrash("port " + ep.host() + ":" + ep.port() + " refuses connections (" + e.getMessage() + ")");
            return false;
        }
    }

    @Override
    public Optional<CrashEvent> crash() {
        return Optional.ofNullable(crash);
    }

    @Override
    public AutoCloseable onCrash(Consumer<CrashEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public List<String> recentLogs(int n) {
        return logs.last(n);
    }

    @Override
    public Duration startupTime() {
        return startupTime;
    }

    @Override
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("target '" + spec.name() + "' is closed");
        }
        Instance old = current;
        current = null;
        if (old != null) {
            old.stop();
        }
        logs.append("---- mqtt-harness: restarting " + spec.name() + " ----");
        startInstance();
    }

    @Override
    public void close() {
        Instance i;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            i = current;
            current = null;
        }
        try {
            if (i != null) {
                i.stop();
            }
        } finally {
            Teardown.unregister(this);
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a file a container wrote as another user; the temp folder is cleaned by the OS later
                }
            });
        } catch (IOException e) {
            // as above
        }
    }

    @Override
    public String toString() {
        Instance i = current;
        return "target " + spec.name() + (i == null ? "" : " (" + i.describe() + ")");
    }
}
