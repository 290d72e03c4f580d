package dev.mqttharness.broker.core;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.broker.BrokerConfig;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.TopicSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Retained messages (§3.3.1.3) and the subscription options that govern them (§3.8.3.1). */
class RetainTest {

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void retained_message_is_sent_to_a_new_subscription_with_retain_1(MqttVersion v) {
        CoreHarness h = new CoreHarness();
        h.connected(v, "pub").publish("r/a", "kept", QoS.AT_LEAST_ONCE, true);
        CoreHarness.Conn sub = h.connected(v, "sub");
        sub.subscribe("r/#", QoS.AT_LEAST_ONCE);
        Publish p = sub.expect(Publish.class);
        assertThat(p.retain()).isTrue();
        assertThat(p.payload().toUtf8()).isEqualTo("kept");
        assertThat(h.enforced(v, "MQTT-3.3.1-5")).isTrue();
        assertThat(h.enforced(v, v.isV5() ? "MQTT-3.3.1-9" : "MQTT-3.3.1-6")).isTrue();
    }

    @Test
    void retained_message_is_replaced_by_the_next_retained_publish() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn pub = h.connected(V3_1_1, "pub");
        pub.publish("r", "one", QoS.AT_MOST_ONCE, true);
        pub.publish("r", "two", QoS.AT_MOST_ONCE, true);
        CoreHarness.Conn sub = h.connected(V3_1_1, "sub");
        sub.subscribe("r", QoS.AT_MOST_ONCE);
        assertThat(sub.publishes()).extracting(p -> p.payload().toUtf8()).containsExactly("two");
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void retained_publish_with_empty_payload_clears_and_is_not_stored(MqttVersion v) {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn pub = h.connected(v, "pub");
        CoreHarness.Conn live = h.connected(v, "live");
        live.subscribe("r", QoS.AT_MOST_ONCE);
        pub.publish("r", "one", QoS.AT_MOST_ONCE, true);
        pub.publish("r", "", QoS.AT_MOST_ONCE, true);
        // the clearing message itself is forwarded to existing subscribers
        assertThat(live.publishes()).extracting(p -> p.payload().toUtf8()).containsExactly("one", "");
        CoreHarness.Conn sub = h.connected(v, "sub");
        sub.subscribe("r", QoS.AT_MOST_ONCE);
        assertThat(sub.publishes()).isEmpty();
        assertThat(h.enforced(v, v.isV5() ? "MQTT-3.3.1-6" : "MQTT-3.3.1-10")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void publish_with_retain_0_leaves_the_retained_message_alone(MqttVersion v) {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn pub = h.connected(v, "pub");
        pub.publish("r", "kept", QoS.AT_MOST_ONCE, true);
        pub.publish("r", "live", QoS.AT_MOST_ONCE, false);
        CoreHarness.Conn sub = h.connected(v, "sub");
        sub.subscribe("r", QoS.AT_MOST_ONCE);
        assertThat(sub.publishes()).extracting(p -> p.payload().toUtf8()).containsExactly("kept");
        assertThat(h.enforced(v, v.isV5() ? "MQTT-3.3.1-8" : "MQTT-3.3.1-12")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void retained_publish_forwarded_to_an_established_subscription_has_retain_0(MqttVersion v) {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn sub = h.connected(v, "sub");
        sub.subscribe("r", QoS.AT_MOST_ONCE);
        h.connected(v, "pub").publish("r", "x", QoS.AT_MOST_ONCE, true);
        assertThat(sub.expect(Publish.class).retain()).isFalse();
        assertThat(h.enforced(v, v.isV5() ? "MQTT-3.3.1-12" : "MQTT-3.3.1-9")).isTrue();
    }

    @Test
    void retain_as_published_keeps_retain_1_on_forwarding() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn sub = h.connected(V5, "sub");
        sub.subscribe(TopicSubscription.of("r", QoS.AT_MOST_ONCE).withRetainAsPublished(true));
        h.connected(V5, "pub").publish("r", "x", QoS.AT_MOST_ONCE, true);
        assertThat(sub.expect(Publish.class).retain()).isTrue();
    }

    @Test
    void retain_handling_0_sends_retained_messages_on_every_subscribe() {
        CoreHarness h = new CoreHarness();
        h.connected(V5, "pub").publish("r", "x", QoS.AT_MOST_ONCE, true);
        CoreHarness.Conn sub = h.connected(V5, "sub");
        sub.subscribe(TopicSubscription.of("r", QoS.AT_MOST_ONCE).withRetainHandling(0));
        sub.subscribe(TopicSubscription.of("r", QoS.AT_MOST_ONCE).withRetainHandling(0));
        assertThat(sub.publishes()).hasSize(2);
        assertThat(h.enforced(V5, "MQTT-3.3.1-9")).isTrue();
    }

    @Test
    void retain_handling_1_sends_retained_messages_only_for_a_new_subscription() {
        CoreHarness h = new CoreHarness();
        h.connected(V5, "pub").publish("r", "x", QoS.AT_MOST_ONCE, true);
        CoreHarness.Conn sub = h.connected(V5, "sub");
        sub.subscribe(TopicSubscription.of("r", QoS.AT_MOST_ONCE).withRetainHandling(1));
        assertThat(sub.publishes()).hasSize(1);
        sub.subscribe(TopicSubscription.of("r", QoS.AT_MOST_ONCE).withRetainHandling(1));
        assertThat(sub.publishes()).isEmpty();
        assertThat(h.enforced(V5, "MQTT-3.3.1-10")).isTrue();
    }

    @Test
    void retain_handling_2_never_sends_retained_messages() {
        CoreHarness h = new CoreHarness();
        h.connected(V5, "pub").publish("r", "x", QoS.AT_MOST_ONCE, true);
        CoreHarness.Conn sub = h.connected(V5, "sub");
        sub.subscribe(TopicSubscription.of("r", QoS.AT_MOST_ONCE).withRetainHandling(2));
        assertThat(sub.publishes()).isEmpty();
        assertThat(h.enforced(V5, "MQTT-3.3.1-11")).isTrue();
    }

    @Test
    void resubscribe_v311_sends_retained_messages_again() {
        CoreHarness h = new CoreHarness();
        h.connected(V3_1_1, "pub").publish("r", "x", QoS.AT_MOST_ONCE, true);
        CoreHarness.Conn sub = h.connected(V3_1_1, "sub");
        sub.subscribe("r", QoS.AT_MOST_ONCE);
        sub.subscribe("r", QoS.AT_MOST_ONCE);
        assertThat(sub.publishes()).hasSize(2);
    }

    @Test
    void wildcard_subscription_receives_every_matching_retained_message_at_the_lower_qos() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn pub = h.connected(V3_1_1, "pub");
        pub.publish("w/a", "a", QoS.EXACTLY_ONCE, true);
        pub.publish("w/b", "b", QoS.AT_MOST_ONCE, true);
        pub.publish("other", "o", QoS.AT_MOST_ONCE, true);
        CoreHarness.Conn sub = h.connected(V3_1_1, "sub");
        sub.subscribe("w/+", QoS.AT_LEAST_ONCE);
        assertThat(sub.publishes()).extracting(p -> p.payload().toUtf8() + p.qos().value()).containsExactlyInAnyOrder("a1", "b0");
    }

    @Test
    void retained_messages_follow_the_suback() {
        CoreHarness h = new CoreHarness();
        h.connected(V5, "pub").publish("r", "x", QoS.AT_MOST_ONCE, true);
        CoreHarness.Conn sub = h.connected(V5, "sub");
        sub.send(dev.mqttharness.spec.packet.Subscribe.of(9, "r", QoS.AT_MOST_ONCE));
        assertThat(sub.take()).extracting(p -> p.type().name()).containsExactly("SUBACK", "PUBLISH");
    }

    @Test
    void retain_unavailable_is_announced_and_a_retained_publish_is_disconnected_0x9a() {
        BrokerConfig.Limits d = BrokerConfig.Limits.DEFAULTS;
        CoreHarness h = new CoreHarness(BrokerConfig.builder().limits(new BrokerConfig.Limits(d.maximumPacketSize(),
                d.receiveMaximum(), d.topicAliasMaximum(), 2, false, true, true, true, null, d.maximumSessionExpiry(), 100)).build());
        CoreHarness.Conn c = h.open(V5, "c");
        Connack ack = c.connect(Connect.builder(V5).clientId("c").build());
        assertThat(ack.properties().number(PropertyId.RETAIN_AVAILABLE, -1)).isZero();
        c.send(Publish.of("r", "x", QoS.AT_MOST_ONCE, 0, true));
        assertThat(c.expect(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.RETAIN_NOT_SUPPORTED.value());
        assertThat(h.enforced(V5, "MQTT-3.2.2-14")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "+/x"})
    void dollar_topic_retained_messages_do_not_match_leading_wildcards(String filter) {
        CoreHarness h = new CoreHarness();
        h.connected(V5, "pub").publish("$SYS/x", "sys", QoS.AT_MOST_ONCE, true);
        CoreHarness.Conn sub = h.connected(V5, "sub");
        sub.subscribe(filter, QoS.AT_MOST_ONCE);
        assertThat(sub.publishes()).isEmpty();
        sub.subscribe("$SYS/#", QoS.AT_MOST_ONCE);
        assertThat(sub.publishes()).hasSize(1);
    }
}
