package dev.mqttharness.suite.framework;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.Unsuback;
import dev.mqttharness.spec.packet.Unsubscribe;
import dev.mqttharness.spec.trace.TraceEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Helpers for subscription scenarios: SUBSCRIBE / UNSUBSCRIBE exchanges that tolerate a broker that
 * closes or answers badly, what a probe received as read back from the trace, and judging a
 * SUBSCRIBE that breaks a client rule on a Topic Filter (close, or the weaker "refused in the SUBACK").
 */
public final class Subscriptions {
    private Subscriptions() {
    }

    /** Sends {@code s} as it is (valid or not) and waits for its SUBACK; empty if the connection closed, the broker sent bad bytes or nothing came. */
    public static Optional<Suback> trySubscribe(ProbeClient p, Subscribe s) throws IOException {
        p.sendUnchecked(s);
        int id = s.packetId();
        return p.awaitPacket(x -> x instanceof Suback && ((Suback) x).packetId() == id, p.timeout()).map(Suback.class::cast);
    }

    /** SUBSCRIBE with the probe's next packet identifier and no properties. */
    public static Optional<Suback> trySubscribe(ProbeClient p, TopicSubscription... subs) throws IOException {
        return trySubscribe(p, new Subscribe(p.nextPacketId(), Properties.EMPTY, List.of(subs)));
    }

    /** Sends {@code u} as it is and waits for its UNSUBACK; empty if none came. */
    public static Optional<Unsuback> tryUnsubscribe(ProbeClient p, Unsubscribe u) throws IOException {
        p.sendUnchecked(u);
        int id = u.packetId();
        return p.awaitPacket(x -> x instanceof Unsuback && ((Unsuback) x).packetId() == id, p.timeout()).map(Unsuback.class::cast);
    }

    /**
     * Sends raw bytes that stand for {@code meaning} with one rule broken (wrong flags, a padded length,
     * an option the model cannot hold). The trace first records {@code meaning} as sent, without bytes,
     * so that the trace checks can match a lenient broker's answer (a SUBACK, say) to it; the bytes
     * actually sent follow as their own event.
     */
    public static void sendRaw(ScenarioContext ctx, ProbeClient p, byte[] bytes, Packet meaning, String description)
            throws IOException {
        ctx.trace().add(p.name(), TraceEvent.Kind.SENT, null, meaning,
                "meant as " + PacketFormat.describe(meaning) + "; the bytes actually sent follow");
        p.sendRaw(bytes, description);
    }

    /** Every packet of {@code type} that {@code p} received, in order, read from the trace (so packets a wait already took count too). */
    public static <T extends Packet> List<T> received(ScenarioContext ctx, ProbeClient p, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (TraceEvent e : ctx.trace().events()) {
            if (e.kind() == TraceEvent.Kind.RECEIVED && e.connection().equals(p.name()) && type.isInstance(e.packet())) {
                out.add(type.cast(e.packet()));
            }
        }
        return out;
    }

    /** The decoded packets {@code p} received with their bytes, in order, from the trace. */
    public static List<TraceEvent> receivedEvents(ScenarioContext ctx, ProbeClient p) {
        List<TraceEvent> out = new ArrayList<>();
        for (TraceEvent e : ctx.trace().events()) {
            if (e.kind() == TraceEvent.Kind.RECEIVED && e.connection().equals(p.name()) && e.packet() != null) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Judges a SUBSCRIBE just sent on {@code p} (packet identifier {@code packetId}) whose Topic Filter at
     * {@code index} breaks a client rule ({@code filterRule}, e.g. a misplaced wildcard). The broker has
     * to treat it as a protocol violation and close ({@code errorRule}: 3.1.1 MQTT-4.8.0-1, 5.0
     * MQTT-4.13.1-1, in 5.0 optionally after DISCONNECT with one of {@code v5Codes}).
     * <ul>
     * <li>closed, without granting the filter: PASS for both;</li>
     * <li>a SUBACK failure code (0x80 or above) for the filter, connection left open: the filter was
     *     refused, a weaker reaction, NON_STRICT for {@code filterRule}; FAIL for {@code errorRule};</li>
     * <li>the filter granted: FAIL for both.</li>
     * </ul>
     * In 5.0 {@link Outcomes#V5_SHOULD_SEND_REASON} is judged too when declared.
     */
    public static Outcomes.Reaction expectFilterRefused(ScenarioContext ctx, ProbeClient p, int packetId, int index,
                                                        String filterRule, String errorRule, String check,
                                                        Set<Integer> v5Codes) {
        Outcomes.Reaction r = Outcomes.react(p);
        Suback ack = null;
        for (Suback s : received(ctx, p, Suback.class)) {
            if (s.packetId() == packetId) {
                ack = s;
            }
        }
        Integer code = ack != null && index < ack.reasonCodes().size() ? ack.reasonCodes().get(index) : null;
        boolean granted = code != null && code < 0x80;
        String observed = (ack == null ? "no SUBACK" : PacketFormat.describe(ack)) + "; " + r.description();
        String expected = "close the connection without granting the filter";
        if (granted) {
            ctx.fail(filterRule, check, expected, observed);
        } else if (r.closed()) {
            ctx.pass(filterRule, check, observed);
        } else if (code != null) {
            ctx.nonStrict(filterRule, check, expected, observed + " (the filter was refused, but the connection stayed open)");
        } else {
            ctx.fail(filterRule, check, expected, observed);
        }
        Outcomes.judgeClosed(ctx, r, errorRule, check, v5Codes);
        Outcomes.judgeReasonSent(ctx, r);
        return r;
    }
}
