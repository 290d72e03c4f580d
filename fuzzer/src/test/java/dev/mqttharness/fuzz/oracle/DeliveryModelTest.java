package dev.mqttharness.fuzz.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.TopicName;
import dev.mqttharness.spec.trace.Trace;
import dev.mqttharness.spec.trace.TraceEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model oracle on hand-made facts and traces: what it forbids, what it requires, what it lets pass. */
class DeliveryModelTest {
    final Trace trace = new Trace();
    final DeliveryModel model = new DeliveryModel(MqttVersion.V3_1_1, "tok");

    long now() {
        return trace.add("test", TraceEvent.Kind.NOTE, null, null, "tick").atNanos();
    }

    void deliver(String conn, String topic, QoS qos, int n, boolean dup, boolean retain) {
        Publish p = new Publish(dup, qos, retain, TopicName.of(topic), qos == QoS.AT_MOST_ONCE ? 0 : 7, null,
                BinaryData.of(model.payloadToken(n) + "|"));
        trace.add(conn, TraceEvent.Kind.RECEIVED, BinaryData.EMPTY, p, "PUBLISH");
    }

    /** sub subscribes to a/# (granted 1), pub publishes to a/b at QoS 1 and gets PUBACK. */
    int setUp() {
        model.connected("sub", "S", false, true, 0, now());
        model.connected("pub", "P", false, true, 0, now());
        model.subscribeSent("sub", 1, "a/#", 1, false, 0, now());
        model.subackReceived("sub", 1, List.of(1), now());
        int n = model.publishSent("pub", "P", "a/b", QoS.AT_LEAST_ONCE, false, 12, 30, false, false, now());
        model.publishAcked(n, 0, now());
        return n;
    }

    List<String> judge() {
        List<DeliveryModel.Required> req = model.required(trace);
        return model.judge(trace, req, 1).stream().map(f -> f.statementLabel() + " " + f.kind()).toList();
    }

    @Test
    void a_matching_delivery_at_the_granted_qos_passes() {
        int n = setUp();
        deliver("sub", "a/b", QoS.AT_LEAST_ONCE, n, false, false);
        assertThat(judge()).isEmpty();
    }

    @Test
    void a_missing_qos1_delivery_to_a_connected_subscriber_is_a_finding() {
        setUp();
        assertThat(judge()).containsExactly("3.1.1 MQTT-4.5.0-1 QoS 1/2 message not delivered to a connected matching subscriber");
    }

    @Test
    void a_subscriber_that_withholds_acknowledgements_is_not_owed_anything() {
        model.connected("sub", "S", false, false, 0, now());
        model.subscribeSent("sub", 1, "a/#", 1, false, 0, now());
        model.subackReceived("sub", 1, List.of(1), now());
        int n = model.publishSent("sub", "S", "a/b", QoS.AT_LEAST_ONCE, false, 12, 30, false, false, now());
        model.publishAcked(n, 0, now());
        assertThat(judge()).isEmpty();
    }

    @Test
    void a_delivery_above_the_granted_qos_is_a_finding() {
        int n = setUp();
        deliver("sub", "a/b", QoS.EXACTLY_ONCE, n, false, false);
        assertThat(judge()).contains("3.1.1 MQTT-3.8.4-6 delivered at a QoS above the granted QoS",
                "3.1.1 MQTT-3.8.4-6 delivered at a QoS above the published QoS");
    }

    @Test
    void a_delivery_without_a_matching_subscription_is_a_finding() {
        int n = setUp();
        deliver("sub", "a/b", QoS.AT_LEAST_ONCE, n, false, false);
        deliver("pub", "a/b", QoS.AT_MOST_ONCE, n, false, false);
        assertThat(judge()).containsExactly("3.1.1 MQTT-3.3.2-3 delivery without a matching subscription");
    }

    @Test
    void a_qos2_message_delivered_twice_as_new_is_a_finding_but_a_dup_resend_is_not() {
        model.connected("sub", "S", false, true, 0, now());
        model.subscribeSent("sub", 1, "a/b", 2, false, 0, now());
        model.subackReceived("sub", 1, List.of(2), now());
        int n = model.publishSent("sub", "S", "a/b", QoS.EXACTLY_ONCE, false, 12, 30, true, false, now());
        model.publishAcked(n, 0, now());
        deliver("sub", "a/b", QoS.EXACTLY_ONCE, n, false, false);
        deliver("sub", "a/b", QoS.EXACTLY_ONCE, n, true, false);
        assertThat(judge()).isEmpty();
        deliver("sub", "a/b", QoS.EXACTLY_ONCE, n, false, false);
        assertThat(judge()).containsExactly("3.1.1 MQTT-4.3.3-2 QoS 2 message delivered twice after the publisher's DUP resend");
    }

    @Test
    void messages_of_one_publisher_out_of_order_are_a_finding() {
        int first = setUp();
        int second = model.publishSent("pub", "P", "a/b", QoS.AT_LEAST_ONCE, false, 12, 30, false, false, now());
        model.publishAcked(second, 0, now());
        deliver("sub", "a/b", QoS.AT_LEAST_ONCE, second, false, false);
        deliver("sub", "a/b", QoS.AT_LEAST_ONCE, first, false, false);
        assertThat(judge()).containsExactly("3.1.1 MQTT-4.6.0-6 messages of one publisher on one topic delivered out of order");
    }

    @Test
    void a_will_of_a_dropped_client_is_owed_to_a_connected_subscriber() {
        model.connected("sub", "S", false, true, 0, now());
        model.subscribeSent("sub", 1, "w", 1, false, 0, now());
        model.subackReceived("sub", 1, List.of(1), now());
        model.connected("w", "W", false, true, 0, now());
        int will = model.willArmed("w", "W", "w", QoS.AT_LEAST_ONCE, false, 5, 0);
        model.willTriggered(will, now());
        model.endedByUs("w", now());
        assertThat(judge()).containsExactly("3.1.1 MQTT-3.1.2-8 will message not published after the connection was dropped");
        deliver("sub", "w", QoS.AT_LEAST_ONCE, will, false, false);
        assertThat(judge()).isEmpty();
    }

    @Test
    void a_retained_message_is_owed_to_a_new_subscription() {
        model.connected("pub", "P", false, true, 0, now());
        int n = model.publishSent("pub", "P", "r", QoS.AT_LEAST_ONCE, true, 5, 20, false, false, now());
        model.publishAcked(n, 0, now());
        model.connected("sub", "S", false, true, 0, now());
        model.subscribeSent("sub", 1, "r", 1, false, 0, now());
        model.subackReceived("sub", 1, List.of(1), now());
        assertThat(judge()).containsExactly("3.1.1 MQTT-3.3.1-6 retained message not sent for a new subscription");
        deliver("sub", "r", QoS.AT_LEAST_ONCE, n, false, true);
        assertThat(judge()).isEmpty();
    }

    @Test
    void a_message_published_after_unsuback_must_not_arrive() {
        setUp();
        long sent = now();
        model.unsubscribeSent("sub", List.of("a/#"), sent);
        model.unsubackReceived("sub", List.of("a/#"), sent, now());
        int late = model.publishSent("pub", "P", "a/b", QoS.AT_MOST_ONCE, false, 12, 30, false, false, now());
        deliver("sub", "a/b", QoS.AT_MOST_ONCE, late, false, false);
        assertThat(judge()).contains("3.1.1 MQTT-3.10.4-2 message published after UNSUBACK delivered on the removed subscription");
    }

    @Test
    void a_session_discarded_by_clean_start_must_not_deliver() {
        model.connected("old", "S", false, true, 0, now());
        model.subscribeSent("old", 1, "x", 1, false, 0, now());
        model.subackReceived("old", 1, List.of(1), now());
        model.endedByUs("old", now());
        model.connected("new", "S", false, true, 0, now()); // Session Present 0: a new session
        int n = model.publishSent("p", "P", "x", QoS.AT_MOST_ONCE, false, 12, 30, false, false, now());
        deliver("new", "x", QoS.AT_MOST_ONCE, n, false, false);
        assertThat(judge()).containsExactly("3.1.1 MQTT-3.1.2-6 delivery on a subscription of a discarded session");
    }
}
