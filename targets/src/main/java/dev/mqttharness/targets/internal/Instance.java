package dev.mqttharness.targets.internal;

import dev.mqttharness.client.Endpoint;
import java.util.concurrent.CompletableFuture;

/** One start of a broker: a process, a container, an embedded broker, or a connection target. */
public interface Instance {

    Endpoint endpoint();

    /**
     * Completes, with a description such as "process exited with code 1", when the broker stops —
     * by itself or through {@link #stop()}. Never completes for brokers the harness does not run.
     */
    CompletableFuture<String> exited();

    /** True while the process / container runs (no network check). */
    boolean running();

    /** What it is, for messages: "pid 1234", "container 3f2a…". */
    String describe();

    /** Stops it and everything it started, bounded in time; idempotent; never throws. */
    void stop();

    /** True for brokers the harness only connects to: readiness fails fast instead of retrying. */
    default boolean external() {
        return false;
    }

    /**
     * True if the broker is listening once started, so the MQTT readiness probe is skipped: an
     * embedded reference broker switched to deliberate mistakes (faults) may answer the probe wrongly
     * on purpose, and is in this JVM, bound, when its start returns.
     */
    default boolean readyWhenStarted() {
        return false;
    }
}
