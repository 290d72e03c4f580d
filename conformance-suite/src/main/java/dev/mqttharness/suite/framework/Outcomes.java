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
                // what the broker sent does not decode (the trace checks judge that); whether it then closes
                // is still this reaction's question
                packet = "malformed bytes from the broker (" + ((ProbeClient.MalformedEvent) ev).malformed().reason() + ")";
                continue;
            }
            if (ev instanceof ProbeClient.BytesEvent) {
                packet = packet == null ? ((ProbeClient.BytesEvent) ev).bytes().length + " undecoded bytes" : packet;
                continue;
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
     * DISCONNECT or CONNACK with one of {@code allowedV5Codes}, or with no packet); NON_STRICT when it
     * closes after another reason code; FAIL when it stays open or answers later packets. In 5.0, when
     * the scenario declares {@link #V5_SHOULD_SEND_REASON}, a bare close is NON_STRICT for it.
     */
    public static Reaction expectClose(ScenarioContext ctx, ProbeClient p, String id, String check,
                                       Set<Integer> allowedV5Codes) {
        Reaction r = react(p);
        String expected = ctx.v5()
                ? "close the connection, optionally after DISCONNECT/CONNACK with " + codes(allowedV5Codes)
                : "close the connection";
        judgeCloseAndCode(ctx, r, id, check, expected, allowedV5Codes);
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

    /**
     * Like {@link #expectClose}, for errors where 5.0 names a specific reason code (0x93, 0x94, 0x95, ...):
     * closing after one of {@code specificV5Codes} (or with no packet) is PASS; closing after one of
     * {@code genericV5Codes} (typically 0x81 / 0x82) still closes as required, but ignores the code the
     * spec names (§4.13.1 keeps the generic codes for errors without a specific one), so it is NON_STRICT.
     */
    public static Reaction expectCloseWithCode(ScenarioContext ctx, ProbeClient p, String id, String check,
                                               Set<Integer> specificV5Codes, Set<Integer> genericV5Codes) {
        Reaction r = react(p);
        if (!ctx.v5()) {
            ctx.check(id, r.closed(), check, "close the connection", r.description());
            return r;
        }
        String expected = "close the connection, optionally after DISCONNECT with " + codes(specificV5Codes);
        if (!r.closed()) {
            ctx.fail(id, check, expected, r.description());
        } else if (r.reasonCode() == null || specificV5Codes.contains(r.reasonCode())) {
            ctx.pass(id, check, r.description());
        } else if (genericV5Codes.contains(r.reasonCode())) {
            ctx.nonStrict(id, check, expected, r.description() + " (a generic code where the spec names "
                    + codes(specificV5Codes) + ")");
        } else {
            ctx.nonStrict(id, check, expected, r.description() + " (closed as required, but with another reason code than "
                    + codes(specificV5Codes) + ")");
        }
        return r;
    }

    /**
     * The MUST is the close: a broker that stays open FAILs. The reason code that may precede the
     * close is a SHOULD (5.0 §4.13.1), so a close after a code other than {@code allowedV5Codes} is
     * NON_STRICT, not FAIL. In 3.1.1 only the close counts (a CONNACK code is the caller's to judge).
     */
    static boolean judgeCloseAndCode(ScenarioContext ctx, Reaction r, String id, String check, String expected,
                                     Set<Integer> allowedV5Codes) {
        if (!r.closed()) {
            ctx.fail(id, check, expected, r.description());
            return false;
        }
        if (!ctx.v5() || r.reasonCode() == null || allowedV5Codes.contains(r.reasonCode())) {
            ctx.pass(id, check, r.description());
            return true;
        }
        ctx.nonStrict(id, check, expected, r.description() + " (closed as required, but with reason code "
                + String.format("0x%02X", r.reasonCode()) + " where " + codes(allowedV5Codes) + " fits)");
        return true;
    }

    /**
     * {@link #expectClose} judging several statements by one reaction: typically the rule the probe
     * broke on purpose and the generic error-handling rule (3.1.1 MQTT-4.8.0-1, 5.0 MQTT-4.13.1-1).
     * The first id is judged (with {@link #V5_SHOULD_SEND_REASON}) by {@link #expectClose}, the others alike.
     */
    public static Reaction expectClose(ScenarioContext ctx, ProbeClient p, List<String> ids, String check,
                                       Set<Integer> allowedV5Codes) {
        Reaction r = expectClose(ctx, p, ids.get(0), check, allowedV5Codes);
        for (String id : ids.subList(1, ids.size())) {
            judgeClosed(ctx, r, id, check, allowedV5Codes);
        }
        if (!r.closed()) {
            judgeReasonSent(ctx, r); // expectClose judges it only after a close
        }
        return r;
    }

    /** In 5.0, when the scenario declares {@link #V5_SHOULD_SEND_REASON}: PASS if a reason code came before the close, else NON_STRICT. */
    public static void judgeReasonSent(ScenarioContext ctx, Reaction r) {
        if (ctx.v5() && ctx.declared().contains(V5_SHOULD_SEND_REASON)) {
            if (r.reasonCode() != null) {
                ctx.pass(V5_SHOULD_SEND_REASON, "the reason code is sent before closing", r.description());
            } else {
                ctx.nonStrict(V5_SHOULD_SEND_REASON, "the reason code is sent before closing",
                        "DISCONNECT (or CONNACK) with the reason code, then close", r.description());
            }
        }
    }

    /** Judges {@code id} on a reaction already observed: PASS if the broker closed (in 5.0 with no packet or an allowed code). */
    public static boolean judgeClosed(ScenarioContext ctx, Reaction r, String id, String check, Set<Integer> allowedV5Codes) {
        String expected = ctx.v5()
                ? "close the connection, optionally after DISCONNECT/CONNACK with " + codes(allowedV5Codes)
                : "close the connection";
        return judgeCloseAndCode(ctx, r, id, check, expected, allowedV5Codes);
    }

    /**
     * For a client-side rule the standard states only for the sender (a non-minimal Variable Byte
     * Integer, say), without calling the result a Malformed Packet: a broker that detects it must
     * close ({@code closeRule}); one that does not detect it breaks nothing the spec requires of a
     * receiver (5.0 §4.13.1 leaves the rigour of checking to the implementation), so accepting it is
     * NON_STRICT for {@code clientRule} and INFO for {@code closeRule}. Staying open after answering
     * with an error code is FAIL.
     */
    public static Reaction expectCloseOrLenient(ScenarioContext ctx, ProbeClient p, String clientRule, String closeRule,
                                                String check, Set<Integer> allowedV5Codes) {
        Reaction r = react(p);
        if (r.closed() || r.reasonCode() != null) {
            judgeClosed(ctx, r, clientRule, check, allowedV5Codes);
            judgeClosed(ctx, r, closeRule, check, allowedV5Codes);
        } else {
            String observed = "accepted: " + r.description();
            ctx.nonStrict(clientRule, check, "close (the rule binds the sender; detecting it is optional)", observed);
            ctx.info(closeRule, "the close rule applies only to errors the broker detects", observed);
        }
        judgeReasonSent(ctx, r);
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

    /**
     * Judges the pair of rules "leave out the Reason String / the User Properties rather than exceed the
     * client's Maximum Packet Size" (e.g. 5.0 MQTT-3.9.2-1 / -2) for one packet of {@code size} bytes:
     * both hold when it fits. When it does not, each fails only if the packet carries the property it is
     * about, so that a broker adding User Properties is not blamed for Reason Strings (and the other way
     * round); a packet too large with neither property fails both.
     */
    public static void judgePropertiesLeftOut(ScenarioContext ctx, String reasonStringId, String userPropertyId, int size,
                                              long limit, dev.mqttharness.spec.packet.Properties props, String check,
                                              String expected, String observed) {
        boolean fits = size >= 0 && size <= limit;
        boolean reason = props.has(dev.mqttharness.spec.packet.PropertyId.REASON_STRING);
        boolean user = props.has(dev.mqttharness.spec.packet.PropertyId.USER_PROPERTY);
        boolean neither = !reason && !user;
        ctx.check(reasonStringId, fits || (!reason && !neither), "a Reason String is left out rather than " + check,
                expected, observed);
        ctx.check(userPropertyId, fits || (!user && !neither), "User Properties are left out rather than " + check,
                expected, observed);
    }
}
