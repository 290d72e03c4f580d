package dev.mqttharness.suite.framework;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.Pingreq;
import dev.mqttharness.spec.packet.Pingresp;
import dev.mqttharness.spec.packet.ReasonCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Judging the common outcome "the broker must treat this as an error and close the connection",
 * accepting every reaction the spec allows and nothing else.
 */
public final class Outcomes {
    /** Section of the 5.0 rule that a Server SHOULD send DISCONNECT (or CONNACK) with the reason code before closing. */
    public static final String V5_SHOULD_SEND_REASON = "§4.13.1";

    private Outcomes() {
    }

    /** What the broker did after the offending bytes. */
    public record Reaction(boolean closed, Integer reasonCode, String packet, boolean answeredLater, String description) {
    }

    /**
     * Sends a PINGREQ right after the offending bytes and waits for the outcome: a broker that treats
     * them as an error closes without processing the PINGREQ (3.1.1 §4.8, 5.0 §4.13, MQTT-3.1.4-5 /
     * -6), so a PINGRESP is proof that it carried on. Costs no wait when the broker behaves.
     */
    public static Reaction react(ProbeClient p) {
        try {
            p.send(Pingreq.INSTANCE);
        } catch (IOException e) {
            // the broker may already have closed: the close event tells
        }
        Integer rc = null;
        String packet = null;
        while (true) {
            Optional<ProbeClient.Event> e = p.next(p.timeout());
            if (e.isEmpty()) {
                return new Reaction(false, rc, packet, false, "the connection stayed open for "
                        + p.timeout().toMillis() + " ms and nothing came" + (packet == null ? "" : " after " + packet));
            }
            ProbeClient.Event ev = e.get();
            if (ev instanceof ProbeClient.ClosedEvent) {
                return new Reaction(true, rc, packet, false, (packet == null ? "closed without a reason code"
                        : packet + ", then closed") + " (" + ((ProbeClient.ClosedEvent) ev).reason() + ")");
            }
            if (ev instanceof ProbeClient.MalformedEvent) {
                return new Reaction(false, rc, packet, false, "malformed bytes from the broker: "
                        + ((ProbeClient.MalformedEvent) ev).malformed().reason());
            }
            Packet pk = ((ProbeClient.PacketEvent) ev).packet();
            if (pk instanceof Pingresp) {
                return new Reaction(false, rc, packet, true, "the broker answered a later PINGREQ"
                        + (packet == null ? "" : " after " + packet) + ": it went on processing");
            }
            if (pk instanceof Disconnect) {
                rc = ((Disconnect) pk).reasonCode();
                packet = PacketFormat.describe(pk);
            } else if (pk instanceof Connack) {
                rc = ((Connack) pk).reasonCode();
                packet = PacketFormat.describe(pk);
            } else if (packet == null) {
                packet = PacketFormat.describe(pk);
            }
        }
    }

    /**
     * Judges {@code id}: the broker must close the connection. PASS when it closes (in 5.0 after
     * DISCONNECT or CONNACK with one of {@code allowedV5Codes}, or with no packet); FAIL when it stays
     * open, answers later packets, or sends a reason code the spec does not allow here. In 5.0, when
     * the scenario declares {@link #V5_SHOULD_SEND_REASON}, a bare close is NON_STRICT for it.
     */
    public static Reaction expectClose(ScenarioContext ctx, ProbeClient p, String id, String check,
                                       Set<Integer> allowedV5Codes) {
        Reaction r = react(p);
        String expected = ctx.v5()
                ? "close the connection, optionally after DISCONNECT/CONNACK with " + codes(allowedV5Codes)
                : "close the connection";
        boolean codeOk = r.reasonCode() == null || !ctx.v5() || allowedV5Codes.contains(r.reasonCode());
        if (!ctx.v5() && r.reasonCode() != null && r.packet() != null && r.packet().startsWith("CONNACK")) {
            // 3.1.1 answers some CONNECT errors with a CONNACK code; the caller's check decides if that code is right
            codeOk = true;
        }
        ctx.check(id, r.closed() && codeOk, check, expected, r.description());
        if (ctx.v5() && r.closed() && ctx.declared().contains(V5_SHOULD_SEND_REASON)) {
            if (r.reasonCode() != null) {
                ctx.pass(V5_SHOULD_SEND_REASON, "the reason code is sent before closing", r.description());
            } else {
                ctx.nonStrict(V5_SHOULD_SEND_REASON, "the reason code is sent before closing",
                        "DISCONNECT (or CONNACK) with the reason code, then close", r.description());
            }
        }
        return r;
    }

    /** Malformed Packet or Protocol Error: 0x81 or 0x82, as 5.0 §4.13.1 allows either where the spec gives no more specific code. */
    public static Set<Integer> malformedOrProtocolError() {
        return Set.of(ReasonCode.MALFORMED_PACKET.value(), ReasonCode.PROTOCOL_ERROR.value());
    }

    private static String codes(Set<Integer> codes) {
        List<String> out = new ArrayList<>();
        for (int c : codes) {
            out.add(String.format("0x%02X", c));
        }
        out.sort(null);
        return String.join(" or ", out);
    }
}
