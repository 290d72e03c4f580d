package dev.mqttharness.targets;

import dev.mqttharness.client.Endpoint;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A target that was started (or reached) and passed the readiness probe. Close it to stop whatever
 * was started; targets still open when the JVM exits are closed by a shutdown hook.
 *
 * <p>Crash detection: a process exit or container stop is noticed as it happens and reported to
 * {@link #onCrash} listeners; {@link #isAlive()} also probes the port, so a broker that refuses
 * connections counts as crashed. After a crash, {@link #restart()} starts it again.
 */
public interface RunningTarget extends AutoCloseable {

    TargetSpec spec();

    /**
     * Where to connect. It may change after {@link #restart()} if the old port was taken.
     *
     * @throws IllegalStateException once closed
     */
    Endpoint endpoint();

    /**
     * True if the broker's process or container runs and its port accepts a TCP connection. A false
     * answer records a crash (if none was recorded) and tells the listeners.
     */
    boolean isAlive();

    /** The crash noticed since the last start, if any. */
    Optional<CrashEvent> crash();

    /**
     * Calls {@code listener} on each crash (on a background thread), until the returned handle is
     * closed.
     */
    AutoCloseable onCrash(Consumer<CrashEvent> listener);

    /** The broker's last {@code n} log lines (process output, container log), oldest first. */
    List<String> recentLogs(int n);

    /** How long the last start took, from launch to a CONNACK from the readiness probe. */
    Duration startupTime();

    /** Stops what is left of the broker and starts it again; blocks until it is ready. */
    void restart();

    /** Stops the broker (kills its process tree, removes its container); never throws. */
    @Override
    void close();
}
