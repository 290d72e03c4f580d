package dev.mqttharness.spec.codec;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.Catalog;
import dev.mqttharness.spec.packet.Auth;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.PubAck;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicFilter;
import dev.mqttharness.spec.packet.TopicName;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.Unsuback;
import dev.mqttharness.spec.packet.Unsubscribe;
import dev.mqttharness.spec.packet.Utf8String;
import dev.mqttharness.spec.packet.Will;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Generated valid packets broken in one way: the strict encoder refuses them naming statements, and
 * what {@link MqttEncoder#encodeUnchecked} writes is rejected by the decoder naming the statement
 * broken.
 */
class InvalidPacketPropertyTest {
    static final int CASES = 300;

    /**
     * One way to break a packet.
     *
     * @param validatorCatches false for rules that need the direction, which the validator does not know
     * @param statement        the statement the decoder must name, per version and sender
     */
    record Breakage(String name, PacketType type, List<MqttVersion> versions, PacketType.Sender onlyFrom,
                    boolean validatorCatches, BiFunction<Packet, PacketGenerator, Packet> breaker,
                    StatementFor statement) {
        @Override
        public String toString() {
            return name;
        }
    }

    interface StatementFor {
        String of(MqttVersion v, PacketType.Sender sender);
    }

    static StatementFor same(String id) {
        return (v, s) -> id;
    }

    static StatementFor byVersion(String v311, String v5) {
        return (v, s) -> v.isV5() ? v5 : v311;
    }

    static final List<MqttVersion> BOTH = List.of(V3_1_1, V5);
    static final List<MqttVersion> ONLY_5 = List.of(V5);

    static Breakage b(String name, PacketType type, List<MqttVersion> versions, BiFunction<Packet, PacketGenerator, Packet> f,
                      StatementFor s) {
        return new Breakage(name, type, versions, null, true, f, s);
    }

    static Publish pub(Packet p) {
        return (Publish) p;
    }

    static Subscribe sub(Packet p) {
        return (Subscribe) p;
    }

    static Properties plus(Properties props, Property... extra) {
        Properties.Builder b = props.toBuilder();
        for (Property x : extra) {
            b.add(x);
        }
        return b.build();
    }

    static List<Breakage> breakages() {
        List<Breakage> out = new ArrayList<>();
        out.add(b("publish_dup_with_qos_0", PacketType.PUBLISH, BOTH,
                (p, g) -> pub(p).withQos(QoS.AT_MOST_ONCE).withPacketId(0).withDup(true), same("MQTT-3.3.1-2")));
        out.add(b("publish_packet_identifier_0", PacketType.PUBLISH, BOTH,
                (p, g) -> pub(p).withQos(QoS.AT_LEAST_ONCE).withPacketId(0),
                (v, s) -> !v.isV5() ? "MQTT-2.3.1-1" : s == PacketType.Sender.CLIENT ? "MQTT-2.2.1-3" : "MQTT-2.2.1-4"));
        out.add(b("publish_wildcard_in_topic_name", PacketType.PUBLISH, BOTH,
                (p, g) -> pub(p).withTopic(TopicName.unchecked(pub(p).topic() + g.pick(List.of("/+", "#", "/#", "+")))),
                byVersion("MQTT-4.7.1-1", "MQTT-4.7.0-1")));
        out.add(b("publish_empty_topic_name", PacketType.PUBLISH, BOTH,
                (p, g) -> pub(p).withTopic(TopicName.EMPTY).withProperties(p.properties().without(PropertyId.TOPIC_ALIAS)),
                same("MQTT-4.7.3-1")));
        out.add(b("publish_topic_with_null_character", PacketType.PUBLISH, BOTH,
                (p, g) -> pub(p).withTopic(TopicName.unchecked(pub(p).topic() + "\u0000")),
                byVersion("MQTT-1.5.3-2", "MQTT-1.5.4-2")));
        out.add(b("publish_topic_with_surrogate", PacketType.PUBLISH, BOTH,
                (p, g) -> pub(p).withTopic(TopicName.unchecked(pub(p).topic() + g.pick(List.of("\uD800", "\uDFFF", "\uDBFFx")))),
                byVersion("MQTT-1.5.3-1", "MQTT-1.5.4-1")));
        out.add(b("publish_topic_alias_0", PacketType.PUBLISH, ONLY_5,
                (p, g) -> pub(p).withProperties(p.properties().toBuilder().set(Property.number(PropertyId.TOPIC_ALIAS, 0)).build()),
                same("MQTT-3.3.2-8")));
        out.add(new Breakage("publish_subscription_identifier_from_client", PacketType.PUBLISH, ONLY_5,
                PacketType.Sender.CLIENT, false,
                (p, g) -> pub(p).withProperties(plus(p.properties(), Property.number(PropertyId.SUBSCRIPTION_IDENTIFIER, 1))),
                same("MQTT-3.3.4-6")));
        for (PacketType t : PropertyPlacementTest.WITH_PROPERTIES) {
            out.add(b(t.name().toLowerCase() + "_property_not_allowed", t, ONLY_5,
                    (p, g) -> Packets.withProperties(p, plus(p.properties(), g.property(notAllowedIn(t, g)))),
                    same("§2.2.2.2")));
            PropertyId once = onceIn(t);
            if (once == null) {
                continue;
            }
            out.add(b(t.name().toLowerCase() + "_property_duplicated", t, ONLY_5,
                    (p, g) -> Packets.withProperties(p, plus(p.properties().without(once), g.property(once), g.property(once))),
                    same("§2.2.2.2")));
        }
        out.add(b("subscribe_without_filters", PacketType.SUBSCRIBE, BOTH,
                (p, g) -> new Subscribe(sub(p).packetId(), p.properties(), List.of()),
                byVersion("MQTT-3.8.3-3", "MQTT-3.8.3-2")));
        out.add(b("subscribe_empty_filter", PacketType.SUBSCRIBE, BOTH,
                (p, g) -> replaceFirstFilter(sub(p), ""), same("MQTT-4.7.3-1")));
        out.add(b("subscribe_multi_level_wildcard_not_last", PacketType.SUBSCRIBE, BOTH,
                (p, g) -> replaceFirstFilter(sub(p), g.pick(List.of("a/#/b", "#/", "a#"))), byVersion("MQTT-4.7.1-2", "MQTT-4.7.1-1")));
        out.add(b("subscribe_single_level_wildcard_not_a_level", PacketType.SUBSCRIBE, BOTH,
                (p, g) -> replaceFirstFilter(sub(p), g.pick(List.of("a+", "+a/b", "a/b+"))), byVersion("MQTT-4.7.1-3", "MQTT-4.7.1-2")));
        out.add(b("subscribe_packet_identifier_0", PacketType.SUBSCRIBE, BOTH,
                (p, g) -> new Subscribe(0, p.properties(), sub(p).subscriptions()), byVersion("MQTT-2.3.1-1", "MQTT-2.2.1-3")));
        out.add(b("subscribe_retain_handling_3", PacketType.SUBSCRIBE, ONLY_5,
                (p, g) -> new Subscribe(sub(p).packetId(), p.properties(), List.of(sub(p).subscriptions().get(0).withRetainHandling(3))),
                same("§3.8.3.1")));
        out.add(b("subscribe_no_local_on_shared_subscription", PacketType.SUBSCRIBE, ONLY_5,
                (p, g) -> new Subscribe(sub(p).packetId(), p.properties(),
                        List.of(new TopicSubscription(TopicFilter.of("$share/g/a"), QoS.AT_MOST_ONCE, true, false, 0))),
                same("MQTT-3.8.3-4")));
        out.add(b("unsubscribe_without_filters", PacketType.UNSUBSCRIBE, BOTH,
                (p, g) -> new Unsubscribe(((Unsubscribe) p).packetId(), p.properties(), List.of()), same("MQTT-3.10.3-2")));
        out.add(b("unsubscribe_empty_filter", PacketType.UNSUBSCRIBE, BOTH,
                (p, g) -> new Unsubscribe(((Unsubscribe) p).packetId(), p.properties(), List.of(TopicFilter.unchecked(""))),
                same("MQTT-4.7.3-1")));
        for (PacketType t : List.of(PacketType.PUBACK, PacketType.PUBREC, PacketType.PUBREL, PacketType.PUBCOMP)) {
            out.add(b(t.name().toLowerCase() + "_packet_identifier_0", t, BOTH,
                    (p, g) -> PubAck.of(t, 0, ((PubAck) p).reasonCode(), p.properties()), byVersion("MQTT-2.3.1-6", "MQTT-2.2.1-5")));
            out.add(b(t.name().toLowerCase() + "_reason_code_not_defined", t, ONLY_5,
                    (p, g) -> PubAck.of(t, ((PubAck) p).packetId(), 0x01, p.properties()), same("MQTT-3." + t.code() + ".2-1")));
        }
        out.add(b("suback_without_codes", PacketType.SUBACK, BOTH,
                (p, g) -> new Suback(((Suback) p).packetId(), p.properties(), List.of()), byVersion("MQTT-3.8.4-5", "MQTT-3.8.4-6")));
        out.add(b("suback_code_not_defined", PacketType.SUBACK, BOTH,
                (p, g) -> new Suback(((Suback) p).packetId(), p.properties(), List.of(0x03)), same("MQTT-3.9.3-2")));
        out.add(b("unsuback_without_codes", PacketType.UNSUBACK, ONLY_5,
                (p, g) -> new Unsuback(((Unsuback) p).packetId(), p.properties(), List.of()), same("MQTT-3.11.3-2")));
        out.add(b("connack_code_not_defined", PacketType.CONNACK, BOTH,
                (p, g) -> new Connack(false, g.pick(List.of(0x06, 0x7F, 0xFF)), p.properties()), // defined in neither version
                byVersion("§3.2.2.3", "MQTT-3.2.2-8")));
        out.add(b("disconnect_reason_code_not_defined", PacketType.DISCONNECT, ONLY_5,
                (p, g) -> new Disconnect(0x01, p.properties()), same("MQTT-3.14.2-1")));
        out.add(b("auth_reason_code_not_defined", PacketType.AUTH, ONLY_5,
                (p, g) -> new Auth(0x01, p.properties()), same("MQTT-3.15.2-1")));
        out.add(b("connect_password_without_user_name", PacketType.CONNECT, List.of(V3_1_1),
                (p, g) -> withCredentials((Connect) p, null, BinaryData.of("pw")), same("MQTT-3.1.2-22")));
        out.add(b("connect_will_topic_with_wildcard", PacketType.CONNECT, BOTH,
                (p, g) -> withWillTopic((Connect) p, TopicName.unchecked("a/" + g.pick(List.of("#", "+")))),
                byVersion("MQTT-4.7.1-1", "MQTT-4.7.0-1")));
        out.add(b("connect_client_identifier_with_null_character", PacketType.CONNECT, BOTH,
                (p, g) -> new Connect(((Connect) p).version(), Utf8String.unchecked("a\u0000"), ((Connect) p).cleanStart(),
                        ((Connect) p).keepAlive(), p.properties(), ((Connect) p).will(), ((Connect) p).username(), ((Connect) p).password()),
                byVersion("MQTT-1.5.3-2", "MQTT-1.5.4-2")));
        return out;
    }

    static PropertyId notAllowedIn(PacketType t, PacketGenerator g) {
        List<PropertyId> ids = new ArrayList<>();
        for (PropertyId id : PropertyId.values()) {
            if (!id.allowedIn(t)) {
                ids.add(id);
            }
        }
        return g.pick(ids);
    }

    /** A property {@code t} may carry at most once, or null if it has none. */
    static PropertyId onceIn(PacketType t) {
        for (PropertyId id : List.of(PropertyId.REASON_STRING, PropertyId.MESSAGE_EXPIRY_INTERVAL,
                PropertyId.SESSION_EXPIRY_INTERVAL, PropertyId.SUBSCRIPTION_IDENTIFIER, PropertyId.AUTHENTICATION_METHOD)) {
            if (id.allowedIn(t) && !id.repeatableIn(t)) {
                return id;
            }
        }
        return null; // UNSUBSCRIBE carries only User Properties
    }

    static Subscribe replaceFirstFilter(Subscribe s, String filter) {
        List<TopicSubscription> subs = new ArrayList<>(s.subscriptions());
        TopicSubscription first = subs.get(0);
        subs.set(0, new TopicSubscription(TopicFilter.unchecked(filter), first.qos(), false, first.retainAsPublished(),
                first.retainHandling()));
        return new Subscribe(s.packetId(), s.properties(), subs);
    }

    static Connect withCredentials(Connect c, Utf8String user, BinaryData password) {
        return new Connect(c.version(), c.clientId(), c.cleanStart(), c.keepAlive(), c.properties(), c.will(), user, password);
    }

    static Connect withWillTopic(Connect c, TopicName topic) {
        Will w = c.will() != null ? c.will() : Will.of("x", "y", QoS.AT_MOST_ONCE, false);
        return new Connect(c.version(), c.clientId(), c.cleanStart(), c.keepAlive(), c.properties(),
                new Will(topic, w.payload(), w.qos(), w.retain(), w.properties()), c.username(), c.password());
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Breakage b : breakages()) {
            for (MqttVersion v : b.versions()) {
                out.add(Arguments.of(b, v));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void encode_unchecked_invalid_packet_is_rejected_by_the_decoder(Breakage b, MqttVersion v) {
        PacketGenerator g = new PacketGenerator(b.name().hashCode() * 7L + v.ordinal());
        for (int i = 0; i < CASES; i++) {
            PacketType.Sender sender = b.onlyFrom() != null ? b.onlyFrom() : g.sender(b.type(), v);
            Packet valid = g.packet(b.type(), v, sender);
            Packet invalid = b.breaker().apply(valid, g);
            if (b.validatorCatches()) {
                List<Violation> violations = PacketValidator.validate(invalid, v);
                assertThat(violations).as("violations of %s", invalid).isNotEmpty();
                for (Violation x : violations) {
                    for (String id : x.statements()) {
                        assertThat(Catalog.get().exists(v, id)).as(id + " named by the validator for " + invalid).isTrue();
                    }
                }
                assertThatThrownBy(() -> MqttEncoder.encode(invalid, v)).isInstanceOf(InvalidPacketException.class)
                        .satisfies(e -> assertThat(((InvalidPacketException) e).violations()).isEqualTo(violations));
            }
            byte[] bytes = MqttEncoder.encodeUnchecked(invalid, v);
            List<DecodeResult> r = Packets.decode(sender, v, b.type(), bytes);
            assertThat(r).as("decoding %s: %s", invalid, Wire.hex(bytes)).singleElement().isInstanceOf(Malformed.class);
            assertThat(((Malformed) r.get(0)).statements()).as("%s for %s", r.get(0), invalid)
                    .contains(b.statement().of(v, sender));
        }
    }
}
