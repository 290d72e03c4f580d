package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.Endpoint;
import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.codec.ByteWriter;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.ReturnCode311;
import dev.mqttharness.spec.verdict.Verdict;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Lifecycle;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.opentest4j.TestAbortedException;

/**
 * CONNECT (3.1.1 and 5.0 §3.1, §3.1.2.1, §3.1.2.2, §3.1.4): CONNECT first and only once, protocol
 * name and level, MQTT 3.1, the response to a valid CONNECT, session takeover, data after a refused
 * CONNECT, and user name / password authentication.
 */
@ScenarioSuite
class ConnectScenarios {

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.1.0-1")
    @Verifies(version = V5, value = {"MQTT-3.1.0-1", "MQTT-3.14.0-1"})
    void first_packet_other_than_connect_closes_the_connection(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.open("early");
        // a PUBLISH before any CONNECT (MQTT-3.1.0-1); the broker must close without processing it
        p.send(Publish.qos0(ctx.topic("early"), "before CONNECT"));
        // 5.0 §4.13.1 lets a CONNACK with 0x81 / 0x82 precede the close; 3.1.1 has no CONNACK for it
        Lifecycle.expectConnectRefused(ctx, p, "MQTT-3.1.0-1", "a packet other than CONNECT first is a protocol violation",
                Set.of(), Outcomes.malformedOrProtocolError());
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.1.0-2")
    @Verifies(version = V5, value = {"MQTT-3.1.0-2", Outcomes.V5_SHOULD_SEND_REASON, "MQTT-3.14.2-1", "MQTT-3.14.2-2",
            "MQTT-3.14.4-1", "MQTT-3.14.4-2", "MQTT-3.2.0-2"})
    void second_connect_closes_the_connection(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("twice");
        // MQTT-3.1.0-2: a second CONNECT is a protocol violation (5.0: Protocol Error, DISCONNECT 0x82);
        // the trace checks count the CONNACKs (5.0 MQTT-3.2.0-2)
        p.send(ctx.connectBuilder("twice").build());
        Lifecycle.expectClose(ctx, p, "MQTT-3.1.0-2", "a second CONNECT closes the connection",
                Set.of(ReasonCode.PROTOCOL_ERROR.value()), Long.MAX_VALUE);
        if (ctx.v5()) {
            // the second CONNECT must not be answered like the first
            long connacks = Lifecycle.received(ctx, p).stream().filter(x -> x instanceof Connack).count();
            ctx.check("MQTT-3.2.0-2", connacks == 1, "at most one CONNACK per connection", "one CONNACK",
                    connacks + " CONNACKs on the connection");
        }
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.1.2-1")
    @Verifies(version = V5, value = {"MQTT-3.1.2-1", "MQTT-3.14.0-1"})
    void protocol_name_other_than_mqtt_is_not_accepted(ScenarioContext ctx) throws Exception {
        MqttVersion v = ctx.version();
        ByteWriter body = Lifecycle.connectHeader("MQTX", v.level(), Lifecycle.CLEAN, v.isV5()).utf8(ctx.clientId("name"));
        ProbeClient p = ctx.open("name");
        p.sendRaw(Lifecycle.connectPacket(body), "CONNECT with protocol name 'MQTX'");
        if (ctx.v5()) {
            // 5.0 MQTT-3.1.2-1: close, optionally after CONNACK 0x84
            Lifecycle.expectConnectRefused(ctx, p, "MQTT-3.1.2-1", "a CONNECT not named 'MQTT' is refused",
                    Set.of(), Set.of(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION.value()));
            return;
        }
        // 3.1.1 MQTT-3.1.2-1: the broker may close, or handle the bytes under another protocol, but must
        // not go on as MQTT 3.1.1: no successful CONNACK and no answer to a PINGREQ
        Outcomes.Reaction r = Outcomes.react(p);
        boolean accepted = r.answeredLater() || (r.packet() != null && r.packet().startsWith("CONNACK")
                && r.reasonCode() != null && r.reasonCode() == 0);
        ctx.check("MQTT-3.1.2-1", !accepted, "a CONNECT not named 'MQTT' is not handled as MQTT 3.1.1",
                "a close (or no MQTT answer at all), never CONNACK 0x00 or PINGRESP", r.description());
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.1.2-2", "MQTT-3.2.2-4", "MQTT-3.2.2-5"})
    @Verifies(version = V5, value = {"MQTT-3.1.2-2", "MQTT-3.2.2-6", "MQTT-3.2.2-7", "MQTT-3.2.2-8", "MQTT-3.14.0-1"})
    void unsupported_protocol_level_is_refused(ScenarioContext ctx) throws Exception {
        // 3.1.1: level 2 was never an MQTT level, so the broker answers in the 3.1.1 layout; 5.0: level 6
        // does not exist yet, and a 5.0 broker refuses it in the 5.0 layout (CONNACK 0x84 allowed)
        int level = ctx.v5() ? 6 : 2;
        ByteWriter body = Lifecycle.connectHeader("MQTT", level, Lifecycle.CLEAN, ctx.v5()).utf8(ctx.clientId("level"));
        if (ctx.v5()) {
            // which layout a broker answers an unknown level in is not settled by the spec: read the bytes raw
            ProbeClient raw = ctx.open("level", ProbeClient.Options.DEFAULT.withTimeout(ctx.timeout()).withoutDecoding());
            raw.sendRaw(Lifecycle.connectPacket(body), "CONNECT with protocol level " + level);
            judgeUnknownLevelV5(ctx, raw);
            return;
        }
        ProbeClient p = ctx.open("level");
        p.sendRaw(Lifecycle.connectPacket(body), "CONNECT with protocol level " + level);
        Outcomes.Reaction r = Outcomes.react(p);
        Connack ack = Lifecycle.lastReceived(ctx, p, Connack.class);
        // MQTT-3.1.2-2 (3.1.1): CONNACK 0x01, then the broker closes
        ctx.check("MQTT-3.1.2-2", ack != null && ack.reasonCode() == ReturnCode311.UNACCEPTABLE_PROTOCOL_VERSION && r.closed(),
                "an unsupported protocol level is answered with CONNACK 0x01 and a close",
                "CONNACK 0x01, then close", r.description());
        if (ack == null) {
            ctx.verdict("MQTT-3.2.2-4", Verdict.NOT_TESTED, "Session Present 0 in a refusing CONNACK", "", "no CONNACK came");
            ctx.verdict("MQTT-3.2.2-5", Verdict.NOT_TESTED, "close after a refusing CONNACK", "", "no CONNACK came");
            return;
        }
        ctx.check("MQTT-3.2.2-4", !ack.sessionPresent(), "Session Present 0 in a refusing CONNACK", "Session Present 0",
                PacketFormat.describe(ack));
        if (ack.reasonCode() != 0) {
            ctx.check("MQTT-3.2.2-5", r.closed(), "the broker closes after a refusing CONNACK", "close", r.description());
        } else {
            ctx.verdict("MQTT-3.2.2-5", Verdict.NOT_TESTED, "close after a refusing CONNACK", "", "the CONNACK accepted");
        }
    }

    @Scenario(versions = V3_1_1)
    @Verifies(version = V3_1_1, value = "MQTT-3.1.2-2")
    void mqtt_3_1_connect_is_accepted_or_refused_with_0x01(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.MQTT_3_1);
        // MQTT 3.1 ("MQIsdp", level 3): a broker may support it; if it does not, MQTT-3.1.2-2 asks for 0x01
        ProbeClient p = ctx.open("v31");
        Connect c = Connect.builder(MqttVersion.V3_1).clientId(ctx.clientId("v31")).cleanStart(true).build();
        Optional<Connack> ack = p.connect(c);
        if (ack.isPresent() && ack.get().reasonCode() == 0) {
            p.barrier();
            ctx.pass("MQTT-3.1.2-2", "MQTT 3.1 is supported: accepted and served",
                    PacketFormat.describe(ack.get()) + ", then PINGRESP");
            p.disconnect();
            return;
        }
        boolean closed = p.awaitClosed();
        String observed = ack.map(PacketFormat::describe).orElse("no CONNACK") + (closed ? ", then closed" : ", left open");
        ctx.check("MQTT-3.1.2-2", ack.isPresent() && ack.get().reasonCode() == ReturnCode311.UNACCEPTABLE_PROTOCOL_VERSION && closed,
                "a broker without MQTT 3.1 refuses it with CONNACK 0x01 and closes",
                "CONNACK 0x00, or CONNACK 0x01 then close", observed);
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.1.4-2")
    @Verifies(version = V5, value = {"MQTT-3.1.4-3", "MQTT-3.14.2-1", "MQTT-3.14.2-2", "MQTT-3.14.2-3",
            "MQTT-3.14.2-4", "MQTT-3.14.4-1", "MQTT-3.14.4-2"})
    void connecting_with_a_client_identifier_in_use_closes_the_older_connection(ScenarioContext ctx) throws Exception {
        // a small Maximum Packet Size, so a Reason String in the takeover DISCONNECT must be left out if it does not fit
        long mps = 48;
        UnaryOperator<Connect.Builder> small = b -> ctx.v5()
                ? b.property(Property.number(PropertyId.MAXIMUM_PACKET_SIZE, mps)) : b;
        ProbeClient first = ctx.connect("first", small);
        first.barrier();
        Lifecycle.reconnect(ctx, "second", "first", UnaryOperator.identity());
        if (!ctx.v5()) {
            boolean closed = first.awaitClosed();
            ctx.check("MQTT-3.1.4-2", closed, "the older connection of a Client Identifier is closed",
                    "the first connection closes", closed ? "closed (" + first.closedEvent().reason() + ")"
                            : "still open after " + ctx.timeout().toMillis() + " ms");
            return;
        }
        Optional<Disconnect> d = first.await(Disconnect.class);
        List<String> disconnectIds = List.of("MQTT-3.14.2-1", "MQTT-3.14.2-2", "MQTT-3.14.2-3", "MQTT-3.14.2-4",
                "MQTT-3.14.4-1", "MQTT-3.14.4-2");
        if (d.isEmpty()) {
            boolean closed = first.awaitClosed();
            String observed = closed ? "closed without DISCONNECT (" + first.closedEvent().reason() + ")"
                    : "no DISCONNECT and still open after " + ctx.timeout().toMillis() + " ms";
            if (closed) {
                // MUST close; the DISCONNECT 0x8E is how §4.13 says to tell the client
                ctx.nonStrict("MQTT-3.1.4-3", "the older connection is closed after DISCONNECT 0x8E",
                        "DISCONNECT 0x8E, then close", observed);
            } else {
                ctx.fail("MQTT-3.1.4-3", "the older connection is closed", "DISCONNECT 0x8E, then close", observed);
            }
            for (String id : disconnectIds) {
                ctx.verdict(id, Verdict.NOT_TESTED, "broker DISCONNECT", "", "no DISCONNECT to judge: " + observed);
            }
            return;
        }
        Lifecycle.AfterDisconnect after = Lifecycle.judgeServerDisconnect(ctx, first, d.get(), mps);
        ctx.check("MQTT-3.1.4-3", d.get().reasonCode() == ReasonCode.SESSION_TAKEN_OVER.value() && after.closed(),
                "the older connection gets DISCONNECT 0x8E and is closed", "DISCONNECT 0x8E, then close",
                PacketFormat.describe(d.get()) + "; " + after.description());
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.1.4-5")
    @Verifies(version = V5, value = {"MQTT-3.1.4-6", "MQTT-3.1.2-30"})
    void data_sent_after_a_refused_connect_is_not_processed(ScenarioContext ctx) throws Exception {
        String topic = ctx.topic("after");
        ProbeClient sub = ctx.connect("sub");
        sub.subscribe(topic, QoS.AT_MOST_ONCE);
        // a CONNECT the broker must refuse — 3.1.1: zero-length Client Identifier with Clean Session 0
        // (MQTT-3.1.3-8); 5.0: an Authentication Method no broker knows (MQTT-4.12.0-1) — and, in the
        // same write, a PUBLISH the broker must not act on (3.1.1 MQTT-3.1.4-5, 5.0 MQTT-3.1.4-6; in 5.0
        // it also breaks MQTT-3.1.2-30, as only AUTH or DISCONNECT may follow such a CONNECT)
        Connect c = ctx.v5()
                ? ctx.connectBuilder("refused").property(Property.string(PropertyId.AUTHENTICATION_METHOD, "mh-no-such-method")).build()
                : ctx.connectBuilder("refused").clientId("").cleanStart(false).build();
        byte[] connect = MqttEncoder.encodeUnchecked(c, ctx.version());
        byte[] publish = MqttEncoder.encode(Publish.qos0(topic, "after a refused CONNECT"), ctx.version());
        byte[] both = new byte[connect.length + publish.length];
        System.arraycopy(connect, 0, both, 0, connect.length);
        System.arraycopy(publish, 0, both, connect.length, publish.length);
        ProbeClient p = ctx.open("refused");
        p.sendRaw(both, PacketFormat.describe(c) + " + PUBLISH '" + topic + "' in one write");
        Optional<Connack> ack = p.await(Connack.class);
        if (ack.isPresent() && ack.get().reasonCode() == 0) {
            throw new TestAbortedException("the broker accepted the CONNECT meant to be refused ("
                    + PacketFormat.describe(ack.get()) + "); judged by its own scenario");
        }
        p.awaitClosed();
        List<Publish> leaked = Lifecycle.sentinel(sub, topic);
        String observed = leaked.isEmpty() ? "only the sentinel arrived" : "received " + Lifecycle.describe(leaked);
        String id = ctx.v5() ? "MQTT-3.1.4-6" : "MQTT-3.1.4-5";
        ctx.check(id, leaked.isEmpty(), "nothing after a refused CONNECT is processed",
                "the PUBLISH after the refused CONNECT is not delivered", observed);
        if (ctx.v5()) {
            ctx.check("MQTT-3.1.2-30", leaked.isEmpty(), "a PUBLISH before the CONNACK of an authenticating CONNECT is not acted on",
                    "the PUBLISH is not delivered", observed);
        }
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.2.2-5")
    @Verifies(version = V5, value = {"MQTT-3.1.4-2", "MQTT-3.2.2-7", "MQTT-3.2.2-8"})
    void wrong_credentials_are_refused_and_the_connection_closed(ScenarioContext ctx) throws Exception {
        Endpoint ep = ctx.endpoint();
        boolean configured = ep.username() != null;
        // with credentials configured, the right user with a wrong password; otherwise an unknown user,
        // which an anonymous broker may accept (authentication is a SHOULD / MAY, 5.0 MQTT-3.1.4-2)
        String user = configured ? ep.username() : "mh-unknown-user";
        Connect c = Connect.builder(ctx.version()).clientId(ctx.clientId("creds")).cleanStart(true)
                .username(user).password("mh-wrong-" + Long.toHexString(System.nanoTime())).build();
        ProbeClient p = ctx.open("creds");
        Optional<Connack> ack = p.connect(c);
        if (ack.isPresent() && ack.get().reasonCode() == 0) {
            String observed = "accepted: " + PacketFormat.describe(ack.get());
            if (ctx.v5()) {
                if (configured) {
                    ctx.nonStrict("MQTT-3.1.4-2", "the broker authenticates the client",
                            "a wrong password refused and the connection closed", observed);
                } else {
                    ctx.info("MQTT-3.1.4-2", "an anonymous broker accepts any user name", observed);
                }
            }
            p.disconnect();
            throw new TestAbortedException("no refusal to judge: " + observed);
        }
        boolean closed = p.awaitClosed();
        String observed = ack.map(PacketFormat::describe).orElse("no CONNACK") + (closed ? ", then closed" : ", left open");
        if (ctx.v5()) {
            ctx.check("MQTT-3.1.4-2", closed, "a failed authentication closes the connection", "close", observed);
        }
        if (ack.isEmpty()) {
            // refusing without a CONNACK is allowed; there is no CONNACK to judge
            throw new TestAbortedException("refused without a CONNACK: " + observed);
        }
        int rc = ack.get().reasonCode();
        if (ctx.v5()) {
            ctx.check("MQTT-3.2.2-8", ReasonCode.of(rc, PacketType.CONNACK) != null, "a CONNACK reason code from the table",
                    "a defined CONNACK reason code", observed);
            ctx.check("MQTT-3.2.2-7", closed, "a CONNACK 0x80 or above is followed by a close", "close", observed);
        } else {
            ctx.check("MQTT-3.2.2-5", closed, "a non-zero CONNACK return code is followed by a close", "close", observed);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Judges a 5.0 refusing CONNACK: Session Present 0, a defined code, and the close after a code 0x80+. */
    static void judgeRefusingConnack(ScenarioContext ctx, Connack ack, Outcomes.Reaction r) {
        if (ack == null) {
            for (String id : List.of("MQTT-3.2.2-6", "MQTT-3.2.2-7", "MQTT-3.2.2-8")) {
                ctx.verdict(id, Verdict.NOT_TESTED, "refusing CONNACK", "", "no CONNACK came: " + r.description());
            }
            return;
        }
        String observed = PacketFormat.describe(ack) + "; " + r.description();
        ctx.check("MQTT-3.2.2-6", !ack.sessionPresent(), "Session Present 0 in a refusing CONNACK", "Session Present 0", observed);
        ctx.check("MQTT-3.2.2-8", ReasonCode.of(ack.reasonCode(), PacketType.CONNACK) != null,
                "a CONNACK reason code from the table", "a defined CONNACK reason code", observed);
        ctx.check("MQTT-3.2.2-7", ack.reasonCode() < 0x80 || r.closed(), "a CONNACK 0x80 or above is followed by a close",
                "close", observed);
    }

    /**
     * 5.0 MQTT-3.1.2-2 for a protocol level no version defines: the broker MAY answer CONNACK 0x84
     * and MUST close. A CONNACK in the 3.1.1 layout with return code 0x01 is what a 3.1.1 reading
     * asks for; neither version rules out that layout for a level it does not know, so it is
     * accepted (the 5.0 CONNACK statements are then not applicable). Any other answer, or staying
     * open (a later PINGREQ answered), fails.
     */
    static void judgeUnknownLevelV5(ScenarioContext ctx, ProbeClient raw) throws java.io.IOException {
        try {
            raw.sendRaw(new byte[] {(byte) 0xC0, 0x00}, "PINGREQ (must not be answered)");
        } catch (java.io.IOException closedAlready) {
            // the broker closed at once: the close event below tells
        }
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        boolean closed = false;
        while (true) {
            java.util.Optional<ProbeClient.Event> e = raw.next(ctx.timeout());
            if (e.isEmpty()) {
                break;
            }
            if (e.get() instanceof ProbeClient.ClosedEvent) {
                closed = true;
                break;
            }
            if (e.get() instanceof ProbeClient.BytesEvent) {
                got.writeBytes(((ProbeClient.BytesEvent) e.get()).bytes());
            }
        }
        byte[] b = got.toByteArray();
        String hex = b.length == 0 ? "nothing" : java.util.HexFormat.ofDelimiter(" ").formatHex(b);
        String observed = "received " + hex + (closed ? ", then the connection closed" : ", and the connection stayed open");
        // the layout is told by the length and the code; the flags byte is judged below (Session Present, MQTT-3.2.2-6)
        boolean v5Layout = b.length >= 4 && (b[0] & 0xFF) == 0x20 && (b[1] & 0xFF) == b.length - 2 && (b[2] & 0xFF) <= 1
                && (b[3] & 0xFF) == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION.value();
        boolean v311Layout = b.length == 4 && (b[0] & 0xFF) == 0x20 && b[1] == 2 && b[2] == 0
                && b[3] == ReturnCode311.UNACCEPTABLE_PROTOCOL_VERSION;
        boolean ok = closed && (b.length == 0 || v5Layout || v311Layout);
        ctx.check("MQTT-3.1.2-2", ok, "an unknown protocol level is refused and the connection closed",
                "close, optionally after CONNACK 0x84 (or the 3.1.1 CONNACK 0x01); never a later PINGRESP", observed);
        if (v5Layout) {
            ctx.check("MQTT-3.2.2-6", (b[2] & 0x01) == 0, "Session Present 0 in a refusing CONNACK", "Session Present 0", observed);
            ctx.pass("MQTT-3.2.2-8", "a CONNACK reason code from the table", observed);
            ctx.check("MQTT-3.2.2-7", closed, "a CONNACK 0x80 or above is followed by a close", "close", observed);
        } else {
            String why = b.length == 0 ? "no CONNACK came" : "the CONNACK used the 3.1.1 layout";
            for (String id : List.of("MQTT-3.2.2-6", "MQTT-3.2.2-7", "MQTT-3.2.2-8")) {
                ctx.verdict(id, Verdict.NOT_TESTED, "refusing CONNACK in the 5.0 layout", "", why + ": " + observed);
            }
        }
        ctx.check("MQTT-3.14.0-1", true, "no DISCONNECT before a successful CONNACK", "no DISCONNECT", observed);
    }
}
