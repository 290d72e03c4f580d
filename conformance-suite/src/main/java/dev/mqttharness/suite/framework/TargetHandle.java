package dev.mqttharness.suite.framework;

import dev.mqttharness.client.Endpoint;
import dev.mqttharness.spec.MqttVersion;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** A broker under test, launched (or reached) and ready, as the suite sees it. */
public interface TargetHandle {
    String name();

    /** Launch kind: embedded, jvm, process, container, external. */
    String kind();

    Endpoint endpoint();

    /** Versions the target is to be tested in. */
    Set<MqttVersion> versions();

    /** Capabilities the target declares it lacks (brokers.yaml {@code lacks}), e.g. "shared-subscriptions". */
    Set<String> lacks();

    /** False once the broker crashed (process exit, container stop, refused connections). */
    boolean alive();

    /** Like {@link #alive()}, but also tries the broker's port now: a broker that refuses connections has crashed. */
    default boolean probeAlive() {
        return alive();
    }

    /** One line saying how it died, or null. */
    String crashDescription();

    /** Restarts a crashed broker so that later scenarios can run; no-op when alive. */
    void restart() throws Exception;

    List<String> logTail(int lines);

    /** Time from launch to ready, or -1 if unknown. */
    long readyMillis();

    /** A topic brokers.yaml says the broker refuses publications to for the harness's client, or null. */
    default String deniedTopic() {
        return null;
    }

    /** The baseline file of expected verdicts, or null. */
    Path baseline();
}
