package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.auth.Scram;
import dev.mqttharness.client.Endpoint;
import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.codec.RawPacket;
import dev.mqttharness.spec.packet.Auth;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.Utf8String;
import dev.mqttharness.spec.verdict.Verdict;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Lifecycle;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import dev.mqttharness.suite.framework.Unsupported;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;
import org.opentest4j.TestAbortedException;

/**
 * Enhanced authentication and AUTH (5.0 §4.12, §3.15): an unknown Authentication Method is refused,
 * AUTH outside an exchange is a Protocol Error, and — where the target has credentials and speaks
 * SCRAM-SHA-256 — the exchange itself: AUTH 0x18 with the same method throughout, failures closing
 * the connection, and re-authentication.
 */
@ScenarioSuite
class EnhancedAuthScenarios {
    private static final String UNKNOWN_METHOD = "mh-no-such-method";
    /** A Maximum Packet Size for the client during the exchange: every broker AUTH must fit in it. */
    private static final long CLIENT_MPS = 512;

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-4.12.0-1", "MQTT-3.2.2-7", "MQTT-3.2.2-8"})
    void unsupported_authentication_method_is_refused(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.open("method");
        p.send(ctx.connectBuilder("method").property(Property.string(PropertyId.AUTHENTICATION_METHOD, UNKNOWN_METHOD)).build());
        // a broker may support any method, even one with this name: a success CONNACK that names the same
        // method (as MQTT-4.12.0-5 asks) says it does, and then MQTT-4.12.0-1 does not apply
        Optional<Connack> accepted = p.peekEvent(e -> e instanceof ProbeClient.ClosedEvent
                        || (e instanceof ProbeClient.PacketEvent && ((ProbeClient.PacketEvent) e).packet() instanceof Connack),
                ctx.timeout())
                .filter(e -> e instanceof ProbeClient.PacketEvent)
                .map(e -> (Connack) ((ProbeClient.PacketEvent) e).packet())
                .filter(a -> a.reasonCode() == 0);
        if (accepted.isPresent()) {
            String method = accepted.get().properties().string(PropertyId.AUTHENTICATION_METHOD) == null ? null
                    : accepted.get().properties().string(PropertyId.AUTHENTICATION_METHOD).toString();
            String observed = PacketFormat.describe(accepted.get());
            if (UNKNOWN_METHOD.equals(method)) {
                ctx.info("MQTT-4.12.0-1", "the broker accepted the Authentication Method, so it supports it", observed);
            } else {
                ctx.fail("MQTT-4.12.0-1", "an Authentication Method the broker does not support is refused",
                        "a refusal, or a success CONNACK naming the same method (the broker supports it)", observed);
            }
            ctx.verdict("MQTT-3.2.2-8", Verdict.NOT_TESTED, "refusing CONNACK", "", "the CONNECT was accepted");
            ctx.verdict("MQTT-3.2.2-7", Verdict.NOT_TESTED, "refusing CONNACK", "", "the CONNECT was accepted");
            return;
        }
        // MQTT-4.12.0-1: close, optionally after CONNACK 0x8C (Bad authentication method) or 0x87 (Not authorized)
        Outcomes.Reaction r = Lifecycle.expectConnectRefused(ctx, p, "MQTT-4.12.0-1", "an unknown Authentication Method is refused",
                Set.of(), Set.of(ReasonCode.BAD_AUTHENTICATION_METHOD.value(), ReasonCode.NOT_AUTHORIZED.value()));
        Connack ack = Lifecycle.lastReceived(ctx, p, Connack.class);
        if (ack == null) {
            throw new TestAbortedException("refused without a CONNACK: no reason code to judge");
        }
        String observed = PacketFormat.describe(ack) + "; " + r.description();
        ctx.check("MQTT-3.2.2-8", ReasonCode.of(ack.reasonCode(), PacketType.CONNACK) != null,
                "a CONNACK reason code from the table", "a defined CONNACK reason code", observed);
        ctx.check("MQTT-3.2.2-7", ack.reasonCode() < 0x80 || r.closed(), "a CONNACK 0x80 or above is followed by a close",
                "close", observed);
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-4.12.0-7", Outcomes.V5_SHOULD_SEND_REASON, "MQTT-3.14.2-1", "MQTT-3.14.2-2",
            "MQTT-3.14.2-3", "MQTT-3.14.2-4", "MQTT-3.14.4-1", "MQTT-3.14.4-2"})
    void auth_without_authentication_method_in_connect_is_a_protocol_error(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("plain", ConnackScenarios::smallPackets);
        // the CONNECT named no Authentication Method, so the client may never send AUTH (MQTT-4.12.0-7)
        p.sendUnchecked(new Auth(ReasonCode.RE_AUTHENTICATE.value(),
                Properties.of(Property.string(PropertyId.AUTHENTICATION_METHOD, Scram.METHOD))));
        Lifecycle.expectClose(ctx, p, "MQTT-4.12.0-7", "AUTH after a CONNECT without Authentication Method closes the connection",
                // 0x8C names the case exactly: the method does not match the one in use (there is none)
                Set.of(ReasonCode.PROTOCOL_ERROR.value(), ReasonCode.BAD_AUTHENTICATION_METHOD.value()),
                ConnackScenarios.SMALL_MPS);
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-3.15.1-1")
    void auth_with_reserved_flags_closes_the_connection(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("flags");
        byte[] auth = MqttEncoder.encodeUnchecked(new Auth(ReasonCode.RE_AUTHENTICATE.value(),
                Properties.of(Property.string(PropertyId.AUTHENTICATION_METHOD, Scram.METHOD))), ctx.version());
        p.sendRaw(RawPacket.withFlags(auth, 0x01), "AUTH 0x19 with reserved flag bit 0 set");
        // malformed (and, without an exchange, also a Protocol Error): the broker must close
        Outcomes.expectClose(ctx, p, "MQTT-3.15.1-1", "an AUTH with reserved flags set closes the connection",
                Outcomes.malformedOrProtocolError());
    }

    // ---------------------------------------------------------------- SCRAM-SHA-256, with the target's credentials

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-4.12.0-2", "MQTT-4.12.0-5", "MQTT-3.15.2-1", "MQTT-3.15.2-2", "MQTT-3.15.2-3"})
    void scram_exchange_continues_with_auth_0x18_and_the_same_method(ScenarioContext ctx) throws Exception {
        Endpoint ep = credentials(ctx);
        Scram.Client scram = new Scram.Client(ep.username(), ep.password(), new SecureRandom());
        ProbeClient p = ctx.open("scram");
        Auth first = start(ctx, p, scram);
        String method = method(first);
        String observed = PacketFormat.describe(first);
        ctx.check("MQTT-4.12.0-2", first.reasonCode() == ReasonCode.CONTINUE_AUTHENTICATION.value(),
                "a broker AUTH asking for more data has reason code 0x18", "AUTH 0x18", observed);
        ctx.pass("MQTT-3.15.2-1", "an AUTH reason code from the AUTH table", observed);
        int size = Lifecycle.lastReceivedSize(ctx, p, PacketType.AUTH);
        for (String id : new String[] {"MQTT-3.15.2-2", "MQTT-3.15.2-3"}) {
            ctx.check(id, size <= CLIENT_MPS, "the AUTH fits the client's Maximum Packet Size", "at most " + CLIENT_MPS + " bytes",
                    size + " bytes: " + observed);
        }
        p.send(continueWith(scram.clientFinal(data(first))));
        Packet next = p.expect(x -> x instanceof Connack || x instanceof Auth, "CONNACK (or AUTH)");
        String nextObs = PacketFormat.describe(next);
        boolean sameMethod = Scram.METHOD.equals(method) && Scram.METHOD.equals(method(next));
        ctx.check("MQTT-4.12.0-5", sameMethod && next instanceof Connack && ((Connack) next).reasonCode() == 0,
                "every AUTH and the successful CONNACK carry the CONNECT's Authentication Method",
                "AUTH and CONNACK 0x00 with Authentication Method " + Scram.METHOD, observed + "; then " + nextObs);
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-4.12.0-4")
    void failed_authentication_closes_the_connection(ScenarioContext ctx) throws Exception {
        Endpoint ep = credentials(ctx);
        Scram.Client scram = new Scram.Client(ep.username(), ep.password() + "-wrong", new SecureRandom());
        ProbeClient p = ctx.open("wrong");
        Auth first = start(ctx, p, scram);
        p.send(continueWith(scram.clientFinal(data(first))));
        // MQTT-4.12.0-4: the broker may send CONNACK 0x80+ and must close
        Outcomes.Reaction r = Outcomes.react(p);
        Connack ack = Lifecycle.lastReceived(ctx, p, Connack.class);
        boolean ok = r.closed() && (ack == null || ack.reasonCode() >= 0x80) && !r.answeredLater();
        ctx.check("MQTT-4.12.0-4", ok, "a failed authentication ends with a close", "close, optionally after CONNACK 0x80+",
                r.description());
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-4.12.0-3")
    void auth_reply_with_another_reason_code_is_a_protocol_error(ScenarioContext ctx) throws Exception {
        Endpoint ep = credentials(ctx);
        Scram.Client scram = new Scram.Client(ep.username(), ep.password(), new SecureRandom());
        ProbeClient p = ctx.open("code");
        Auth first = start(ctx, p, scram);
        // the reply to the broker's AUTH must be 0x18; 0x19 here is a Protocol Error
        p.send(new Auth(ReasonCode.RE_AUTHENTICATE.value(), Properties.builder()
                .string(PropertyId.AUTHENTICATION_METHOD, Scram.METHOD)
                .binary(PropertyId.AUTHENTICATION_DATA, BinaryData.wrap(scram.clientFinal(data(first)))).build()));
        Lifecycle.expectConnectRefused(ctx, p, "MQTT-4.12.0-3", "an AUTH reply other than 0x18 is refused",
                Set.of(), Outcomes.malformedOrProtocolError());
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-4.12.1-1", Outcomes.V5_SHOULD_SEND_REASON})
    void reauthentication_with_another_method_is_a_protocol_error(ScenarioContext ctx) throws Exception {
        ProbeClient p = authenticated(ctx, "reauth");
        p.send(new Auth(ReasonCode.RE_AUTHENTICATE.value(), Properties.builder()
                .string(PropertyId.AUTHENTICATION_METHOD, UNKNOWN_METHOD).build()));
        Lifecycle.expectClose(ctx, p, "MQTT-4.12.1-1", "re-authentication naming another method closes the connection",
                Set.of(ReasonCode.PROTOCOL_ERROR.value()), Long.MAX_VALUE);
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-4.12.1-2")
    void failed_reauthentication_closes_the_connection(ScenarioContext ctx) throws Exception {
        ProbeClient p = authenticated(ctx, "refail");
        // a client-first message that is not SCRAM at all
        p.send(new Auth(ReasonCode.RE_AUTHENTICATE.value(), Properties.builder()
                .string(PropertyId.AUTHENTICATION_METHOD, Scram.METHOD)
                .binary(PropertyId.AUTHENTICATION_DATA, BinaryData.of("not scram")).build()));
        Outcomes.Reaction r = Outcomes.react(p);
        boolean disconnect = r.packet() != null && r.packet().startsWith("DISCONNECT");
        String expected = "DISCONNECT with a reason code (such as 0x87), then close";
        if (!r.closed() || r.answeredLater()) {
            ctx.fail("MQTT-4.12.1-2", "a failed re-authentication closes the connection", expected, r.description());
        } else if (disconnect && r.reasonCode() != null && r.reasonCode() >= 0x80) {
            ctx.pass("MQTT-4.12.1-2", "a failed re-authentication closes the connection", r.description());
        } else {
            // the close is a MUST, the DISCONNECT before it a SHOULD
            ctx.nonStrict("MQTT-4.12.1-2", "a failed re-authentication is reported before the close", expected, r.description());
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The target's credentials; without them the SCRAM scenarios cannot run. */
    private static Endpoint credentials(ScenarioContext ctx) throws java.io.IOException {
        if (ctx.target().lacks().contains(Capability.ENHANCED_AUTH.key())) {
            throw new Unsupported(ctx.target().name() + " declares it lacks enhanced-auth (brokers.yaml)");
        }
        Endpoint ep = ctx.endpoint();
        if (ep.username() == null || ep.password() == null) {
            throw new TestAbortedException("the target has no credentials configured for an enhanced authentication exchange");
        }
        return ep;
    }

    /** Sends a SCRAM CONNECT and returns the broker's first AUTH; UNSUPPORTED if it refuses the method. */
    private static Auth start(ScenarioContext ctx, ProbeClient p, Scram.Client scram) throws java.io.IOException {
        Connect c = Connect.builder(ctx.version()).clientId(ctx.clientId(p.name())).cleanStart(true)
                .property(Property.string(PropertyId.AUTHENTICATION_METHOD, Scram.METHOD))
                .property(Property.binary(PropertyId.AUTHENTICATION_DATA, BinaryData.wrap(scram.clientFirst())))
                .property(Property.number(PropertyId.MAXIMUM_PACKET_SIZE, CLIENT_MPS))
                .build();
        p.send(c);
        Packet first = p.expect(x -> x instanceof Auth || x instanceof Connack, "AUTH or CONNACK");
        if (first instanceof Connack) {
            throw new Unsupported("the broker does not run " + Scram.METHOD + ": " + PacketFormat.describe(first));
        }
        return (Auth) first;
    }

    /** A connection authenticated with SCRAM-SHA-256. */
    private static ProbeClient authenticated(ScenarioContext ctx, String name) throws java.io.IOException {
        Endpoint ep = credentials(ctx);
        Scram.Client scram = new Scram.Client(ep.username(), ep.password(), new SecureRandom());
        ProbeClient p = ctx.open(name);
        Auth first = start(ctx, p, scram);
        p.send(continueWith(scram.clientFinal(data(first))));
        Optional<Connack> ack = p.await(Connack.class);
        if (ack.isEmpty() || ack.get().reasonCode() != 0) {
            throw new dev.mqttharness.suite.framework.SetupFailed("SCRAM authentication failed: "
                    + ack.map(PacketFormat::describe).orElse("no CONNACK"));
        }
        return p;
    }

    private static Auth continueWith(byte[] data) {
        return new Auth(ReasonCode.CONTINUE_AUTHENTICATION.value(), Properties.builder()
                .string(PropertyId.AUTHENTICATION_METHOD, Scram.METHOD)
                .binary(PropertyId.AUTHENTICATION_DATA, BinaryData.wrap(data)).build());
    }

    private static byte[] data(Auth a) {
        BinaryData d = a.properties().binary(PropertyId.AUTHENTICATION_DATA);
        return d == null ? new byte[0] : d.toByteArray();
    }

    private static String method(Packet p) {
        Utf8String m = p.properties().string(PropertyId.AUTHENTICATION_METHOD);
        return m == null ? null : m.toString();
    }
}
