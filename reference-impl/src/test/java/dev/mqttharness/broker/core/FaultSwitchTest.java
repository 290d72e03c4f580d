package dev.mqttharness.broker.core;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.auth.Scram;
import dev.mqttharness.broker.BrokerConfig;
import dev.mqttharness.broker.fault.Fault;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.codec.RawPacket;
import dev.mqttharness.spec.packet.Auth;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.Pingresp;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Puback;
import dev.mqttharness.spec.packet.Pubcomp;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.Pubrec;
import dev.mqttharness.spec.packet.Pubrel;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.Unsuback;
import dev.mqttharness.spec.packet.Unsubscribe;
import dev.mqttharness.spec.packet.Will;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every fault switch changes the behaviour it names: for each {@link Fault}, a conversation that
 * checks the rule the fault breaks; the rule holds with the fault off and is broken with it on.
 * A fault added without a conversation here fails the build.
 */
class FaultSwitchTest {

    /** Runs a conversation on a broker built from {@code cfg} (the fault already set or not); true if the rule held. */
    @FunctionalInterface
    interface Rule {
        boolean holds(BrokerConfig.Builder cfg);
    }

    private static final Map<Fault, Rule> RULES = new EnumMap<>(Fault.class);

    @ParameterizedTest
    @EnumSource(Fault.class)
    void fault_switch_breaks_the_rule_it_names(Fault fault) {
        Rule rule = RULES.get(fault);
        assertThat(rule).as("a conversation for fault %s", fault).isNotNull();
        assertThat(rule.holds(BrokerConfig.builder())).as("the rule holds with %s off", fault).isTrue();
        assertThat(rule.holds(BrokerConfig.builder().fault(fault.id()))).as("%s breaks the rule: %s", fault, fault.mistake())
                .isFalse();
    }

    // ---------------------------------------------------------------- helpers

    private static CoreHarness h(BrokerConfig.Builder cfg) {
        return new CoreHarness(cfg.build());
    }

    private static boolean any(List<Packet> ps, Class<? extends Packet> type) {
        return ps.stream().anyMatch(type::isInstance);
    }

    private static Connect persistent(MqttVersion v, String id) {
        return PublishQosTest.persistent(v, id);
    }

    private static CoreHarness.Conn watcher(CoreHarness h, MqttVersion v, String filter) {
        CoreHarness.Conn w = h.connected(v, "watcher");
        w.subscribe(filter, QoS.AT_LEAST_ONCE);
        return w;
    }

    /** Publishes with QoS 0 from a fresh client (no acknowledgement to go wrong). */
    private static void publish0(CoreHarness h, MqttVersion v, String topic, String payload, boolean retain) {
        h.connected(v, "p" + h.now + topic.hashCode() + payload).send(Publish.of(topic, payload, QoS.AT_MOST_ONCE, 0, retain));
    }

    /** The PUBLISHes a fresh subscription to {@code filter} receives at once (retained ones). */
    private static List<Publish> lateSubscriber(CoreHarness h, MqttVersion v, String filter) {
        CoreHarness.Conn late = h.connected(v, "late");
        late.subscribe(filter, QoS.AT_LEAST_ONCE);
        return late.publishes();
    }

    private static Will will(String topic, boolean retain) {
        return Will.of(topic, "bye", QoS.AT_MOST_ONCE, retain);
    }

    static {
        // -- connect and session
        RULES.put(Fault.SECOND_CONNECT_IGNORED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn c = h.connected(V3_1_1, "c");
            c.send(Connect.builder(V3_1_1).clientId("c").build());
            return c.isClosed();
        });
        RULES.put(Fault.BAD_PROTOCOL_LEVEL_CLOSED_SILENTLY, cfg -> {
            CoreHarness.Conn c = h(cfg).open(V3_1_1, "c");
            c.sendBytes(RawPacket.withBodyByte(MqttEncoder.encode(Connect.builder(V3_1_1).clientId("c").build(), V3_1_1), 6, 2));
            return any(c.take(), Connack.class);
        });
        RULES.put(Fault.CLEAN_START_KEEPS_SESSION, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn a = h.connected(V3_1_1, persistent(V3_1_1, "s"));
            a.subscribe("t", QoS.AT_MOST_ONCE);
            a.disconnect();
            CoreHarness.Conn b = h.open(V3_1_1, "s2");
            boolean present = b.connect(Connect.builder(V3_1_1).clientId("s").cleanStart(true).build()).sessionPresent();
            publish0(h, V3_1_1, "t", "x", false);
            return !present && b.publishes().isEmpty();
        });
        RULES.put(Fault.SESSION_NOT_RESUMED, cfg -> {
            CoreHarness h = h(cfg);
            h.connected(V5, persistent(V5, "s")).disconnect();
            return h.open(V5, "s2").connect(persistent(V5, "s")).sessionPresent();
        });
        RULES.put(Fault.SESSION_PRESENT_ON_CLEAN_START, cfg ->
                !h(cfg).open(V3_1_1, "c").connect(Connect.builder(V3_1_1).clientId("c").build()).sessionPresent());
        RULES.put(Fault.SESSION_PRESENT_ON_REJECT, cfg -> {
            CoreHarness.Conn c = h(cfg.user("u", "p")).open(V3_1_1, "c");
            Connack ack = c.connect(Connect.builder(V3_1_1).clientId("c").username("u").password("bad").build());
            return ack.reasonCode() != 0 && !ack.sessionPresent();
        });
        RULES.put(Fault.REJECT_WITHOUT_CLOSE, cfg -> {
            CoreHarness.Conn c = h(cfg.user("u", "p")).open(V5, "c");
            c.connect(Connect.builder(V5).clientId("c").username("u").password("bad").build());
            return c.isClosed();
        });
        RULES.put(Fault.EMPTY_CLIENT_ID_WITHOUT_CLEAN_ACCEPTED, cfg ->
                h(cfg).open(V3_1_1, "c").connect(Connect.builder(V3_1_1).clientId("").cleanStart(false).build()).reasonCode() == 2);
        RULES.put(Fault.ASSIGNED_CLIENT_ID_MISSING, cfg ->
                h(cfg).open(V5, "c").connect(Connect.builder(V5).clientId("").build()).properties()
                        .has(PropertyId.ASSIGNED_CLIENT_IDENTIFIER));
        RULES.put(Fault.TAKEOVER_IGNORED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn first = h.connected(V3_1_1, "dup");
            h.connected(V3_1_1, "dup");
            return first.isClosed();
        });
        RULES.put(Fault.KEEP_ALIVE_NOT_ENFORCED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn c = h.connected(V3_1_1, Connect.builder(V3_1_1).clientId("k").keepAlive(1).build());
            h.advance(1_501);
            return c.isClosed();
        });
        RULES.put(Fault.RESPONSE_INFORMATION_UNASKED, cfg ->
                !h(cfg).open(V5, "c").connect(Connect.builder(V5).clientId("c").build()).properties()
                        .has(PropertyId.RESPONSE_INFORMATION));
        RULES.put(Fault.SESSION_EXPIRY_IGNORED, cfg -> {
            CoreHarness h = h(cfg);
            h.connected(V5, Connect.builder(V5).clientId("s").property(Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, 1))
                    .build()).disconnect();
            h.advance(1_000);
            return h.core.sessionCount() == 0;
        });
        RULES.put(Fault.SERVER_KEEP_ALIVE_NOT_USED, cfg -> {
            // no Server Keep Alive announced: the client's 1 s applies (MQTT-3.2.2-22)
            CoreHarness h = h(cfg);
            CoreHarness.Conn c = h.connected(V5, Connect.builder(V5).clientId("k").keepAlive(1).build());
            h.advance(1_501);
            return c.isClosed();
        });

        // -- will
        RULES.put(Fault.WILL_ON_NORMAL_DISCONNECT, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn w = watcher(h, V3_1_1, "will/#");
            h.connected(V3_1_1, Connect.builder(V3_1_1).clientId("c").will(will("will/a", false)).build()).disconnect();
            return w.publishes().isEmpty();
        });
        RULES.put(Fault.WILL_NOT_PUBLISHED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn w = watcher(h, V3_1_1, "will/#");
            h.connected(V3_1_1, Connect.builder(V3_1_1).clientId("c").will(will("will/a", false)).build()).lose();
            return w.publishes().size() == 1;
        });
        RULES.put(Fault.WILL_RETAIN_IGNORED, cfg -> {
            CoreHarness h = h(cfg);
            h.connected(V3_1_1, Connect.builder(V3_1_1).clientId("c").will(will("will/r", true)).build()).lose();
            return lateSubscriber(h, V3_1_1, "will/r").size() == 1;
        });
        RULES.put(Fault.WILL_RETAINED_WITHOUT_FLAG, cfg -> {
            CoreHarness h = h(cfg);
            h.connected(V3_1_1, Connect.builder(V3_1_1).clientId("c").will(will("will/r", false)).build()).lose();
            return lateSubscriber(h, V3_1_1, "will/r").isEmpty();
        });
        RULES.put(Fault.WILL_DELAY_IGNORED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn w = watcher(h, V5, "will/#");
            h.connected(V5, Connect.builder(V5).clientId("c").property(Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, 60))
                    .will(will("will/d", false).withProperties(Properties.of(Property.number(PropertyId.WILL_DELAY_INTERVAL, 5))))
                    .build()).lose();
            return w.publishes().isEmpty();
        });

        // -- publish, retain, QoS
        RULES.put(Fault.RETAIN_NOT_STORED, cfg -> {
            CoreHarness h = h(cfg);
            publish0(h, V3_1_1, "r", "kept", true);
            return lateSubscriber(h, V3_1_1, "r").size() == 1;
        });
        RULES.put(Fault.RETAINED_EMPTY_NOT_CLEARED, cfg -> {
            CoreHarness h = h(cfg);
            publish0(h, V3_1_1, "r", "kept", true);
            publish0(h, V3_1_1, "r", "", true);
            return lateSubscriber(h, V3_1_1, "r").isEmpty();
        });
        RULES.put(Fault.RETAIN_0_REPLACES_RETAINED, cfg -> {
            CoreHarness h = h(cfg);
            publish0(h, V3_1_1, "r", "kept", true);
            publish0(h, V3_1_1, "r", "live", false);
            List<Publish> got = lateSubscriber(h, V3_1_1, "r");
            return got.size() == 1 && got.get(0).payload().toUtf8().equals("kept");
        });
        RULES.put(Fault.RETAINED_NOT_SENT_ON_SUBSCRIBE, cfg -> {
            CoreHarness h = h(cfg);
            publish0(h, V5, "r", "kept", true);
            return lateSubscriber(h, V5, "r").size() == 1;
        });
        RULES.put(Fault.RETAINED_SENT_WITHOUT_RETAIN_FLAG, cfg -> {
            CoreHarness h = h(cfg);
            publish0(h, V3_1_1, "r", "kept", true);
            return lateSubscriber(h, V3_1_1, "r").get(0).retain();
        });
        RULES.put(Fault.RETAIN_FLAG_KEPT_ON_FORWARD, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn w = watcher(h, V3_1_1, "r");
            publish0(h, V3_1_1, "r", "x", true);
            return !w.publishes().get(0).retain();
        });
        RULES.put(Fault.RETAIN_AS_PUBLISHED_IGNORED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V5, "s");
            s.subscribe(TopicSubscription.of("r", QoS.AT_MOST_ONCE).withRetainAsPublished(true));
            publish0(h, V5, "r", "x", true);
            return s.publishes().get(0).retain();
        });
        RULES.put(Fault.RETAIN_HANDLING_2_SENDS, cfg -> {
            CoreHarness h = h(cfg);
            publish0(h, V5, "r", "x", true);
            CoreHarness.Conn s = h.connected(V5, "s");
            s.subscribe(TopicSubscription.of("r", QoS.AT_MOST_ONCE).withRetainHandling(2));
            return s.publishes().isEmpty();
        });
        RULES.put(Fault.RETAIN_HANDLING_1_RESENDS, cfg -> {
            CoreHarness h = h(cfg);
            publish0(h, V5, "r", "x", true);
            CoreHarness.Conn s = h.connected(V5, "s");
            s.subscribe(TopicSubscription.of("r", QoS.AT_MOST_ONCE).withRetainHandling(1));
            s.subscribe(TopicSubscription.of("r", QoS.AT_MOST_ONCE).withRetainHandling(1));
            return s.publishes().size() == 1;
        });
        RULES.put(Fault.DUP_PROPAGATED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn w = watcher(h, V3_1_1, "d");
            h.connected(V3_1_1, "p").send(Publish.of("d", "x", QoS.AT_LEAST_ONCE, 1, false).withDup(true));
            return !w.publishes().get(0).dup();
        });
        RULES.put(Fault.QOS_NOT_DOWNGRADED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V3_1_1, "s");
            s.subscribe("q", QoS.AT_MOST_ONCE);
            h.connected(V3_1_1, "p").send(Publish.of("q", "x", QoS.AT_LEAST_ONCE, 1, false));
            return s.publishes().get(0).qos() == QoS.AT_MOST_ONCE;
        });
        RULES.put(Fault.PUBACK_MISSING, cfg -> {
            CoreHarness.Conn p = h(cfg).connected(V3_1_1, "p");
            p.send(Publish.of("q", "x", QoS.AT_LEAST_ONCE, 1, false));
            return any(p.take(), Puback.class);
        });
        RULES.put(Fault.PUBREC_MISSING, cfg -> {
            CoreHarness.Conn p = h(cfg).connected(V5, "p");
            p.send(Publish.of("q", "x", QoS.EXACTLY_ONCE, 1, false));
            return any(p.take(), Pubrec.class);
        });
        RULES.put(Fault.QOS2_DUPLICATE_DELIVERED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn w = watcher(h, V5, "q");
            CoreHarness.Conn p = h.connected(V5, "p");
            p.send(Publish.of("q", "x", QoS.EXACTLY_ONCE, 1, false));
            p.send(Publish.of("q", "x", QoS.EXACTLY_ONCE, 1, false).withDup(true));
            return w.publishes().size() == 1;
        });
        RULES.put(Fault.PUBCOMP_MISSING, cfg -> {
            CoreHarness.Conn p = h(cfg).connected(V5, "p");
            p.send(Publish.of("q", "x", QoS.EXACTLY_ONCE, 1, false));
            p.send(new Pubrel(1));
            return any(p.take(), Pubcomp.class);
        });
        RULES.put(Fault.PUBREL_MISSING, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V3_1_1, "s");
            s.subscribe("q", QoS.EXACTLY_ONCE);
            h.connected(V3_1_1, "p").send(Publish.of("q", "x", QoS.EXACTLY_ONCE, 1, false));
            s.send(new Pubrec(s.expect(Publish.class).packetId()));
            return any(s.take(), Pubrel.class);
        });
        RULES.put(Fault.PACKET_ID_REUSED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn w = watcher(h, V3_1_1, "q");
            CoreHarness.Conn p = h.connected(V3_1_1, "p");
            p.send(Publish.of("q", "1", QoS.AT_LEAST_ONCE, 1, false));
            p.send(Publish.of("q", "2", QoS.AT_LEAST_ONCE, 2, false));
            List<Publish> got = w.publishes();
            return got.size() == 2 && got.get(0).packetId() != got.get(1).packetId();
        });
        RULES.put(Fault.NO_RETRANSMIT_ON_RESUME, cfg -> resentOnResume(cfg, false));
        RULES.put(Fault.RETRANSMIT_WITHOUT_DUP, cfg -> resentOnResume(cfg, true));
        RULES.put(Fault.OFFLINE_MESSAGES_DROPPED, cfg -> offlineQueue(cfg).size() == 3);
        RULES.put(Fault.ORDER_NOT_KEPT, cfg -> offlineQueue(cfg).stream().map(p -> p.payload().toUtf8()).toList()
                .equals(List.of("m0", "m1", "m2")));
        RULES.put(Fault.RECEIVE_MAXIMUM_IGNORED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V5, Connect.builder(V5).clientId("s")
                    .property(Property.number(PropertyId.RECEIVE_MAXIMUM, 1)).build());
            s.subscribe("q", QoS.AT_LEAST_ONCE);
            CoreHarness.Conn p = h.connected(V5, "p");
            for (int i = 1; i <= 3; i++) {
                p.send(Publish.of("q", "m" + i, QoS.AT_LEAST_ONCE, i, false));
            }
            return s.publishes().size() == 1;
        });
        RULES.put(Fault.OVERSIZED_PACKET_SENT, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V5, Connect.builder(V5).clientId("s")
                    .property(Property.number(PropertyId.MAXIMUM_PACKET_SIZE, 64)).build());
            s.subscribe("q", QoS.AT_MOST_ONCE);
            publish0(h, V5, "q", "x".repeat(100), false);
            return s.publishes().isEmpty();
        });
        RULES.put(Fault.TOPIC_ALIAS_UNASKED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V5, "s");
            s.subscribe("q", QoS.AT_MOST_ONCE);
            publish0(h, V5, "q", "x", false);
            return !s.publishes().get(0).properties().has(PropertyId.TOPIC_ALIAS);
        });
        RULES.put(Fault.MESSAGE_EXPIRY_NOT_DECREMENTED, cfg -> {
            List<Publish> got = expiringQueue(cfg, 10, 4_000);
            return got.size() == 1 && got.get(0).properties().number(PropertyId.MESSAGE_EXPIRY_INTERVAL, -1) == 6;
        });
        RULES.put(Fault.EXPIRED_MESSAGE_DELIVERED, cfg -> expiringQueue(cfg, 2, 2_000).isEmpty());
        for (Fault f : new Fault[] {Fault.USER_PROPERTIES_REORDERED, Fault.USER_PROPERTIES_DROPPED, Fault.PAYLOAD_FORMAT_DROPPED,
                Fault.CONTENT_TYPE_DROPPED, Fault.RESPONSE_TOPIC_DROPPED, Fault.CORRELATION_DATA_DROPPED}) {
            RULES.put(f, FaultSwitchTest::propertiesForwardedUnaltered);
        }
        RULES.put(Fault.PROBLEM_INFORMATION_IGNORED, cfg -> {
            CoreHarness h = h(cfg.acl(List.of(new BrokerConfig.AclRule("*", BrokerConfig.AclRule.Access.PUBLISH, "no", false))));
            CoreHarness.Conn p = h.connected(V5, Connect.builder(V5).clientId("p")
                    .property(Property.number(PropertyId.REQUEST_PROBLEM_INFORMATION, 0)).build());
            p.send(Publish.of("no", "x", QoS.AT_LEAST_ONCE, 1, false));
            Puback ack = p.expect(Puback.class);
            return ack.reasonCode() == ReasonCode.NOT_AUTHORIZED.value() && !ack.properties().has(PropertyId.REASON_STRING);
        });

        // -- subscribe, unsubscribe
        RULES.put(Fault.SUBACK_WRONG_PACKET_ID, cfg -> {
            CoreHarness.Conn c = h(cfg).connected(V3_1_1, "c");
            c.send(Subscribe.of(5, "a", QoS.AT_MOST_ONCE));
            return c.expect(Suback.class).packetId() == 5;
        });
        RULES.put(Fault.SUBSCRIPTION_NOT_REPLACED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V3_1_1, "s");
            // replaced, the second subscription's QoS 0 applies; kept beside it, the first one's QoS 2 wins
            s.subscribe("a", QoS.EXACTLY_ONCE);
            s.subscribe("a", QoS.AT_MOST_ONCE);
            h.connected(V3_1_1, "p").send(Publish.of("a", "x", QoS.EXACTLY_ONCE, 1, false));
            List<Publish> got = s.publishes();
            return got.size() == 1 && got.get(0).qos() == QoS.AT_MOST_ONCE;
        });
        RULES.put(Fault.UNSUBACK_MISSING_WHEN_NONE, cfg -> {
            CoreHarness.Conn c = h(cfg).connected(V3_1_1, "c");
            c.send(Unsubscribe.of(3, "none"));
            return any(c.take(), Unsuback.class);
        });
        RULES.put(Fault.UNSUBSCRIBE_IGNORED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V3_1_1, "s");
            s.subscribe("a", QoS.AT_MOST_ONCE);
            s.unsubscribe("a");
            publish0(h, V3_1_1, "a", "x", false);
            return s.publishes().isEmpty();
        });
        RULES.put(Fault.NO_LOCAL_IGNORED, cfg -> {
            CoreHarness.Conn s = h(cfg).connected(V5, "s");
            s.subscribe(TopicSubscription.of("a", QoS.AT_MOST_ONCE).withNoLocal(true));
            s.send(Publish.qos0("a", "mine"));
            return s.publishes().isEmpty();
        });
        RULES.put(Fault.DOLLAR_TOPIC_MATCHED_BY_WILDCARD, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V3_1_1, "s");
            s.subscribe("#", QoS.AT_MOST_ONCE);
            publish0(h, V3_1_1, "$SYS/x", "x", false);
            return s.publishes().isEmpty();
        });
        RULES.put(Fault.SUBSCRIPTION_IDENTIFIER_DROPPED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V5, "s");
            s.subscribe(Properties.of(Property.number(PropertyId.SUBSCRIPTION_IDENTIFIER, 7)), TopicSubscription.of("a", QoS.AT_MOST_ONCE));
            publish0(h, V5, "a", "x", false);
            return s.publishes().get(0).properties().numbers(PropertyId.SUBSCRIPTION_IDENTIFIER).equals(List.of(7L));
        });
        RULES.put(Fault.PINGRESP_MISSING, cfg -> {
            CoreHarness.Conn c = h(cfg).connected(V3_1_1, "c");
            c.ping();
            return any(c.take(), Pingresp.class);
        });

        // -- errors
        RULES.put(Fault.MALFORMED_NOT_CLOSED, cfg -> {
            CoreHarness.Conn c = h(cfg).connected(V3_1_1, "c");
            c.sendBytes(RawPacket.withFlags(MqttEncoder.encode(Publish.qos0("t", "x"), V3_1_1), 0b0110));
            return c.isClosed();
        });
        RULES.put(Fault.DISCONNECT_WITH_SESSION_EXPIRY, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn c = h.connected(V5, Connect.builder(V5).clientId("k").keepAlive(1).build());
            h.advance(1_501);
            return !c.expect(Disconnect.class).properties().has(PropertyId.SESSION_EXPIRY_INTERVAL);
        });
        RULES.put(Fault.AUTH_METHOD_NOT_ECHOED, cfg -> {
            CoreHarness h = h(cfg.user("alice", "secret"));
            Scram.Client client = new Scram.Client("alice", "secret", new Random(3));
            CoreHarness.Conn c = h.open(V5, "a");
            c.send(Connect.builder(V5).clientId("a").properties(Properties.builder()
                    .string(PropertyId.AUTHENTICATION_METHOD, Scram.METHOD)
                    .binary(PropertyId.AUTHENTICATION_DATA, BinaryData.wrap(client.clientFirst())).build()).build());
            byte[] fin = client.clientFinal(c.expect(Auth.class).properties().binary(PropertyId.AUTHENTICATION_DATA).toByteArray());
            c.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION.value(), Properties.builder()
                    .string(PropertyId.AUTHENTICATION_METHOD, Scram.METHOD)
                    .binary(PropertyId.AUTHENTICATION_DATA, BinaryData.wrap(fin)).build()));
            return c.expect(Connack.class).properties().has(PropertyId.AUTHENTICATION_METHOD);
        });
    }

    // ---------------------------------------------------------------- faults added for the suite's self-check

    private static BrokerConfig.Builder limited(BrokerConfig.Builder cfg) {
        return cfg.limits(BrokerConfig.Limits.DEFAULTS.withMaximumQos(1).without(true, false, false, false));
    }

    private static byte[] cat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A CONNECT whose Password flag is set without the User Name flag: malformed (not the reserved flag, not the level). */
    private static byte[] malformedConnect(MqttVersion v) {
        byte[] c = MqttEncoder.encode(Connect.builder(v).clientId("c").build(), v);
        return RawPacket.withBodyByte(c, 7, 0x42);
    }

    private static boolean noAcceptingConnack(List<Packet> ps) {
        return ps.stream().noneMatch(p -> p instanceof Connack && ((Connack) p).reasonCode() == 0);
    }

    private static Connect scramConnect(Scram.Client client) {
        return Connect.builder(V5).clientId("a").properties(Properties.builder()
                .string(PropertyId.AUTHENTICATION_METHOD, Scram.METHOD)
                .binary(PropertyId.AUTHENTICATION_DATA, BinaryData.wrap(client.clientFirst())).build()).build();
    }

    private static Auth scramFinal(Scram.Client client, Auth first) {
        byte[] fin = client.clientFinal(first.properties().binary(PropertyId.AUTHENTICATION_DATA).toByteArray());
        return new Auth(ReasonCode.CONTINUE_AUTHENTICATION.value(), Properties.builder()
                .string(PropertyId.AUTHENTICATION_METHOD, Scram.METHOD)
                .binary(PropertyId.AUTHENTICATION_DATA, BinaryData.wrap(fin)).build());
    }

    private static Properties subId(long id) {
        return Properties.of(Property.number(PropertyId.SUBSCRIPTION_IDENTIFIER, id));
    }

    /** The subscription identifiers of the copies of one message on a/b, with 'a/#' (id 1) and 'a/b' (id 2). */
    private static List<Long> identifiersOfOverlap(BrokerConfig.Builder cfg) {
        CoreHarness h = h(cfg);
        CoreHarness.Conn s = h.connected(V5, "s");
        s.subscribe(subId(1), TopicSubscription.of("a/#", QoS.AT_MOST_ONCE));
        s.subscribe(subId(2), TopicSubscription.of("a/b", QoS.AT_MOST_ONCE));
        publish0(h, V5, "a/b", "x", false);
        List<Long> ids = new java.util.ArrayList<>();
        for (Publish p : s.publishes()) {
            ids.addAll(p.properties().numbers(PropertyId.SUBSCRIPTION_IDENTIFIER));
        }
        java.util.Collections.sort(ids);
        return ids;
    }

    static {
        RULES.put(Fault.PROTOCOL_NAME_NOT_CHECKED, cfg -> {
            CoreHarness.Conn c = h(cfg).open(V3_1_1, "c");
            byte[] b = MqttEncoder.encode(Connect.builder(V3_1_1).clientId("c").build(), V3_1_1);
            b[7] = 'X'; // "MQTX"
            c.sendBytes(b);
            return noAcceptingConnack(c.take());
        });
        RULES.put(Fault.UNSUPPORTED_PROTOCOL_LEVEL_KEPT_OPEN, cfg -> {
            CoreHarness.Conn c = h(cfg).open(V3_1_1, "c");
            c.sendBytes(RawPacket.withBodyByte(MqttEncoder.encode(Connect.builder(V3_1_1).clientId("c").build(), V3_1_1), 6, 2));
            return c.isClosed();
        });
        RULES.put(Fault.CONNECT_RESERVED_FLAG_NOT_CHECKED, cfg -> {
            CoreHarness.Conn c = h(cfg).open(V5, "c");
            c.sendBytes(RawPacket.withBodyByte(MqttEncoder.encode(Connect.builder(V5).clientId("c").build(), V5), 7, 0x03));
            return c.isClosed();
        });
        RULES.put(Fault.MALFORMED_CONNECT_NOT_CLOSED, cfg -> {
            CoreHarness.Conn c = h(cfg).open(V5, "c");
            c.sendBytes(malformedConnect(V5));
            return c.isClosed();
        });
        RULES.put(Fault.MALFORMED_CONNECT_ANSWERED_WITH_CONNACK, cfg -> {
            CoreHarness.Conn c = h(cfg).open(V3_1_1, "c");
            c.sendBytes(malformedConnect(V3_1_1));
            return c.isClosed() && !any(c.take(), Connack.class);
        });
        RULES.put(Fault.DISCONNECT_BEFORE_CONNACK, cfg -> {
            CoreHarness.Conn c = h(cfg).open(V5, "c");
            c.sendBytes(malformedConnect(V5));
            return c.isClosed() && !any(c.take(), Disconnect.class);
        });
        RULES.put(Fault.CLIENT_ID_OF_23_BYTES_REFUSED, cfg ->
                h(cfg).open(V5, "c").connect(Connect.builder(V5).clientId("abcdefghijklmnopqrstuvw").build()).reasonCode() == 0);
        RULES.put(Fault.ASSIGNED_CLIENT_ID_NOT_UNIQUE, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn a = h.open(V5, "a");
            Connack ackA = a.connect(Connect.builder(V5).clientId("").build());
            Connack ackB = h.open(V5, "b").connect(Connect.builder(V5).clientId("").build());
            return !a.isClosed() && !ackA.properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER)
                    .equals(ackB.properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER));
        });
        RULES.put(Fault.LONG_CLIENT_ID_REFUSED_WITHOUT_CLOSE, cfg -> {
            CoreHarness.Conn c = h(cfg).open(V3_1_1, "c");
            Connack ack = c.connect(Connect.builder(V3_1_1).clientId("abcdefghijklmnopqrstuvwxyz0123").build());
            return ack.reasonCode() == 0 || c.isClosed();
        });
        RULES.put(Fault.ACCEPTED_WITH_REFUSAL_CODE, cfg ->
                h(cfg).open(V3_1_1, "c").connect(Connect.builder(V3_1_1).clientId("c").build()).reasonCode() == 0);
        RULES.put(Fault.SESSION_PRESENT_FOR_NEW_SESSION, cfg ->
                !h(cfg).open(V3_1_1, "c").connect(persistent(V3_1_1, "s")).sessionPresent());
        RULES.put(Fault.NEW_PERSISTENT_SESSION_NOT_KEPT, cfg -> {
            CoreHarness h = h(cfg);
            h.connected(V5, persistent(V5, "s")).disconnect();
            return h.open(V5, "s2").connect(persistent(V5, "s")).sessionPresent();
        });
        RULES.put(Fault.QUEUED_SENT_BEFORE_CONNACK, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V3_1_1, persistent(V3_1_1, "s"));
            s.subscribe("q", QoS.AT_LEAST_ONCE);
            s.disconnect();
            h.connected(V3_1_1, "p").send(Publish.of("q", "x", QoS.AT_LEAST_ONCE, 1, false));
            CoreHarness.Conn again = h.open(V3_1_1, "s2");
            again.send(persistent(V3_1_1, "s"));
            return again.received.size() == 2 && again.received.get(0) instanceof Connack;
        });
        RULES.put(Fault.SECOND_CONNECT_ANSWERED, cfg -> {
            CoreHarness.Conn c = h(cfg).connected(V5, "c");
            c.send(Connect.builder(V5).clientId("c").build());
            return c.received.stream().filter(Connack.class::isInstance).count() == 1 && c.isClosed();
        });
        RULES.put(Fault.CONNACK_RESERVED_FLAGS_SET, cfg -> {
            CoreHarness.Conn c = h(cfg).connected(V5, "c");
            return (c.wire.get(0)[2] & 0xFE) == 0;
        });
        RULES.put(Fault.CONNACK_311_RETURN_CODES, cfg -> {
            CoreHarness.Conn c = h(cfg).open(V5, "c");
            Connack ack = c.connect(Connect.builder(V5).clientId("c")
                    .property(Property.string(PropertyId.AUTHENTICATION_METHOD, "nope")).build());
            return ReasonCode.of(ack.reasonCode(), dev.mqttharness.spec.packet.PacketType.CONNACK) != null;
        });
        RULES.put(Fault.REFUSED_CONNECT_DATA_PROCESSED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn w = watcher(h, V3_1_1, "t");
            CoreHarness.Conn c = h.open(V3_1_1, "c");
            c.sendBytes(cat(MqttEncoder.encodeUnchecked(Connect.builder(V3_1_1).clientId("").cleanStart(false).build(), V3_1_1),
                    MqttEncoder.encode(Publish.qos0("t", "after"), V3_1_1)));
            return w.publishes().isEmpty();
        });
        RULES.put(Fault.BAD_PASSWORD_KEPT_OPEN, cfg -> {
            CoreHarness.Conn c = h(cfg.user("u", "p")).open(V5, "c");
            c.connect(Connect.builder(V5).clientId("c").username("u").password("bad").build());
            return c.isClosed();
        });

        // -- limits
        RULES.put(Fault.MAXIMUM_QOS_NOT_ANNOUNCED, cfg ->
                h(limited(cfg)).open(V5, "c").connect(Connect.builder(V5).clientId("c").build()).properties()
                        .has(PropertyId.MAXIMUM_QOS));
        RULES.put(Fault.QOS2_SUBSCRIPTION_REFUSED_WHEN_LIMITED, cfg ->
                h(limited(cfg)).connected(V5, "c").subscribe("a", QoS.EXACTLY_ONCE).reasonCodes().equals(List.of(1)));
        RULES.put(Fault.WILL_QOS_ABOVE_MAXIMUM_ACCEPTED, cfg ->
                h(limited(cfg)).open(V5, "c").connect(Connect.builder(V5).clientId("c")
                        .will(Will.of("w", "x", QoS.EXACTLY_ONCE, false)).build()).reasonCode()
                        == ReasonCode.QOS_NOT_SUPPORTED.value());
        RULES.put(Fault.RETAINED_WILL_ACCEPTED_WITHOUT_RETAIN, cfg ->
                h(limited(cfg)).open(V5, "c").connect(Connect.builder(V5).clientId("c")
                        .will(Will.of("w", "x", QoS.AT_MOST_ONCE, true)).build()).reasonCode()
                        == ReasonCode.RETAIN_NOT_SUPPORTED.value());
        for (Fault f : new Fault[] {Fault.REASON_STRING_IGNORES_MAXIMUM_PACKET_SIZE, Fault.USER_PROPERTY_IGNORES_MAXIMUM_PACKET_SIZE}) {
            RULES.put(f, cfg -> {
                CoreHarness h = h(cfg);
                CoreHarness.Conn c = h.open(V5, "c");
                Connack ack = c.connect(Connect.builder(V5).clientId("c")
                        .property(Property.number(PropertyId.MAXIMUM_PACKET_SIZE, 16))
                        .property(Property.string(PropertyId.AUTHENTICATION_METHOD, "nope")).build());
                CoreHarness.Conn s = h.connected(V5, Connect.builder(V5).clientId("s")
                        .property(Property.number(PropertyId.MAXIMUM_PACKET_SIZE, 8)).build());
                s.send(Subscribe.of(1, "a", QoS.AT_MOST_ONCE));
                return c.wire.get(0).length <= 16 && s.wire.get(s.wire.size() - 1).length <= 8;
            });
        }

        // -- authentication
        RULES.put(Fault.UNSUPPORTED_AUTH_METHOD_KEPT_OPEN, cfg -> {
            CoreHarness.Conn c = h(cfg).open(V5, "c");
            c.connect(Connect.builder(V5).clientId("c").property(Property.string(PropertyId.AUTHENTICATION_METHOD, "nope")).build());
            return c.isClosed();
        });
        RULES.put(Fault.AUTH_CONTINUE_WRONG_REASON_CODE, cfg -> {
            CoreHarness.Conn c = h(cfg.user("alice", "secret")).open(V5, "a");
            c.send(scramConnect(new Scram.Client("alice", "secret", new Random(3))));
            return c.expect(Auth.class).reasonCode() == ReasonCode.CONTINUE_AUTHENTICATION.value();
        });
        RULES.put(Fault.FAILED_AUTHENTICATION_KEPT_OPEN, cfg -> {
            CoreHarness.Conn c = h(cfg.user("alice", "secret")).open(V5, "a");
            Scram.Client client = new Scram.Client("alice", "wrong", new Random(3));
            c.send(scramConnect(client));
            c.send(scramFinal(client, c.expect(Auth.class)));
            return c.isClosed();
        });
        RULES.put(Fault.AUTH_METHOD_ANNOUNCED_UNASKED, cfg ->
                !h(cfg).open(V5, "c").connect(Connect.builder(V5).clientId("c").build()).properties()
                        .has(PropertyId.AUTHENTICATION_METHOD));

        // -- will, retain, sessions
        RULES.put(Fault.WILL_KEPT_AFTER_DISCONNECT, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn w = watcher(h, V3_1_1, "will/#");
            h.connected(V3_1_1, Connect.builder(V3_1_1).clientId("c").cleanStart(false).will(will("will/a", false)).build())
                    .disconnect();
            CoreHarness.Conn again = h.open(V3_1_1, "c2");
            again.connect(persistent(V3_1_1, "c"));
            again.lose();
            return w.publishes().isEmpty();
        });
        RULES.put(Fault.WILL_USER_PROPERTIES_REORDERED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn w = watcher(h, V5, "will/#");
            Properties props = Properties.builder().userProperty("a", "1").userProperty("b", "2").build();
            h.connected(V5, Connect.builder(V5).clientId("c").will(will("will/a", false).withProperties(props)).build()).lose();
            return w.publishes().get(0).properties().userProperties().equals(props.userProperties());
        });
        RULES.put(Fault.RETAINED_DELETED_WITH_SESSION, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn p = h.connected(V3_1_1, "p");
            p.send(Publish.of("r", "kept", QoS.AT_MOST_ONCE, 0, true));
            p.disconnect();
            return lateSubscriber(h, V3_1_1, "r").size() == 1;
        });
        RULES.put(Fault.RETAINED_QOS0_IGNORED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn p = h.connected(V3_1_1, "p");
            p.publish("r", "old", QoS.AT_LEAST_ONCE, true);
            p.publish("r", "new", QoS.AT_MOST_ONCE, true);
            List<Publish> got = lateSubscriber(h, V3_1_1, "r");
            return got.size() == 1 && got.get(0).payload().toUtf8().equals("new");
        });

        // -- delivery
        RULES.put(Fault.PLUS_MATCHES_SEVERAL_LEVELS, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V3_1_1, "s");
            s.subscribe("a/+", QoS.AT_MOST_ONCE);
            publish0(h, V3_1_1, "a/b/c", "x", false);
            return s.publishes().isEmpty();
        });
        RULES.put(Fault.OVERLAP_LOWEST_QOS, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V3_1_1, "s");
            s.subscribe("a/#", QoS.AT_MOST_ONCE);
            s.subscribe("a/b", QoS.EXACTLY_ONCE);
            h.connected(V3_1_1, "p").send(Publish.of("a/b", "x", QoS.EXACTLY_ONCE, 1, false));
            List<Publish> got = s.publishes();
            return got.size() == 1 && got.get(0).qos() == QoS.EXACTLY_ONCE;
        });
        RULES.put(Fault.UNAUTHORIZED_PUBLISH_NOT_ACKNOWLEDGED, cfg -> {
            CoreHarness h = h(cfg.acl(List.of(new BrokerConfig.AclRule("*", BrokerConfig.AclRule.Access.PUBLISH, "no", false))));
            CoreHarness.Conn p = h.connected(V3_1_1, "p");
            p.send(Publish.of("no", "x", QoS.AT_LEAST_ONCE, 1, false));
            return any(p.take(), Puback.class) || p.isClosed();
        });
        RULES.put(Fault.TOPIC_ALIAS_ABOVE_CLIENT_MAXIMUM, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V5, Connect.builder(V5).clientId("s")
                    .property(Property.number(PropertyId.TOPIC_ALIAS_MAXIMUM, 1)).build());
            s.subscribe("t/#", QoS.AT_MOST_ONCE);
            publish0(h, V5, "t/1", "x", false);
            publish0(h, V5, "t/2", "x", false);
            return s.publishes().stream().allMatch(p -> s.alias(p) <= 1);
        });
        RULES.put(Fault.CLIENT_TOPIC_ALIAS_MAXIMUM_REFUSED, cfg -> {
            CoreHarness.Conn p = h(cfg).connected(V5, "p");
            p.send(Publish.qos0("t", "x").withProperties(Properties.of(
                    Property.number(PropertyId.TOPIC_ALIAS, BrokerConfig.Limits.DEFAULTS.topicAliasMaximum()))));
            return !p.isClosed();
        });
        RULES.put(Fault.SUBSCRIPTION_IDENTIFIERS_ONLY_FIRST, cfg -> identifiersOfOverlap(cfg).equals(List.of(1L, 2L)));
        RULES.put(Fault.COPY_PER_SUBSCRIPTION_WRONG_IDENTIFIER, cfg -> identifiersOfOverlap(cfg).equals(List.of(1L, 2L)));
        RULES.put(Fault.NON_PUBLISH_HELD_AT_RECEIVE_MAXIMUM, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V5, Connect.builder(V5).clientId("s")
                    .property(Property.number(PropertyId.RECEIVE_MAXIMUM, 1)).build());
            s.subscribe("q", QoS.AT_LEAST_ONCE);
            h.connected(V5, "p").send(Publish.of("q", "x", QoS.AT_LEAST_ONCE, 1, false));
            s.expect(Publish.class); // not acknowledged: the quota is used up
            s.ping();
            return any(s.take(), Pingresp.class);
        });
        RULES.put(Fault.TOPIC_MATCHING_IGNORES_CASE, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V5, "s");
            s.subscribe("A/b", QoS.AT_MOST_ONCE);
            publish0(h, V5, "a/b", "x", false);
            return s.publishes().isEmpty();
        });
        RULES.put(Fault.WEBSOCKET_SUBPROTOCOL_NOT_SELECTED, FaultSwitchTest::webSocketSelectsMqtt);

        // -- subscribe, unsubscribe
        RULES.put(Fault.WILDCARD_GRANTED_BUT_NEVER_MATCHED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V3_1_1, "s");
            int code = s.subscribe("w/#", QoS.AT_MOST_ONCE).reasonCodes().get(0);
            publish0(h, V3_1_1, "w/a", "x", false);
            return code == 0x80 || s.publishes().size() == 1;
        });
        RULES.put(Fault.SUBSCRIBE_BAD_OPTIONS_NOT_CLOSED, cfg -> {
            CoreHarness.Conn c = h(cfg).connected(V3_1_1, "c");
            byte[] b = MqttEncoder.encode(Subscribe.of(1, "a", QoS.AT_MOST_ONCE), V3_1_1);
            b[b.length - 1] = 0x03; // requested QoS 3 (MQTT-3.8.3-4)
            c.sendBytes(b);
            return c.isClosed();
        });
        RULES.put(Fault.SUBACK_MISSING_ON_RESUBSCRIBE, cfg -> {
            CoreHarness.Conn c = h(cfg).connected(V3_1_1, "c");
            c.subscribe("a", QoS.AT_MOST_ONCE);
            c.send(Subscribe.of(2, "a", QoS.AT_LEAST_ONCE));
            return any(c.take(), Suback.class);
        });
        RULES.put(Fault.SUBSCRIBE_ONLY_FIRST_FILTER, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V3_1_1, "s");
            s.subscribe(TopicSubscription.of("a", QoS.AT_MOST_ONCE), TopicSubscription.of("b", QoS.AT_MOST_ONCE));
            publish0(h, V3_1_1, "b", "x", false);
            return s.publishes().size() == 1;
        });
        RULES.put(Fault.SUBACK_SINGLE_CODE, cfg -> h(cfg).connected(V5, "s")
                .subscribe(TopicSubscription.of("a", QoS.AT_MOST_ONCE), TopicSubscription.of("b", QoS.AT_MOST_ONCE))
                .reasonCodes().size() == 2);
        RULES.put(Fault.SUBACK_CODES_REVERSED, cfg -> h(cfg).connected(V3_1_1, "s")
                .subscribe(TopicSubscription.of("a", QoS.EXACTLY_ONCE), TopicSubscription.of("b", QoS.AT_MOST_ONCE))
                .reasonCodes().equals(List.of(2, 0)));
        RULES.put(Fault.SUBACK_UNDEFINED_FAILURE_CODE, cfg -> {
            int code = h(cfg).connected(V3_1_1, "s").subscribe("$x/y", QoS.AT_MOST_ONCE).reasonCodes().get(0);
            return code <= 2 || code == 0x80;
        });
        RULES.put(Fault.SUBACK_GRANTS_MAXIMUM_QOS, cfg ->
                h(cfg).connected(V3_1_1, "s").subscribe("a", QoS.AT_MOST_ONCE).reasonCodes().equals(List.of(0)));
        RULES.put(Fault.RESUBSCRIBE_SENDS_NO_RETAINED, cfg -> {
            CoreHarness h = h(cfg);
            publish0(h, V3_1_1, "r", "kept", true);
            CoreHarness.Conn s = h.connected(V3_1_1, "s");
            s.subscribe("r", QoS.AT_MOST_ONCE);
            s.subscribe("r", QoS.AT_MOST_ONCE);
            return s.publishes().size() == 2;
        });
        RULES.put(Fault.UNSUBSCRIBE_MATCHES_WILDCARDS, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V3_1_1, "s");
            s.subscribe("a/+", QoS.AT_MOST_ONCE);
            s.unsubscribe("a/b");
            publish0(h, V3_1_1, "a/c", "x", false);
            return s.publishes().size() == 1;
        });
        RULES.put(Fault.UNSUBSCRIBE_ABANDONS_INFLIGHT, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V3_1_1, "s");
            s.subscribe("q", QoS.EXACTLY_ONCE);
            h.connected(V3_1_1, "p").send(Publish.of("q", "x", QoS.EXACTLY_ONCE, 1, false));
            Publish got = s.expect(Publish.class);
            s.unsubscribe("q");
            s.send(new Pubrec(got.packetId()));
            return any(s.take(), Pubrel.class);
        });
        RULES.put(Fault.UNSUBACK_WRONG_PACKET_ID, cfg -> {
            CoreHarness.Conn c = h(cfg).connected(V3_1_1, "c");
            c.send(Unsubscribe.of(5, "a"));
            return c.expect(Unsuback.class).packetId() == 5;
        });
        RULES.put(Fault.UNSUBSCRIBE_ONLY_FIRST_FILTER, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V3_1_1, "s");
            s.subscribe(TopicSubscription.of("a", QoS.AT_MOST_ONCE), TopicSubscription.of("b", QoS.AT_MOST_ONCE));
            s.unsubscribe("a", "b");
            publish0(h, V3_1_1, "b", "x", false);
            return s.publishes().isEmpty();
        });
        RULES.put(Fault.UNSUBACK_CODES_REVERSED, cfg -> {
            CoreHarness.Conn s = h(cfg).connected(V5, "s");
            s.subscribe("a", QoS.AT_MOST_ONCE);
            return s.unsubscribe("a", "none").reasonCodes().equals(List.of(0x00, 0x11));
        });
        RULES.put(Fault.UNSUBACK_UNDEFINED_CODE, cfg ->
                h(cfg).connected(V5, "s").unsubscribe("none").reasonCodes().equals(List.of(0x11)));
        RULES.put(Fault.DISCONNECT_RESERVED_FLAGS_IGNORED, cfg -> {
            CoreHarness.Conn c = h(cfg).connected(V3_1_1, "c");
            c.sendBytes(RawPacket.withFlags(MqttEncoder.encode(Disconnect.NORMAL, V3_1_1), 0b0001));
            return c.isClosed();
        });

        // -- shared subscriptions
        RULES.put(Fault.SHARED_QOS_NOT_DOWNGRADED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn m = h.connected(V5, "m");
            m.subscribe("$share/g/q", QoS.AT_MOST_ONCE);
            h.connected(V5, "p").send(Publish.of("q", "x", QoS.AT_LEAST_ONCE, 1, false));
            return m.publishes().get(0).qos() == QoS.AT_MOST_ONCE;
        });
        RULES.put(Fault.SHARED_INFLIGHT_NOT_RESUMED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn m = h.connected(V5, persistent(V5, "m"));
            m.subscribe("$share/g/q", QoS.EXACTLY_ONCE);
            h.connected(V5, "p").send(Publish.of("q", "x", QoS.EXACTLY_ONCE, 1, false));
            m.expect(Publish.class);
            m.lose();
            CoreHarness.Conn again = h.open(V5, "m2");
            again.connect(persistent(V5, "m"));
            return again.publishes().size() == 1;
        });
        RULES.put(Fault.SHARED_INFLIGHT_REDISPATCHED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn a = h.connected(V5, "a");
            a.subscribe("$share/g/q", QoS.EXACTLY_ONCE);
            CoreHarness.Conn b = h.connected(V5, "b");
            b.subscribe("$share/g/q", QoS.EXACTLY_ONCE);
            h.connected(V5, "p").send(Publish.of("q", "x", QoS.EXACTLY_ONCE, 1, false));
            boolean toA = a.publishes().size() == 1;
            a.lose(); // Session Expiry 0: the session ends mid delivery
            return toA && b.publishes().isEmpty();
        });
        RULES.put(Fault.SHARED_REFUSED_REDISPATCHED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn a = h.connected(V5, "a");
            a.subscribe("$share/g/q", QoS.AT_LEAST_ONCE);
            CoreHarness.Conn b = h.connected(V5, "b");
            b.subscribe("$share/g/q", QoS.AT_LEAST_ONCE);
            h.connected(V5, "p").send(Publish.of("q", "x", QoS.AT_LEAST_ONCE, 1, false));
            Publish got = a.expect(Publish.class);
            a.send(new Puback(got.packetId(), ReasonCode.UNSPECIFIED_ERROR.value(), Properties.EMPTY));
            return b.publishes().isEmpty();
        });
    }

    /** A real broker with a WebSocket listener: does the handshake select the subprotocol 'mqtt' (MQTT-6.0.0-4)? */
    private static boolean webSocketSelectsMqtt(BrokerConfig.Builder cfg) {
        try (dev.mqttharness.broker.ReferenceBroker broker = dev.mqttharness.broker.ReferenceBroker.start(
                cfg.webSocket(0, "/mqtt").build());
             java.net.Socket socket = new java.net.Socket("127.0.0.1", broker.webSocketPort())) {
            socket.setSoTimeout(5_000);
            String request = "GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: mqtt\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            StringBuilder head = new StringBuilder();
            java.io.InputStream in = socket.getInputStream();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.append((char) b);
            }
            return head.toString().toLowerCase(java.util.Locale.ROOT).contains("sec-websocket-protocol: mqtt\r\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A persistent subscriber leaves a QoS 1 message unacknowledged, drops, resumes: is it re-sent (with DUP)? */
    private static boolean resentOnResume(BrokerConfig.Builder cfg, boolean checkDup) {
        CoreHarness h = h(cfg);
        CoreHarness.Conn s = h.connected(V3_1_1, persistent(V3_1_1, "s"));
        s.subscribe("q", QoS.AT_LEAST_ONCE);
        h.connected(V3_1_1, "p").send(Publish.of("q", "x", QoS.AT_LEAST_ONCE, 1, false));
        s.expect(Publish.class);
        s.lose();
        CoreHarness.Conn again = h.open(V3_1_1, "s2");
        again.connect(persistent(V3_1_1, "s"));
        List<Publish> got = again.publishes();
        return got.size() == 1 && (!checkDup || got.get(0).dup());
    }

    /** Three QoS 1 messages published while a persistent subscriber is away, as it receives them on resume. */
    private static List<Publish> offlineQueue(BrokerConfig.Builder cfg) {
        CoreHarness h = h(cfg);
        CoreHarness.Conn s = h.connected(V3_1_1, persistent(V3_1_1, "s"));
        s.subscribe("q", QoS.AT_LEAST_ONCE);
        s.disconnect();
        CoreHarness.Conn p = h.connected(V3_1_1, "p");
        for (int i = 0; i < 3; i++) {
            p.send(Publish.of("q", "m" + i, QoS.AT_LEAST_ONCE, i + 1, false));
        }
        CoreHarness.Conn again = h.open(V3_1_1, "s2");
        again.connect(persistent(V3_1_1, "s"));
        return again.publishes();
    }

    /** A message with Message Expiry {@code seconds} queued for an absent subscriber who resumes after {@code ms}. */
    private static List<Publish> expiringQueue(BrokerConfig.Builder cfg, long seconds, long ms) {
        CoreHarness h = h(cfg);
        CoreHarness.Conn s = h.connected(V5, persistent(V5, "s"));
        s.subscribe("q", QoS.AT_LEAST_ONCE);
        s.disconnect();
        h.connected(V5, "p").send(Publish.of("q", "x", QoS.AT_LEAST_ONCE, 1, false)
                .withProperties(Properties.of(Property.number(PropertyId.MESSAGE_EXPIRY_INTERVAL, seconds))));
        h.advance(ms);
        CoreHarness.Conn again = h.open(V5, "s2");
        again.connect(persistent(V5, "s"));
        return again.publishes();
    }

    /** Message properties arrive as sent: same values, User Properties in the same order (MQTT-3.3.2-17, -18). */
    private static boolean propertiesForwardedUnaltered(BrokerConfig.Builder cfg) {
        CoreHarness h = h(cfg);
        CoreHarness.Conn s = h.connected(V5, "s");
        s.subscribe("q", QoS.AT_MOST_ONCE);
        Properties sent = Properties.builder()
                .number(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)
                .string(PropertyId.CONTENT_TYPE, "text/plain")
                .string(PropertyId.RESPONSE_TOPIC, "reply/here")
                .binary(PropertyId.CORRELATION_DATA, BinaryData.of("corr"))
                .userProperty("a", "1")
                .userProperty("b", "2")
                .build();
        h.connected(V5, "p").send(Publish.qos0("q", "x").withProperties(sent));
        return s.publishes().get(0).properties().equals(sent);
    }
}
