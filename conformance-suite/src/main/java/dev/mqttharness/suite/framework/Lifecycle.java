package dev.mqttharness.suite.framework;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.codec.ByteWriter;
import dev.mqttharness.spec.codec.RawPacket;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.trace.TraceEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Helpers for connection and session lifecycle scenarios: raw CONNECT bytes for flag and payload
 * violations, judging a refused CONNECT, connecting again under the same Client Identifier,
 * ordering steps after a DISCONNECT, and reading what a broker sent from the trace.
 */
public final class Lifecycle {
    /** CONNECT flag bits (§3.1.2.3). */
    public static final int RESERVED = 0x01;
    public static final int CLEAN = 0x02;
    public static final int WILL = 0x04;
    public static final int WILL_QOS_1 = 0x08;
    public static final int WILL_QOS_2 = 0x10;
    public static final int WILL_RETAIN = 0x20;
    public static final int PASSWORD = 0x40;
    public static final int USERNAME = 0x80;

    /** 0x81 Malformed Packet, 0x82 Protocol Error: the codes 5.0 §4.13.1 falls back to. */
    private static final Set<Integer> GENERIC = Outcomes.malformedOrProtocolError();

    private Lifecycle() {
    }

    // ---------------------------------------------------------------- raw CONNECT

    /**
     * The variable header of a CONNECT in {@code version}'s layout with the given flags byte and Keep
     * Alive 0 (in 5.0 followed by an empty property list); append the payload fields and wrap it with
     * {@link #connectPacket}.
     */
    public static ByteWriter connectHeader(MqttVersion version, int flags) {
        return connectHeader(version.protocolName(), version.level(), flags, version.isV5());
    }

    /** A CONNECT variable header with any protocol name and level; {@code v5Properties} adds an empty property list. */
    public static ByteWriter connectHeader(String protocolName, int level, int flags, boolean v5Properties) {
        ByteWriter w = new ByteWriter().utf8(protocolName).u8(level).u8(flags).u16(0);
        if (v5Properties) {
            w.vbi(0);
        }
        return w;
    }

    /** Wraps a CONNECT body in its fixed header. */
    public static byte[] connectPacket(ByteWriter body) {
        return RawPacket.of(PacketType.CONNECT).body(body).toBytes();
    }

    /** The 5.0 Will Properties field (empty) that precedes the Will Topic, or nothing in 3.1.1. */
    public static ByteWriter willProperties(ByteWriter w, MqttVersion version) {
        return version.isV5() ? w.vbi(0) : w;
    }

    // ---------------------------------------------------------------- refusals

    /**
     * Judges {@code id}: the broker must refuse the CONNECT just sent and close the connection.
     * Accepted: a bare close; a CONNACK with one of {@code connack311Codes} (3.1.1) or
     * {@code v5Codes} (5.0), then a close. Never a successful CONNACK, a DISCONNECT (5.0
     * MQTT-3.14.0-1: none before a successful CONNACK, judged when the scenario declares it), or
     * an answer to a later PINGREQ. Pass an empty set where the spec wants no CONNACK at all.
     */
    public static Outcomes.Reaction expectConnectRefused(ScenarioContext ctx, ProbeClient p, String id, String check,
                                                         Set<Integer> connack311Codes, Set<Integer> v5Codes) {
        return expectConnectRefused(ctx, p, List.of(id), check, connack311Codes, v5Codes);
    }

    /** Like the one-statement form, judging every statement in {@code ids} by the same reaction. */
    public static Outcomes.Reaction expectConnectRefused(ScenarioContext ctx, ProbeClient p, List<String> ids, String check,
                                                         Set<Integer> connack311Codes, Set<Integer> v5Codes) {
        Outcomes.Reaction r = Outcomes.react(p);
        boolean v5 = ctx.v5();
        boolean connack = r.packet() != null && r.packet().startsWith("CONNACK");
        boolean disconnect = r.packet() != null && r.packet().startsWith("DISCONNECT");
        Set<Integer> codes = v5 ? v5Codes : connack311Codes;
        boolean codeOk = !connack || (r.reasonCode() != null && r.reasonCode() != 0 && codes.contains(r.reasonCode()));
        // 5.0 §4.13.1: where the spec names a code, 0x81 / 0x82 instead is a SHOULD broken, not a MUST
        // a refusing CONNACK with another error code still refuses and closes: the code is the SHOULD
        boolean generic = v5 && connack && !codeOk && r.reasonCode() != null && r.reasonCode() >= 0x80;
        String expected = "close the connection"
                + (codes.isEmpty() ? " without a CONNACK" : ", optionally after CONNACK with " + codes(codes));
        for (String id : ids) {
            if (generic && r.closed()) {
                ctx.nonStrict(id, check, expected, r.description() + " (refused and closed, but with another code than "
                        + codes(codes) + ")");
            } else {
                // a DISCONNECT before any CONNACK still refuses and closes: that packet is MQTT-3.14.0-1's
                // business (judged below and by the trace checks), not a failure to refuse
                ctx.check(id, r.closed() && codeOk, check, expected, r.description());
            }
        }
        if (v5 && ctx.declared().contains("MQTT-3.14.0-1")) {
            ctx.check("MQTT-3.14.0-1", !disconnect, "no DISCONNECT before a successful CONNACK",
                    "a CONNACK or a bare close, no DISCONNECT", r.description());
        }
        return r;
    }

    /** 5.0 codes a broker may put in the CONNACK refusing a malformed CONNECT (§4.13.1). */
    public static Set<Integer> malformedConnack() {
        return Outcomes.malformedOrProtocolError();
    }

    private static String codes(Set<Integer> codes) {
        List<String> out = new ArrayList<>();
        for (int c : new TreeSet<>(codes)) {
            out.add(String.format("0x%02X", c));
        }
        return String.join(" or ", out);
    }

    // ---------------------------------------------------------------- sessions

    /** A connection attempt: the probe and the CONNACK it received (null if none came). */
    public record Attempt(ProbeClient probe, Connack connack) {
        public boolean accepted() {
            return connack != null && connack.reasonCode() == 0;
        }

        public boolean sessionPresent() {
            return connack != null && connack.sessionPresent();
        }

        public String describe() {
            if (connack != null) {
                return PacketFormat.describe(connack);
            }
            ProbeClient.ClosedEvent c = probe.closedEvent();
            return "no CONNACK" + (c == null ? "" : " (" + c.reason() + ")");
        }
    }

    /**
     * Opens a connection named {@code probeName} and connects with the Client Identifier of
     * {@code clientLabel} (so a scenario can come back to the same session under a new probe name).
     */
    public static Attempt connectAs(ScenarioContext ctx, String probeName, String clientLabel,
                                    UnaryOperator<Connect.Builder> customize) throws IOException {
        return connectAs(ctx, probeName, clientLabel, customize, ProbeClient.Options.DEFAULT.withTimeout(ctx.timeout()));
    }

    public static Attempt connectAs(ScenarioContext ctx, String probeName, String clientLabel,
                                    UnaryOperator<Connect.Builder> customize, ProbeClient.Options options)
            throws IOException {
        Connect c = customize.apply(ctx.connectBuilder(clientLabel)).build();
        ProbeClient p = ctx.open(probeName, options);
        return new Attempt(p, ctx.connectWith(p, c));
    }

    /** Like {@link #connectAs}, but a refused or missing CONNACK is {@link SetupFailed}. */
    public static ProbeClient reconnect(ScenarioContext ctx, String probeName, String clientLabel,
                                        UnaryOperator<Connect.Builder> customize) throws IOException {
        Attempt a = connectAs(ctx, probeName, clientLabel, customize);
        if (!a.accepted()) {
            throw new SetupFailed(probeName + ": CONNECT not accepted: " + a.describe());
        }
        return a.probe();
    }

    /**
     * Ends a connection normally: DISCONNECT, then up to {@code grace} for the broker to close its
     * side (so later steps follow its handling of the DISCONNECT), then the harness closes.
     */
    public static void disconnect(ProbeClient p, Disconnect d, Duration grace) {
        try {
            p.send(d);
        } catch (IOException ignored) {
            // already closed: nothing to order after
        }
        p.awaitClosed(grace);
        p.close();
    }

    public static void disconnect(ProbeClient p) {
        disconnect(p, Disconnect.NORMAL, Duration.ofSeconds(1));
    }

    // ---------------------------------------------------------------- broker DISCONNECT

    /** What a connection saw after the broker's DISCONNECT: packets before the close, and whether it closed. */
    public record AfterDisconnect(List<Packet> packets, boolean closed, String description) {
    }

    /** Reads everything after a broker DISCONNECT until the connection closes (bounded by the probe's timeout). */
    public static AfterDisconnect afterDisconnect(ProbeClient p) {
        List<Packet> after = new ArrayList<>();
        while (true) {
            Optional<ProbeClient.Event> e = p.next(p.timeout());
            if (e.isEmpty()) {
                return new AfterDisconnect(after, false, "still open " + p.timeout().toMillis() + " ms after DISCONNECT"
                        + (after.isEmpty() ? "" : ", after " + names(after)));
            }
            ProbeClient.Event ev = e.get();
            if (ev instanceof ProbeClient.ClosedEvent) {
                return new AfterDisconnect(after, true, (after.isEmpty() ? "closed right after DISCONNECT"
                        : "sent " + names(after) + " after DISCONNECT, then closed")
                        + " (" + ((ProbeClient.ClosedEvent) ev).reason() + ")");
            }
            if (ev instanceof ProbeClient.PacketEvent) {
                after.add(((ProbeClient.PacketEvent) ev).packet());
            } else {
                return new AfterDisconnect(after, false, "malformed bytes after DISCONNECT: "
                        + ((ProbeClient.MalformedEvent) ev).malformed().reason());
            }
        }
    }

    private static String names(List<Packet> packets) {
        List<String> out = new ArrayList<>();
        for (Packet p : packets) {
            out.add(PacketFormat.describe(p));
        }
        return String.join(", ", out);
    }

    /**
     * Judges a 5.0 broker DISCONNECT {@code d} received on {@code p} for the DISCONNECT statements the
     * scenario declares: a decoded DISCONNECT has a defined reason code (MQTT-3.14.2-1) and no Session
     * Expiry Interval (MQTT-3.14.2-2) — the probe's decoder reports either as malformed, which fails
     * them through the trace checks; the sender sends nothing more (MQTT-3.14.4-1) and closes
     * (MQTT-3.14.4-2); and it fits the client's Maximum Packet Size (MQTT-3.14.2-3 / -4).
     */
    public static AfterDisconnect judgeServerDisconnect(ScenarioContext ctx, ProbeClient p, Disconnect d, long clientMaximumPacketSize) {
        String what = PacketFormat.describe(d);
        Set<String> declared = ctx.declared();
        if (declared.contains("MQTT-3.14.2-1")) {
            ctx.pass("MQTT-3.14.2-1", "a DISCONNECT reason code from the DISCONNECT table", what);
        }
        if (declared.contains("MQTT-3.14.2-2")) {
            ctx.check("MQTT-3.14.2-2", !d.properties().has(dev.mqttharness.spec.packet.PropertyId.SESSION_EXPIRY_INTERVAL),
                    "no Session Expiry Interval in a Server's DISCONNECT", "no Session Expiry Interval", what);
        }
        if (clientMaximumPacketSize != Long.MAX_VALUE) {
            int size = lastReceivedSize(ctx, p, PacketType.DISCONNECT);
            String observed = size + " bytes (limit " + clientMaximumPacketSize + "): " + what;
            for (String id : List.of("MQTT-3.14.2-3", "MQTT-3.14.2-4")) {
                if (declared.contains(id)) {
                    ctx.check(id, size <= clientMaximumPacketSize, "the DISCONNECT fits the client's Maximum Packet Size",
                            "at most " + clientMaximumPacketSize + " bytes", observed);
                }
            }
        }
        AfterDisconnect after = afterDisconnect(p);
        if (declared.contains("MQTT-3.14.4-1")) {
            ctx.check("MQTT-3.14.4-1", after.packets().isEmpty(), "nothing sent after DISCONNECT",
                    "no packet between DISCONNECT and the close", after.description());
        }
        if (declared.contains("MQTT-3.14.4-2")) {
            ctx.check("MQTT-3.14.4-2", after.closed(), "the sender of DISCONNECT closes the connection",
                    "the broker closes the connection", after.description());
        }
        return after;
    }

    /** Statements a broker DISCONNECT is judged on by {@link #judgeServerDisconnect}. */
    public static final List<String> DISCONNECT_STATEMENTS = List.of("MQTT-3.14.2-1", "MQTT-3.14.2-2", "MQTT-3.14.2-3",
            "MQTT-3.14.2-4", "MQTT-3.14.4-1", "MQTT-3.14.4-2");

    /**
     * Like {@link Outcomes#expectClose}: judges {@code id} (the broker must close the connection, in 5.0
     * optionally after DISCONNECT with one of {@code allowedV5Codes}; never answering a later PINGREQ),
     * and when a 5.0 DISCONNECT comes, also the DISCONNECT statements the scenario declares (see
     * {@link #judgeServerDisconnect}). Declared DISCONNECT statements left without evidence (no
     * DISCONNECT came) are NOT_TESTED. {@link Outcomes#V5_SHOULD_SEND_REASON} is judged when declared.
     */
    public static void expectClose(ScenarioContext ctx, ProbeClient p, String id, String check, Set<Integer> allowedV5Codes,
                                   long clientMaximumPacketSize) {
        String expected = ctx.v5()
                ? "close the connection, optionally after DISCONNECT with " + codes(allowedV5Codes)
                : "close the connection";
        try {
            p.send(dev.mqttharness.spec.packet.Pingreq.INSTANCE);
        } catch (IOException e) {
            // already closed: the close event tells
        }
        String before = "";
        String undecoded = null;
        while (true) {
            Optional<ProbeClient.Event> e = p.next(p.timeout());
            if (e.isEmpty()) {
                ctx.fail(id, check, expected, "the connection stayed open for " + p.timeout().toMillis() + " ms" + before);
                break;
            }
            ProbeClient.Event ev = e.get();
            if (ev instanceof ProbeClient.ClosedEvent) {
                String observed = "closed without a reason code" + before + " (" + ((ProbeClient.ClosedEvent) ev).reason() + ")";
                ctx.pass(id, check, observed);
                if (ctx.v5() && ctx.declared().contains(Outcomes.V5_SHOULD_SEND_REASON)) {
                    if (undecoded != null) {
                        ctx.verdict(Outcomes.V5_SHOULD_SEND_REASON, dev.mqttharness.spec.verdict.Verdict.NOT_TESTED,
                                "the reason code is sent before closing", "", "what the broker sent did not decode" + before);
                    } else {
                        ctx.nonStrict(Outcomes.V5_SHOULD_SEND_REASON, "the reason code is sent before closing",
                                "DISCONNECT with the reason code, then close", observed);
                    }
                }
                break;
            }
            if (ev instanceof ProbeClient.MalformedEvent) {
                // the trace checks judge the malformed packet; whether the broker then closes is still this rule's question
                undecoded = ((ProbeClient.MalformedEvent) ev).malformed().reason();
                before = before + ", after malformed bytes (" + undecoded + ")";
                continue;
            }
            if (!(ev instanceof ProbeClient.PacketEvent)) {
                continue; // undecoded bytes: a raw probe; the caller judges them
            }
            Packet pk = ((ProbeClient.PacketEvent) ev).packet();
            if (pk instanceof dev.mqttharness.spec.packet.Pingresp) {
                ctx.fail(id, check, expected, "the broker answered a later PINGREQ" + before + ": it went on processing");
                break;
            }
            if (pk instanceof Disconnect && ctx.v5()) {
                Disconnect d = (Disconnect) pk;
                AfterDisconnect after = judgeServerDisconnect(ctx, p, d, clientMaximumPacketSize);
                String observed = PacketFormat.describe(d) + before + "; " + after.description();
                if (!allowedV5Codes.contains(d.reasonCode()) && after.closed()) {
                    // §4.13.1: the close is the MUST; another reason code than the one that fits breaks a SHOULD
                    ctx.nonStrict(id, check, expected, observed + " (closed as required, but with another code than "
                            + codes(allowedV5Codes) + ")");
                } else {
                    ctx.check(id, allowedV5Codes.contains(d.reasonCode()) && after.closed(), check, expected, observed);
                }
                if (ctx.declared().contains(Outcomes.V5_SHOULD_SEND_REASON)) {
                    ctx.pass(Outcomes.V5_SHOULD_SEND_REASON, "the reason code is sent before closing", observed);
                }
                break;
            }
            before = before + ", after " + PacketFormat.describe(pk);
        }
        for (String s : DISCONNECT_STATEMENTS) {
            if (ctx.declared().contains(s) && !judged(ctx, s)) {
                ctx.verdict(s, dev.mqttharness.spec.verdict.Verdict.NOT_TESTED, "broker DISCONNECT", "",
                        undecoded != null ? "the broker's packet did not decode (" + undecoded + ")"
                                : "the broker sent no DISCONNECT here");
            }
        }
    }

    private static boolean judged(ScenarioContext ctx, String id) {
        synchronized (ctx.judgements()) {
            for (Judgement j : ctx.judgements()) {
                if (j.key().id().equals(id)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- trace

    /** The bytes of the last packet of {@code type} that {@code p} received, or empty bytes. */
    public static BinaryData lastReceivedBytes(ScenarioContext ctx, ProbeClient p, PacketType type) {
        BinaryData out = BinaryData.EMPTY;
        for (TraceEvent e : ctx.trace().events()) {
            if (e.kind() == TraceEvent.Kind.RECEIVED && e.connection().equals(p.name()) && e.packet() != null
                    && e.packet().type() == type) {
                out = e.bytes();
            }
        }
        return out;
    }

    /** The last packet of {@code type} that {@code p} received (also one a wait already took), or null. */
    public static <T extends Packet> T lastReceived(ScenarioContext ctx, ProbeClient p, Class<T> type) {
        T out = null;
        for (TraceEvent e : ctx.trace().events()) {
            if (e.kind() == TraceEvent.Kind.RECEIVED && e.connection().equals(p.name()) && type.isInstance(e.packet())) {
                out = type.cast(e.packet());
            }
        }
        return out;
    }

    public static int lastReceivedSize(ScenarioContext ctx, ProbeClient p, PacketType type) {
        return lastReceivedBytes(ctx, p, type).length();
    }

    /** Every packet {@code p} received so far, in order (also those a wait already took). */
    public static List<Packet> received(ScenarioContext ctx, ProbeClient p) {
        List<Packet> out = new ArrayList<>();
        for (TraceEvent e : ctx.trace().events()) {
            if (e.kind() == TraceEvent.Kind.RECEIVED && e.connection().equals(p.name()) && e.packet() != null) {
                out.add(e.packet());
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- deliveries

    /** PUBLISH packets on {@code topic} that {@code p} has received and not yet taken (removes every pending packet). */
    public static List<Publish> drainPublishes(ProbeClient p, String topic) {
        List<Publish> out = new ArrayList<>();
        for (Packet pk : p.drainPackets()) {
            if (pk instanceof Publish && ((Publish) pk).topic().toString().equals(topic)) {
                out.add((Publish) pk);
            }
        }
        return out;
    }

    /**
     * Publishes a QoS 0 sentinel on {@code topic} from {@code sub} itself and waits for it. The broker
     * handles the sentinel after everything it did before, so whatever else arrived on the topic by then
     * is returned (and taken from the inbox): a barrier across connections for "nothing was published".
     */
    public static List<Publish> sentinel(ProbeClient sub, String topic) throws IOException {
        String mark = "mh-sentinel-" + Long.toHexString(System.nanoTime());
        sub.send(Publish.qos0(topic, mark));
        sub.expect(pk -> pk instanceof Publish && ((Publish) pk).topic().toString().equals(topic)
                && ((Publish) pk).payload().toUtf8().equals(mark), "the sentinel on '" + topic + "'");
        return drainPublishes(sub, topic);
    }

    public static String describe(List<? extends Packet> packets) {
        return packets.isEmpty() ? "nothing" : names(new ArrayList<>(packets));
    }
}
