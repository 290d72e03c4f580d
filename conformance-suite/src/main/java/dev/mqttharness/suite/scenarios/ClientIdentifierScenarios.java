package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.ReturnCode311;
import dev.mqttharness.spec.packet.Utf8String;
import dev.mqttharness.spec.verdict.Verdict;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Lifecycle;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.opentest4j.TestAbortedException;

/**
 * Client Identifier (3.1.1 and 5.0 §3.1.3.1): the identifiers every broker must accept, zero-length
 * identifiers (assigned, unique; refused without a clean session in 3.1.1), refused identifiers and
 * identifiers that are not UTF-8.
 */
@ScenarioSuite
class ClientIdentifierScenarios {

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.1.3-5")
    @Verifies(version = V5, value = "MQTT-3.1.3-5")
    void alphanumeric_identifiers_of_1_and_23_bytes_are_accepted(ScenarioContext ctx) throws Exception {
        // 23 bytes: the scenario's unique identifier padded with letters and digits
        String long23 = (ctx.clientId("l") + "abcdefghijklmnopqrstuvwxyz0123456789").substring(0, 23);
        // 1 byte: one character of the unique identifier (a clash with a parallel run is harmless: clean sessions, closed at once)
        String one = long23.substring(long23.length() - 1);
        for (String id : new String[] {one, long23}) {
            ProbeClient p = ctx.open("id" + id.length());
            Connect c = ctx.connectBuilder("x").clientId(id).build();
            Optional<Connack> ack = p.connect(c);
            boolean ok = ack.isPresent() && ack.get().reasonCode() == 0;
            ctx.check("MQTT-3.1.3-5", ok, "a " + id.length() + "-byte alphanumeric Client Identifier is accepted",
                    "CONNACK 0x00 for '" + id + "'", ack.map(PacketFormat::describe).orElse("no CONNACK"));
            p.disconnect();
        }
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.1.3-6")
    @Verifies(version = V5, value = {"MQTT-3.1.3-6", "MQTT-3.1.3-7", "MQTT-3.2.2-16"})
    void zero_length_identifiers_get_unique_identifiers(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.ZERO_LENGTH_CLIENT_ID);
        ProbeClient named = ctx.connect("named");
        ProbeClient a = ctx.open("anon1");
        Optional<Connack> ackA = a.connect(ctx.connectBuilder("x").clientId("").cleanStart(true).build());
        if (ackA.isEmpty() || ackA.get().reasonCode() != 0) {
            // accepting a zero-length identifier is a MAY; refusing it must follow the refusal rules
            String observed = ackA.map(PacketFormat::describe).orElse("no CONNACK");
            ctx.info("MQTT-3.1.3-6", "zero-length Client Identifiers are not accepted", observed);
            if (ctx.v5()) {
                ctx.verdict("MQTT-3.1.3-7", Verdict.NOT_TESTED, "Assigned Client Identifier", "", observed);
                ctx.verdict("MQTT-3.2.2-16", Verdict.NOT_TESTED, "Assigned Client Identifier", "", observed);
            }
            return;
        }
        ProbeClient b = ctx.open("anon2");
        Optional<Connack> ackB = b.connect(ctx.connectBuilder("x").clientId("").cleanStart(true).build());
        if (ackB.isEmpty() || ackB.get().reasonCode() != 0) {
            ctx.fail("MQTT-3.1.3-6", "a second zero-length Client Identifier is handled like the first",
                    "CONNACK 0x00", ackB.map(PacketFormat::describe).orElse("no CONNACK"));
            return;
        }
        // neither took the other over: both connections, and the named one, still answer
        StringBuilder alive = new StringBuilder();
        boolean allAlive = answers(a, alive) & answers(b, alive) & answers(named, alive);
        ctx.check("MQTT-3.1.3-6", allAlive, "each zero-length Client Identifier gets its own session",
                "both connections stay open (no takeover)", alive.toString());
        if (!ctx.v5()) {
            return;
        }
        Utf8String idA = ackA.get().properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER);
        Utf8String idB = ackB.get().properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER);
        String observed = "assigned '" + idA + "' and '" + idB + "' (named client '" + ctx.clientId("named") + "')";
        ctx.check("MQTT-3.1.3-7", idA != null && idB != null, "the CONNACK returns the Assigned Client Identifier",
                "an Assigned Client Identifier in both CONNACKs", observed);
        Set<String> ids = new LinkedHashSet<>();
        ids.add(ctx.clientId("named"));
        boolean unique = idA != null && idB != null && !idA.isEmpty() && ids.add(idA.toString()) && ids.add(idB.toString());
        ctx.check("MQTT-3.2.2-16", unique, "the Assigned Client Identifier is not used by another session",
                "two distinct identifiers, neither that of the named client", observed);
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-3.1.3-7", "MQTT-3.1.3-8"})
    void zero_length_identifier_with_clean_start_0_is_assigned_one_or_refused(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.ZERO_LENGTH_CLIENT_ID);
        // 5.0 drops the 3.1.1 rule tying a zero-length identifier to a clean start: the broker assigns an
        // identifier (and returns it, MQTT-3.1.3-7) or refuses it (a close, optionally CONNACK 0x85, MQTT-3.1.3-8)
        ProbeClient p = ctx.open("anon");
        p.send(ctx.connectBuilder("x").clientId("").cleanStart(false).build());
        Outcomes.Reaction r = Outcomes.react(p);
        Connack ack = Lifecycle.lastReceived(ctx, p, Connack.class);
        if (ack != null && ack.reasonCode() == 0 && !r.closed()) {
            Utf8String id = ack.properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER);
            ctx.check("MQTT-3.1.3-7", id != null && !id.isEmpty(), "the CONNACK returns the Assigned Client Identifier",
                    "an Assigned Client Identifier", PacketFormat.describe(ack));
            ctx.verdict("MQTT-3.1.3-8", Verdict.NOT_TESTED, "a refused Client Identifier", "", "accepted: " + PacketFormat.describe(ack));
            p.disconnect();
            return;
        }
        ctx.verdict("MQTT-3.1.3-7", Verdict.NOT_TESTED, "Assigned Client Identifier", "", "refused: " + r.description());
        ctx.check("MQTT-3.1.3-8", r.closed() && (ack == null || ack.reasonCode() >= 0x80),
                "a refused Client Identifier ends in a close", "close, optionally after CONNACK 0x85", r.description());
    }

    @Scenario(versions = V3_1_1)
    @Verifies(version = V3_1_1, value = {"MQTT-3.1.3-7", "MQTT-3.1.3-8", "MQTT-3.1.3-9", "MQTT-3.2.2-5"})
    void zero_length_identifier_without_clean_session_is_rejected(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.open("empty");
        // a client error (MQTT-3.1.3-7) the broker must answer with CONNACK 0x02 and a close (MQTT-3.1.3-8)
        p.sendUnchecked(ctx.connectBuilder("x").clientId("").cleanStart(false).build());
        Outcomes.Reaction r = Outcomes.react(p);
        Connack ack = Lifecycle.lastReceived(ctx, p, Connack.class);
        boolean ok = ack != null && ack.reasonCode() == ReturnCode311.IDENTIFIER_REJECTED && r.closed();
        String observed = r.description();
        ctx.check("MQTT-3.1.3-8", ok, "zero-length Client Identifier with Clean Session 0 is rejected",
                "CONNACK 0x02, then close", observed);
        ctx.check("MQTT-3.1.3-7", ok, "the broker refuses a zero-length Client Identifier without Clean Session",
                "CONNACK 0x02, then close", observed);
        ctx.check("MQTT-3.1.3-9", ok, "a rejected Client Identifier gets CONNACK 0x02 and a close",
                "CONNACK 0x02, then close", observed);
        if (ack != null && ack.reasonCode() != 0) {
            ctx.check("MQTT-3.2.2-5", r.closed(), "a non-zero CONNACK return code is followed by a close", "close", observed);
        } else {
            ctx.verdict("MQTT-3.2.2-5", Verdict.NOT_TESTED, "close after a refusing CONNACK", "", observed);
        }
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.1.3-9")
    @Verifies(version = V5, value = "MQTT-3.1.3-8")
    void unusual_client_identifier_is_accepted_or_properly_rejected(ScenarioContext ctx) throws Exception {
        // longer than 23 bytes and outside [0-9a-zA-Z]: a broker may accept it; if it refuses it, the
        // refusal must be CONNACK 0x02 (3.1.1) / an optional CONNACK 0x85 (5.0), then a close
        String id = ctx.clientId("odd") + "-with spaces/and+more#than 23 bytes-" + "\u00e9\u4e2d";
        ProbeClient p = ctx.open("odd");
        p.send(ctx.connectBuilder("x").clientId(id).build());
        Outcomes.Reaction r = Outcomes.react(p);
        Connack ack = Lifecycle.lastReceived(ctx, p, Connack.class);
        String id5 = "MQTT-3.1.3-8";
        if (ack != null && ack.reasonCode() == 0 && !r.closed()) {
            if (ctx.v5()) {
                ctx.info(id5, "the broker accepts an unusual Client Identifier", PacketFormat.describe(ack));
                p.disconnect();
                return;
            }
            p.disconnect();
            throw new TestAbortedException("the broker accepted '" + id + "': no refusal to judge");
        }
        if (ctx.v5()) {
            boolean codeOk = ack == null || ack.reasonCode() >= 0x80;
            ctx.check(id5, r.closed() && codeOk, "a refused Client Identifier ends in a close",
                    "close, optionally after CONNACK 0x85", r.description());
        } else {
            ctx.check("MQTT-3.1.3-9", r.closed() && ack != null && ack.reasonCode() == ReturnCode311.IDENTIFIER_REJECTED,
                    "a refused Client Identifier gets CONNACK 0x02 and a close", "CONNACK 0x02, then close", r.description());
        }
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.1.3-4")
    @Verifies(version = V5, value = {"MQTT-3.1.3-4", "MQTT-3.14.0-1"})
    void client_identifier_that_is_not_utf8_is_refused(ScenarioContext ctx) throws Exception {
        byte[] raw = {'m', 'h', (byte) 0xC0, (byte) 0xAF}; // an over-long encoding of '/'
        ProbeClient p = ctx.open("badid");
        p.sendUnchecked(ctx.connectBuilder("x").clientId(Utf8String.unchecked(raw)).build());
        // 3.1.1: close (MQTT-1.5.3-1), or CONNACK 0x02 then close; 5.0: close, optionally after 0x81 / 0x82 / 0x85
        Lifecycle.expectConnectRefused(ctx, p, "MQTT-3.1.3-4", "a Client Identifier that is not UTF-8 is refused",
                Set.of(ReturnCode311.IDENTIFIER_REJECTED),
                Set.of(ReasonCode.MALFORMED_PACKET.value(), ReasonCode.PROTOCOL_ERROR.value(),
                        ReasonCode.CLIENT_IDENTIFIER_NOT_VALID.value()));
    }

    /** True if {@code p} still answers a PINGREQ; appends what was seen to {@code out}. */
    private static boolean answers(ProbeClient p, StringBuilder out) throws java.io.IOException {
        if (out.length() > 0) {
            out.append("; ");
        }
        if (p.isClosed()) {
            out.append(p.name()).append(" closed (").append(p.closedEvent().reason()).append(')');
            return false;
        }
        try {
            p.barrier();
            out.append(p.name()).append(" answers PINGREQ");
            return true;
        } catch (ProbeClient.ExpectationTimeout e) {
            out.append(e.getMessage());
            return false;
        }
    }
}
