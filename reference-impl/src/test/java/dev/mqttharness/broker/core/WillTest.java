package dev.mqttharness.broker.core;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.Will;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Will messages (§3.1.2.5 - 3.1.2.7, §3.1.3.2 - 3.1.3.4), will delay (5.0), and their end with the session. */
class WillTest {
    private CoreHarness h;
    private CoreHarness.Conn watcher;

    @BeforeEach
    void watch() {
        h = new CoreHarness();
        watcher = h.connected(V5, "watcher");
        watcher.subscribe("will/#", QoS.AT_LEAST_ONCE);
    }

    private static Connect withWill(MqttVersion v, String id, Will w) {
        return Connect.builder(v).clientId(id).will(w).build();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void will_is_published_when_the_connection_is_lost(MqttVersion v) {
        CoreHarness.Conn c = h.connected(v, withWill(v, "w", Will.of("will/w", "gone", QoS.AT_LEAST_ONCE, false)));
        c.lose();
        Publish p = watcher.expect(Publish.class);
        assertThat(p.topic().toString()).isEqualTo("will/w");
        assertThat(p.payload().toUtf8()).isEqualTo("gone");
        assertThat(p.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
        assertThat(h.enforced(v, "MQTT-3.1.2-8")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void will_is_published_when_the_broker_closes_for_a_protocol_error(MqttVersion v) {
        CoreHarness.Conn c = h.connected(v, withWill(v, "w", Will.of("will/w", "gone", QoS.AT_MOST_ONCE, false)));
        c.send(Connect.builder(v).clientId("w").build()); // a second CONNECT
        assertThat(c.isClosed()).isTrue();
        assertThat(watcher.publishes()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void will_is_discarded_on_a_normal_disconnect(MqttVersion v) {
        CoreHarness.Conn c = h.connected(v, withWill(v, "w", Will.of("will/w", "gone", QoS.AT_MOST_ONCE, false)));
        c.disconnect();
        assertThat(watcher.publishes()).isEmpty();
        assertThat(h.enforced(v, "MQTT-3.14.4-3")).isTrue();
    }

    @Test
    void disconnect_with_will_message_0x04_publishes_the_will() {
        CoreHarness.Conn c = h.connected(V5, withWill(V5, "w", Will.of("will/w", "asked", QoS.AT_MOST_ONCE, false)));
        c.disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE.value(), Properties.EMPTY);
        assertThat(watcher.publishes()).extracting(p -> p.payload().toUtf8()).containsExactly("asked");
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void will_with_will_retain_1_is_stored_as_retained(MqttVersion v) {
        CoreHarness.Conn c = h.connected(v, withWill(v, "w", Will.of("will/r", "kept", QoS.AT_MOST_ONCE, true)));
        c.lose();
        watcher.publishes();
        CoreHarness.Conn late = h.connected(v, "late");
        late.subscribe("will/r", QoS.AT_MOST_ONCE);
        Publish p = late.expect(Publish.class);
        assertThat(p.retain()).isTrue();
        assertThat(p.payload().toUtf8()).isEqualTo("kept");
        assertThat(h.enforced(v, v.isV5() ? "MQTT-3.1.2-15" : "MQTT-3.1.2-17")).isTrue();
    }

    @Test
    void will_with_will_retain_0_is_not_retained() {
        CoreHarness.Conn c = h.connected(V3_1_1, withWill(V3_1_1, "w", Will.of("will/n", "x", QoS.AT_MOST_ONCE, false)));
        c.lose();
        CoreHarness.Conn late = h.connected(V3_1_1, "late");
        late.subscribe("will/n", QoS.AT_MOST_ONCE);
        assertThat(late.publishes()).isEmpty();
        assertThat(h.enforced(V3_1_1, "MQTT-3.1.2-16")).isTrue();
    }

    private static Connect delayedWill(String id, long delay, long sessionExpiry) {
        return Connect.builder(V5).clientId(id).cleanStart(false)
                .property(Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, sessionExpiry))
                .will(Will.of("will/d", "late", QoS.AT_MOST_ONCE, false)
                        .withProperties(Properties.of(Property.number(PropertyId.WILL_DELAY_INTERVAL, delay)))).build();
    }

    @Test
    void will_delay_interval_postpones_the_will() {
        CoreHarness.Conn c = h.connected(V5, delayedWill("d", 5, 60));
        c.lose();
        h.advance(4_999);
        assertThat(watcher.publishes()).isEmpty();
        h.advance(1);
        assertThat(watcher.publishes()).extracting(p -> p.payload().toUtf8()).containsExactly("late");
    }

    @Test
    void reconnecting_within_the_will_delay_cancels_the_will() {
        Connect connect = delayedWill("d", 5, 60);
        h.connected(V5, connect).lose();
        h.advance(3_000);
        h.open(V5, "d2").connect(connect);
        h.advance(10_000);
        assertThat(watcher.publishes()).isEmpty();
        assertThat(h.enforced(V5, "MQTT-3.1.3-9")).isTrue();
    }

    @Test
    void will_is_published_when_the_session_ends_before_the_will_delay() {
        CoreHarness.Conn c = h.connected(V5, delayedWill("d", 30, 2));
        c.lose();
        h.advance(1_999);
        assertThat(watcher.publishes()).isEmpty();
        h.advance(1);
        assertThat(watcher.publishes()).hasSize(1);
    }

    @Test
    void will_properties_are_forwarded_with_the_will() {
        Will w = Will.of("will/p", "x", QoS.AT_MOST_ONCE, false).withProperties(Properties.builder()
                .string(PropertyId.CONTENT_TYPE, "text/plain").userProperty("k", "v").build());
        h.connected(V5, withWill(V5, "w", w)).lose();
        Publish p = watcher.expect(Publish.class);
        assertThat(p.properties().string(PropertyId.CONTENT_TYPE).toString()).isEqualTo("text/plain");
        assertThat(p.properties().userProperties()).hasSize(1);
        assertThat(p.properties().has(PropertyId.WILL_DELAY_INTERVAL)).isFalse();
    }

    @Test
    void will_of_a_taken_over_connection_is_published() {
        h.connected(V5, withWill(V5, "t", Will.of("will/t", "taken", QoS.AT_MOST_ONCE, false)));
        h.connected(V5, "t");
        assertThat(watcher.publishes()).extracting(p -> p.payload().toUtf8()).containsExactly("taken");
    }
}
