package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.StringPair;
import dev.mqttharness.spec.packet.Utf8String;
import dev.mqttharness.spec.verdict.Verdict;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * PUBLISH properties (5.0 §3.3.2.3): the application message's properties reach every subscriber
 * unaltered (Payload Format Indicator, Response Topic, Correlation Data, User Properties in order,
 * Content Type); ill-formed or forbidden values from a client are refused with a close; the
 * request / response pattern works end to end.
 */
@ScenarioSuite
class PublishPropertiesScenarios {
    private static final byte[] CORRELATION = {0x00, 0x01, (byte) 0xFF, 0x00, 0x7F, (byte) 0x80};
    private static final List<StringPair> USER_PROPERTIES = List.of(
            StringPair.of("k", "v1"), StringPair.of("a", "b"), StringPair.of("k", "v2"), StringPair.of("k", "v1"),
            StringPair.of("\u00e9t\u00e9", "\u6c34"), StringPair.of("", ""));

    private static Properties messageProperties(String responseTopic) {
        Properties.Builder b = Properties.builder()
                .number(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)
                .string(PropertyId.CONTENT_TYPE, "text/plain; charset=utf-8")
                .string(PropertyId.RESPONSE_TOPIC, responseTopic)
                .binary(PropertyId.CORRELATION_DATA, BinaryData.of(CORRELATION));
        for (StringPair u : USER_PROPERTIES) {
            b.add(Property.userProperty(u));
        }
        return b.build();
    }

    private static String props(Publish p) {
        return PacketFormat.describe(p) + " " + p.properties();
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-3.3.2-4", "MQTT-3.3.2-15", "MQTT-3.3.2-16", "MQTT-3.3.2-17", "MQTT-3.3.2-18",
            "MQTT-3.3.2-20"})
    void message_properties_reach_every_subscriber_unaltered(ScenarioContext ctx) throws Exception {
        String topic = ctx.topic("props");
        String responseTopic = ctx.topic("reply/\u00fc");
        ProbeClient one = ctx.connect("sub1", b -> b, Messages.autoAck(ctx));
        one.subscribe(topic, QoS.AT_LEAST_ONCE);
        ProbeClient two = ctx.connect("sub2", b -> b, Messages.autoAck(ctx));
        two.subscribe(topic, QoS.AT_MOST_ONCE);
        ProbeClient pub = ctx.connect("pub");
        Properties sent = messageProperties(responseTopic);
        pub.publish(Publish.of(topic, "h\u00e9llo", QoS.AT_LEAST_ONCE, 0, false).withProperties(sent));
        for (ProbeClient sub : List.of(one, two)) {
            Optional<Publish> got = sub.awaitPublish(topic);
            if (got.isEmpty()) {
                String why = Messages.nothing(sub, "PUBLISH");
                for (String id : List.of("MQTT-3.3.2-4", "MQTT-3.3.2-15", "MQTT-3.3.2-16", "MQTT-3.3.2-17",
                        "MQTT-3.3.2-18", "MQTT-3.3.2-20")) {
                    ctx.fail(id, "the message reaches every subscriber", "the message at " + sub.name(), why);
                }
                continue;
            }
            Properties p = got.get().properties();
            String seen = sub.name() + " received " + props(got.get());
            ctx.check("MQTT-3.3.2-4", p.number(PropertyId.PAYLOAD_FORMAT_INDICATOR, -1) == 1,
                    "the Payload Format Indicator is forwarded unaltered", "Payload Format Indicator 1", seen);
            ctx.check("MQTT-3.3.2-15", Objects.equals(p.string(PropertyId.RESPONSE_TOPIC), Utf8String.of(responseTopic)),
                    "the Response Topic is forwarded unaltered", "Response Topic '" + responseTopic + "'", seen);
            ctx.check("MQTT-3.3.2-16", Objects.equals(p.binary(PropertyId.CORRELATION_DATA), BinaryData.of(CORRELATION)),
                    "the Correlation Data is forwarded unaltered", "Correlation Data " + BinaryData.of(CORRELATION).toHex(), seen);
            List<StringPair> users = p.userProperties();
            ctx.check("MQTT-3.3.2-17", users.size() == USER_PROPERTIES.size() && users.containsAll(USER_PROPERTIES),
                    "every User Property is forwarded unaltered", USER_PROPERTIES.toString(), seen);
            if (users.size() == USER_PROPERTIES.size() && users.containsAll(USER_PROPERTIES)) {
                ctx.check("MQTT-3.3.2-18", users.equals(USER_PROPERTIES), "User Properties keep their order",
                        USER_PROPERTIES.toString(), seen);
            } else {
                // missing or altered ones are MQTT-3.3.2-17's finding; their order cannot be judged
                ctx.verdict("MQTT-3.3.2-18", Verdict.NOT_TESTED, "User Properties keep their order",
                        USER_PROPERTIES.toString(), seen);
            }
            ctx.check("MQTT-3.3.2-20", Objects.equals(p.string(PropertyId.CONTENT_TYPE), Utf8String.of("text/plain; charset=utf-8")),
                    "the Content Type is forwarded unaltered", "Content Type 'text/plain; charset=utf-8'", seen);
        }
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-3.3.2-15", "MQTT-3.3.2-16"})
    void request_and_response_carry_response_topic_and_correlation_data(ScenarioContext ctx) throws Exception {
        String requests = ctx.topic("requests");
        ProbeClient responder = ctx.connect("responder", b -> b, Messages.autoAck(ctx));
        responder.subscribe(requests, QoS.AT_LEAST_ONCE);
        // the requester asks for Response Information (§3.1.2.11.6); the broker may or may not give any
        ProbeClient requester = ctx.connect("requester",
                b -> b.property(Property.number(PropertyId.REQUEST_RESPONSE_INFORMATION, 1)), Messages.autoAck(ctx));
        Connack ack = ctx.connackOf(requester);
        Utf8String info = ack == null ? null : ack.properties().string(PropertyId.RESPONSE_INFORMATION);
        String replies = ctx.topic("replies");
        requester.subscribe(replies, QoS.AT_LEAST_ONCE);
        BinaryData correlation = BinaryData.of(new byte[] {0x10, 0x00, 0x20});
        requester.publish(Publish.of(requests, "question", QoS.AT_LEAST_ONCE, 0, false).withProperties(Properties.builder()
                .string(PropertyId.RESPONSE_TOPIC, replies).binary(PropertyId.CORRELATION_DATA, correlation).build()));
        Optional<Publish> request = responder.awaitPublish(requests);
        String infoNote = info == null ? "CONNACK without Response Information" : "Response Information '" + info + "'";
        if (request.isEmpty()) {
            String why = Messages.nothing(responder, "request") + "; " + infoNote;
            ctx.fail("MQTT-3.3.2-15", "the request reaches the responder", "the request", why);
            ctx.fail("MQTT-3.3.2-16", "the request reaches the responder", "the request", why);
            return;
        }
        Utf8String rt = request.get().properties().string(PropertyId.RESPONSE_TOPIC);
        BinaryData cd = request.get().properties().binary(PropertyId.CORRELATION_DATA);
        ctx.check("MQTT-3.3.2-15", rt != null && rt.toString().equals(replies), "the request's Response Topic reaches the responder",
                "Response Topic '" + replies + "'", props(request.get()) + "; " + infoNote);
        ctx.check("MQTT-3.3.2-16", correlation.equals(cd), "the request's Correlation Data reaches the responder",
                correlation.toHex(), props(request.get()));
        if (rt == null) {
            return;
        }
        // the responder answers on the topic it was given, echoing the correlation data
        responder.publish(Publish.of(rt.toString(), "answer", QoS.AT_LEAST_ONCE, 0, false).withProperties(
                cd == null ? Properties.EMPTY : Properties.of(Property.binary(PropertyId.CORRELATION_DATA, cd))));
        Optional<Publish> response = requester.awaitPublish(replies);
        ctx.check("MQTT-3.3.2-16", response.isPresent()
                        && correlation.equals(response.get().properties().binary(PropertyId.CORRELATION_DATA)),
                "the response carries the Correlation Data back to the requester", correlation.toHex(),
                response.map(PublishPropertiesScenarios::props).orElse(Messages.nothing(requester, "response")));
    }

    /** A QoS 1 PUBLISH on {@code topic} with one raw property (identifier, then its encoded value). */
    private static Publish withProperty(String topic, Property p) {
        return Publish.of(topic, "p", QoS.AT_LEAST_ONCE, 1, false).withProperties(Properties.of(p));
    }

    private static Utf8String illFormed() {
        return Utf8String.unchecked(new byte[] {'r', '/', (byte) 0xC3, 0x28});
    }

    /** Sends {@code bad} while a subscriber listens on its topic, and judges that the broker closes. */
    private static void expectRefused(ScenarioContext ctx, String id, Publish bad, String check) throws Exception {
        ProbeClient sub = ctx.connect("sub", b -> b, Messages.autoAck(ctx));
        sub.subscribe(bad.topic().toString(), QoS.AT_LEAST_ONCE);
        ProbeClient pub = ctx.connect("pub");
        pub.sendUnchecked(bad);
        Outcomes.expectClose(ctx, pub, id, check, Outcomes.malformedOrProtocolError());
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-3.3.2-13")
    void ill_formed_response_topic_closes_the_connection(ScenarioContext ctx) throws Exception {
        expectRefused(ctx, "MQTT-3.3.2-13", withProperty(ctx.topic("rt"), Property.string(PropertyId.RESPONSE_TOPIC, illFormed())),
                "a Response Topic that is not UTF-8 is a Malformed Packet: the broker closes");
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-3.3.2-19")
    void ill_formed_content_type_closes_the_connection(ScenarioContext ctx) throws Exception {
        expectRefused(ctx, "MQTT-3.3.2-19", withProperty(ctx.topic("ct"), Property.string(PropertyId.CONTENT_TYPE, illFormed())),
                "a Content Type that is not UTF-8 is a Malformed Packet: the broker closes");
    }

    // The next two rules bind the sender only; the standard does not call breaking them a Malformed Packet or
    // a Protocol Error, so a broker that does not check them breaks nothing it must do (NON_STRICT), while
    // one that notices must close (MQTT-4.13.1-1).

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-3.3.2-14", "MQTT-4.13.1-1"})
    void response_topic_with_wildcards_closes_the_connection(ScenarioContext ctx) throws Exception {
        String topic = ctx.topic("rtw");
        expectRefusedOrTolerated(ctx, "MQTT-3.3.2-14",
                withProperty(topic, Property.string(PropertyId.RESPONSE_TOPIC, Utf8String.of(topic + "/reply/#"))),
                "a Response Topic with a wildcard is refused");
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-3.3.4-6", "MQTT-4.13.1-1"})
    void subscription_identifier_from_a_client_closes_the_connection(ScenarioContext ctx) throws Exception {
        expectRefusedOrTolerated(ctx, "MQTT-3.3.4-6",
                withProperty(ctx.topic("sid"), Property.number(PropertyId.SUBSCRIPTION_IDENTIFIER, 7)),
                "a PUBLISH from a client with a Subscription Identifier is refused");
    }

    private static void expectRefusedOrTolerated(ScenarioContext ctx, String id, Publish bad, String check) throws Exception {
        // no subscriber: a broker that tolerates the PUBLISH would forward it as it is, and the
        // forwarded copy would only repeat what is judged here
        ProbeClient pub = ctx.connect("pub");
        pub.sendUnchecked(bad);
        Outcomes.expectCloseOrLenient(ctx, pub, id, "MQTT-4.13.1-1", check, Outcomes.malformedOrProtocolError());
    }
}
