package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.codec.ByteWriter;
import dev.mqttharness.spec.codec.RawPacket;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.util.List;
import java.util.Set;

/**
 * Handling errors (3.1.1 §4.8, 5.0 §4.13): a malformed packet or protocol error makes the broker close
 * the connection, in 5.0 preferably after DISCONNECT (or CONNACK) with the reason code; a CONNACK or
 * DISCONNECT with a code of 0x80 or above always ends with the close.
 */
@ScenarioSuite
class MalformedPacketScenarios {

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-4.8.0-1")
    @Verifies(version = V5, value = {"MQTT-4.13.1-1", "MQTT-4.13.2-1", "§4.13.1"})
    void a_string_running_past_the_end_of_its_packet_closes_the_connection(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("sub");
        // the Topic Filter's length prefix says 200 bytes; the Remaining Length leaves 4 after it
        ByteWriter w = SubscribeScenarios.subscribeHeader(ctx, p.nextPacketId()).u16(200).bytes("mh/x".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        p.sendRaw(RawPacket.of(PacketType.SUBSCRIBE).body(w).toBytes(), "SUBSCRIBE whose Topic Filter length runs past the packet");
        judge(ctx, p, "a string longer than the rest of its packet is malformed");
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-4.8.0-1")
    @Verifies(version = V5, value = {"MQTT-4.13.1-1", "MQTT-4.13.2-1", "§4.13.1"})
    void bytes_after_the_last_field_close_the_connection(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("ping");
        // PINGREQ has no variable header and no payload: Remaining Length 2 with two stray bytes
        p.sendRaw(RawPacket.of(PacketType.PINGREQ).body(new byte[] {0x01, 0x02}).toBytes(), "PINGREQ with two bytes of body");
        judge(ctx, p, "a PINGREQ with a body is malformed");
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-4.8.0-1")
    @Verifies(version = V5, value = {"MQTT-4.13.1-1", "MQTT-4.13.2-1", "§4.13.1"})
    void a_subscribe_too_short_for_its_fields_closes_the_connection(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("sub");
        // Remaining Length 1: not even room for the Packet Identifier
        p.sendRaw(RawPacket.of(PacketType.SUBSCRIBE).body(new byte[] {0x00}).toBytes(), "SUBSCRIBE with a one-byte body");
        judge(ctx, p, "a SUBSCRIBE shorter than its Packet Identifier is malformed");
    }

    /** Closes as 3.1.1 MQTT-4.8.0-1 / 5.0 MQTT-4.13.1-1 require; in 5.0 any error DISCONNECT is followed by the close (MQTT-4.13.2-1). */
    private static void judge(ScenarioContext ctx, ProbeClient p, String check) {
        Outcomes.Reaction r = Outcomes.expectClose(ctx, p, List.of(SubscribeScenarios.errorRule(ctx)), check,
                Outcomes.malformedOrProtocolError());
        if (ctx.v5()) {
            judgeClosedAfterErrorCode(ctx, r);
        }
    }

    /**
     * MQTT-4.13.2-1: once the broker gives a code of 0x80 or above (or closes without sending it), the
     * connection is closed. A broker that noticed nothing (no code, still open) fails MQTT-4.13.1-1;
     * this statement then has nothing to judge.
     */
    static void judgeClosedAfterErrorCode(ScenarioContext ctx, Outcomes.Reaction r) {
        String check = "the connection is closed whenever an error code applies";
        String expected = "close (after a code of 0x80 or above, if any)";
        if (r.reasonCode() != null && r.reasonCode() >= 0x80 || r.closed()) {
            ctx.check("MQTT-4.13.2-1", r.closed(), check, expected, r.description());
        } else {
            ctx.verdict("MQTT-4.13.2-1", dev.mqttharness.spec.verdict.Verdict.NOT_TESTED, check, expected,
                    "no error code was given and the connection stayed open: " + r.description());
        }
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-4.13.2-1")
    void a_refusing_connack_is_followed_by_the_close(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.open("connect");
        // Receive Maximum 0 is a Protocol Error (§3.1.2.11.3): the broker refuses with CONNACK 0x80 or above, or just closes
        Connect c = ctx.connectBuilder("connect").property(Property.number(PropertyId.RECEIVE_MAXIMUM, 0)).build();
        p.sendUnchecked(c);
        Outcomes.Reaction r = Outcomes.react(p);
        String check = "a CONNACK with an error code is followed by the close";
        String expected = "CONNACK " + Set.of(ReasonCode.PROTOCOL_ERROR, ReasonCode.MALFORMED_PACKET) + " (or none), then the close";
        if (r.reasonCode() != null && r.reasonCode() < 0x80) {
            // accepted: a matter for the CONNECT rules; no error code applied here
            ctx.verdict("MQTT-4.13.2-1", dev.mqttharness.spec.verdict.Verdict.NOT_TESTED, check, expected,
                    "the broker accepted Receive Maximum 0: " + r.description());
            return;
        }
        ctx.check("MQTT-4.13.2-1", r.closed(), check, expected, r.description());
    }
}
