package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Puback;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.trace.TraceEvent;
import dev.mqttharness.suite.framework.Lifecycle;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CONNECT properties (5.0 §3.1.2.11): the limits a client announces — Maximum Packet Size, Topic
 * Alias Maximum — and what it asks for — Request Response Information, Request Problem Information —
 * bind what the broker sends it. The trace checks judge every packet against them; these scenarios
 * set the limits and provoke the packets that could break them.
 */
@ScenarioSuite
class ConnectPropertiesScenarios {

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-3.1.2-25")
    void message_too_large_for_the_client_is_dropped_and_later_ones_delivered(ScenarioContext ctx) throws Exception {
        String topic = ctx.topic("sized");
        long mps = 128;
        ProbeClient sub = ctx.connect("sub", b -> b.property(Property.number(PropertyId.MAXIMUM_PACKET_SIZE, mps)));
        sub.subscribe(topic, QoS.AT_LEAST_ONCE);
        ProbeClient pub = ctx.connect("pub");
        // a message that cannot fit in 128 bytes, then one that does: the first is dropped as if sent
        // (MQTT-3.1.2-25), so it neither arrives nor blocks the second
        pub.publish(Publish.of(topic, "", QoS.AT_LEAST_ONCE, 0, false).withPayload(BinaryData.wrap(new byte[400])));
        pub.publish(Publish.of(topic, "small", QoS.AT_LEAST_ONCE, 0, false));
        Optional<Packet> small = sub.awaitPacket(p -> p instanceof Publish && ((Publish) p).payload().toUtf8().equals("small"),
                ctx.timeout());
        List<Publish> others = Lifecycle.drainPublishes(sub, topic);
        String observed = "small: " + small.map(PacketFormat::describe).orElse("missing") + "; also received "
                + Lifecycle.describe(others);
        ctx.check("MQTT-3.1.2-25", small.isPresent() && others.isEmpty(),
                "a message too large for the client is discarded and the next one delivered",
                "only the small message", observed);
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-3.1.2-26", "MQTT-3.1.2-27"})
    void topic_aliases_stay_within_what_each_client_allows(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.WILDCARD_SUBSCRIPTIONS);
        String base = ctx.topic("alias");
        int tam = 2;
        ProbeClient two = ctx.connect("two", b -> b.property(Property.number(PropertyId.TOPIC_ALIAS_MAXIMUM, tam)));
        ProbeClient none = ctx.connect("none");
        two.subscribe(base + "/#", QoS.AT_MOST_ONCE);
        none.subscribe(base + "/#", QoS.AT_MOST_ONCE);
        ProbeClient pub = ctx.connect("pub");
        // four topics, twice each: a broker that uses aliases has to reuse or replace its two
        List<String> sent = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int t = 0; t < 4; t++) {
                String topic = base + "/t" + t;
                pub.send(Publish.qos0(topic, round + ":" + t));
                sent.add(topic);
            }
        }
        pub.barrier();
        List<Publish> atTwo = collect(two, sent.size());
        List<Publish> atNone = collect(none, sent.size());
        // resolve aliases as the client must, and check every alias is within the client's maximum
        Map<Long, String> map = new HashMap<>();
        List<String> resolved = new ArrayList<>();
        boolean within = true;
        for (Publish p : atTwo) {
            String topic = p.topic().toString();
            if (p.properties().has(PropertyId.TOPIC_ALIAS)) {
                long alias = p.properties().number(PropertyId.TOPIC_ALIAS, 0);
                within &= alias >= 1 && alias <= tam;
                if (topic.isEmpty()) {
                    topic = map.getOrDefault(alias, "?");
                } else {
                    map.put(alias, topic);
                }
            }
            resolved.add(topic);
        }
        // order across different topics is not promised, so compare the topics as multisets
        List<String> a = new ArrayList<>(resolved);
        List<String> b = new ArrayList<>(sent);
        a.sort(null);
        b.sort(null);
        ctx.check("MQTT-3.1.2-26", within && a.equals(b), "Topic Aliases to a client stay within its maximum",
                "the 8 messages on their topics, aliases 1.." + tam, "resolved " + resolved);
        boolean noAlias = atNone.size() == sent.size();
        for (Publish p : atNone) {
            noAlias &= !p.properties().has(PropertyId.TOPIC_ALIAS);
        }
        ctx.check("MQTT-3.1.2-27", noAlias, "no Topic Alias to a client that did not allow any",
                "the 8 messages, none with a Topic Alias", atNone.size() + " messages: " + Lifecycle.describe(atNone));
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-3.1.2-28")
    void response_information_only_when_requested(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("rri", b -> b.property(Property.number(PropertyId.REQUEST_RESPONSE_INFORMATION, 0)));
        Connack ack = ctx.connackOf(p);
        ctx.check("MQTT-3.1.2-28", !ack.properties().has(PropertyId.RESPONSE_INFORMATION),
                "no Response Information when Request Response Information is 0", "a CONNACK without Response Information",
                PacketFormat.describe(ack));
        p.disconnect();
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-3.1.2-29")
    void problem_information_off_keeps_reason_strings_to_publish_connack_and_disconnect(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        ProbeClient p = ctx.connect("rpi", b -> b.property(Property.number(PropertyId.REQUEST_PROBLEM_INFORMATION, 0)));
        // acknowledgements that brokers like to explain: no matching subscribers, no such subscription,
        // and last a payload that is not the UTF-8 its Payload Format Indicator promises (0x99, which the
        // broker may also answer with DISCONNECT)
        p.publish(Publish.of(ctx.topic("nobody"), "x", QoS.AT_LEAST_ONCE, 0, false));
        p.publish(Publish.of(ctx.topic("nobody"), "y", QoS.EXACTLY_ONCE, 0, false));
        p.unsubscribe(ctx.topic("never"));
        p.subscribe(TopicSubscription.of(ctx.topic("ok"), QoS.AT_LEAST_ONCE));
        int id = p.nextPacketId();
        p.send(Publish.of(ctx.topic("nobody"), "", QoS.AT_LEAST_ONCE, id, false)
                .withPayload(BinaryData.wrap(new byte[] {(byte) 0xFF, (byte) 0xFE}))
                .withProperties(Properties.of(Property.number(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1))));
        p.awaitPacket(x -> x instanceof Puback
                && ((Puback) x).packetId() == id, ctx.timeout());
        List<String> explained = new ArrayList<>();
        for (TraceEvent e : ctx.trace().events()) {
            Packet pk = e.packet();
            if (e.kind() == TraceEvent.Kind.RECEIVED && pk != null && e.connection().equals("rpi")
                    && !(pk instanceof Publish) && !(pk instanceof Connack) && !(pk instanceof Disconnect)
                    && (pk.properties().has(PropertyId.REASON_STRING) || pk.properties().has(PropertyId.USER_PROPERTY))) {
                explained.add(PacketFormat.describe(pk));
            }
        }
        ctx.check("MQTT-3.1.2-29", explained.isEmpty(),
                "with Request Problem Information 0, no Reason String or User Property outside PUBLISH, CONNACK, DISCONNECT",
                "PUBACK, PUBREC, PUBCOMP, UNSUBACK, SUBACK without them",
                explained.isEmpty() ? "none carried them" : String.join(", ", explained));
    }

    /** Up to {@code n} PUBLISH packets, waiting for each (stops at the first that does not come). */
    private static List<Publish> collect(ProbeClient p, int n) {
        List<Publish> out = new ArrayList<>();
        while (out.size() < n) {
            Optional<Publish> next = p.await(Publish.class);
            if (next.isEmpty()) {
                break;
            }
            out.add(next.get());
        }
        return out;
    }
}
