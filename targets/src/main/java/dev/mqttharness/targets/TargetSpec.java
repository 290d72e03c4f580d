package dev.mqttharness.targets;

import dev.mqttharness.spec.MqttVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One broker of brokers.yaml, validated.
 *
 * @param name         the key under {@code brokers:}
 * @param launch       how it is started or reached
 * @param versions     the MQTT versions to test it with, in the order given (the first one is used for
 *                     the readiness probe)
 * @param lacks        features it deliberately lacks
 * @param credentials  what to present in CONNECT, or null for none
 * @param tls          how to connect over TLS, or null for plain TCP
 * @param webSocket    its WebSocket listener, or null if it offers none
 * @param baseline     file of expected verdicts, or null
 * @param readyTimeout how long a start may take, readiness included
 * @param description  free text, or null
 * @param origin       where it is defined, {@code file:line}, for messages
 * @param deniedTopic  a topic the broker refuses publications to for the harness's client, or null: the
 *                     scenarios of unauthorized publishing (3.1.1 MQTT-3.3.5-2) publish there
 */
public record TargetSpec(
        String name,
        Launch launch,
        List<MqttVersion> versions,
        Set<Capability> lacks,
        Credentials credentials,
        TlsSettings tls,
        WebSocketSettings webSocket,
        Path baseline,
        Duration readyTimeout,
        String description,
        String origin,
        String deniedTopic) {

    public TargetSpec {
        versions = List.copyOf(versions);
        lacks = Set.copyOf(lacks);
    }

    /** A target without a denied topic (the form before {@code denied-topic} existed). */
    public TargetSpec(String name, Launch launch, List<MqttVersion> versions, Set<Capability> lacks, Credentials credentials,
                      TlsSettings tls, WebSocketSettings webSocket, Path baseline, Duration readyTimeout, String description,
                      String origin) {
        this(name, launch, versions, lacks, credentials, tls, webSocket, baseline, readyTimeout, description, origin, null);
    }

    /** False if brokers.yaml says the target lacks the feature. */
    public boolean offers(Capability c) {
        return !lacks.contains(c);
    }

    public boolean tests(MqttVersion v) {
        return versions.contains(v);
    }

    /** A copy with another launch; for tests and tools that adjust a target. */
    public TargetSpec withLaunch(Launch l) {
        return new TargetSpec(name, l, versions, lacks, credentials, tls, webSocket, baseline, readyTimeout, description, origin,
                deniedTopic);
    }

    /** A copy with another readiness bound. */
    public TargetSpec withReadyTimeout(Duration d) {
        return new TargetSpec(name, launch, versions, lacks, credentials, tls, webSocket, baseline, d, description, origin,
                deniedTopic);
    }

    @Override
    public String toString() {
        return name + " (" + launch.kind() + ")";
    }
}
