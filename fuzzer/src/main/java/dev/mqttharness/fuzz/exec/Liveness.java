package dev.mqttharness.fuzz.exec;

import dev.mqttharness.client.Endpoint;
import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.trace.Trace;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The liveness oracle, cheap enough to run after every case: a persistent connection per worker,
 * subscribed to its own topic, publishes a message to itself and must get it back (routing and
 * delivery work; QoS 0 keeps it at two packets). If that fails, a fresh client must manage to connect, subscribe, publish and
 * receive; if that fails too, the broker is down.
 */
public final class Liveness implements AutoCloseable {
    private final Endpoint endpoint;
    private final String clientId;
    private final String topic;
    private final Duration timeout;
    private ProbeClient probe;
    private long seq;
    private String lastFailure = "";

    public Liveness(Endpoint endpoint, String clientId, String topic, Duration timeout) {
        this.endpoint = endpoint;
        this.clientId = clientId;
        this.topic = topic;
        this.timeout = timeout;
    }

    /** True if the broker still connects, subscribes, publishes and delivers (bounded). */
    public boolean check() {
        if (probe == null || probe.isClosed()) {
            probe = open(clientId);
        }
        if (probe != null && roundTrip(probe)) {
            return true;
        }
        close();
        ProbeClient fresh = open(clientId + "f");
        try {
            return fresh != null && roundTrip(fresh);
        } finally {
            if (fresh != null) {
                fresh.disconnect();
            }
        }
    }

    public String lastFailure() {
        return lastFailure;
    }

    private ProbeClient open(String id) {
        try {
            ProbeClient p = ProbeClient.open(endpoint, MqttVersion.V3_1_1, "live", new Trace(64),
                    ProbeClient.Options.DEFAULT.withTimeout(timeout).withAutoAck(true));
            Optional<Connack> ack = p.connect(Connect.builder(MqttVersion.V3_1_1).clientId(id).build());
            if (ack.isEmpty() || ack.get().reasonCode() != 0) {
                lastFailure = "no successful CONNACK";
                p.close();
                return null;
            }
            p.subscribe(TopicSubscription.of(topic, QoS.AT_MOST_ONCE));
            return p;
        } catch (IOException | RuntimeException e) {
            lastFailure = "connect/subscribe failed: " + e.getMessage();
            return null;
        }
    }

    private boolean roundTrip(ProbeClient p) {
        String payload = "live-" + (++seq);
        try {
            p.publish(Publish.of(topic, payload, QoS.AT_MOST_ONCE, 0, false));
            Optional<Publish> back = p.awaitPublish(topic, timeout);
            while (back.isPresent() && !back.get().payload().toUtf8().equals(payload)) {
                back = p.awaitPublish(topic, timeout);
            }
            if (back.isEmpty()) {
                lastFailure = "the message published to itself did not come back within " + timeout.toMillis() + " ms";
                return false;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            lastFailure = "publish failed: " + e.getMessage();
            return false;
        }
    }

    @Override
    public void close() {
        if (probe != null) {
            probe.disconnect();
            probe = null;
        }
    }
}
