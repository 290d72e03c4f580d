package dev.mqttharness.fuzz.oracle;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.fuzz.gen.Mutation;
import dev.mqttharness.fuzz.gen.Obligation;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Pingresp;
import dev.mqttharness.spec.packet.Suback;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The malformed-input oracle. After a labelled mutation the runner sends a PINGREQ at once; a broker
 * that treats the mutation as the error it is closes the connection without processing anything
 * after it (3.1.1 §4.8, 5.0 §4.13, MQTT-3.1.4-5 / -6), so a PINGRESP proves it carried on. In 5.0 the
 * broker may first send CONNACK (for a CONNECT) or should send DISCONNECT with a reason code of 0x80
 * or above. Waiting costs nothing when the broker behaves: the close (EOF) or the PINGRESP ends it.
 */
public final class MalformedOracle {
    private MalformedOracle() {
    }

    /** What the broker did after the mutation and the PINGREQ. */
    public record Reaction(boolean closed, boolean carriedOn, boolean open, Integer connackCode, Integer disconnectCode,
                           boolean subackFailure, boolean subackSuccess, String description) {
    }

    public static Reaction react(ProbeClient p, Duration timeout) {
        Integer connack = null;
        Integer disconnect = null;
        boolean subFail = false;
        boolean subOk = false;
        List<String> seen = new ArrayList<>();
        while (true) {
            Optional<ProbeClient.Event> e = p.next(timeout);
            if (e.isEmpty()) {
                return new Reaction(false, false, true, connack, disconnect, subFail, subOk,
                        "the connection stayed open for " + timeout.toMillis() + " ms and no PINGRESP came" + after(seen));
            }
            ProbeClient.Event ev = e.get();
            if (ev instanceof ProbeClient.ClosedEvent c) {
                return new Reaction(true, false, false, connack, disconnect, subFail, subOk,
                        (seen.isEmpty() ? "closed without any packet" : String.join(", ", seen) + ", then closed")
                                + " (" + c.reason() + ")");
            }
            if (ev instanceof ProbeClient.MalformedEvent m) {
                return new Reaction(false, false, false, connack, disconnect, subFail, subOk,
                        "the broker sent malformed bytes: " + m.malformed().reason());
            }
            Packet pk = ((ProbeClient.PacketEvent) ev).packet();
            if (pk instanceof Pingresp) {
                return new Reaction(false, true, false, connack, disconnect, subFail, subOk,
                        "a PINGRESP came" + after(seen) + ": the broker went on processing instead of closing");
            }
            seen.add(PacketFormat.describe(pk));
            if (pk instanceof Connack ca) {
                connack = ca.reasonCode();
            } else if (pk instanceof Disconnect d) {
                disconnect = d.reasonCode();
            } else if (pk instanceof Suback s) {
                for (int code : s.reasonCodes()) {
                    if (code >= 0x80) {
                        subFail = true;
                    } else {
                        subOk = true;
                    }
                }
            }
        }
    }

    private static String after(List<String> seen) {
        return seen.isEmpty() ? "" : " (after " + String.join(", ", seen) + ")";
    }

    /** Findings for one mutation in version {@code v}. */
    public static List<Finding> judge(MqttVersion v, Mutation m, int variant, Obligation obl, Reaction r, String conn,
                                      Duration timeout) {
        List<Finding> out = new ArrayList<>();
        boolean v5 = v.isV5();
        boolean connectStage = m.stage() != Mutation.Stage.SESSION;
        String what = m.describe(variant);
        String observed = conn + " sent " + what + ", then PINGREQ: " + r.description();
        String expected = v5
                ? (connectStage ? "close the connection, optionally after CONNACK with a reason code of 0x80 or above"
                        : "close the connection, after DISCONNECT with a reason code of 0x80 or above (SHOULD)")
                : (connectStage ? "close the connection without a successful CONNACK" : "close the connection");
        if (m.subackFailureAllowed()) {
            expected += ", or refuse the subscription with a SUBACK failure code";
        }
        // an error the broker reported itself, then carried on: wrong whatever the mutation
        if (v5 && r.disconnectCode() != null && (r.carriedOn() || r.open())) {
            out.add(Finding.fail(v, r.carriedOn() ? "MQTT-3.14.4-1" : "MQTT-3.14.4-2",
                    r.carriedOn() ? "sent a packet after its own DISCONNECT" : "did not close the connection after its own DISCONNECT",
                    "no packet after the DISCONNECT, and the connection closed", observed, obl.breaks()));
            return out;
        }
        if (r.connackCode() != null && r.connackCode() != 0 && (r.carriedOn() || r.open())) {
            out.add(Finding.fail(v, v5 ? "MQTT-3.2.2-7" : "MQTT-3.2.2-5", "did not close after a refusing CONNACK",
                    "close the connection after a CONNACK with a non-zero code", observed, obl.breaks()));
            return out;
        }
        if (r.carriedOn()) {
            if (m.subackFailureAllowed() && r.subackFailure() && !r.subackSuccess()) {
                return out;
            }
            if (obl.binding()) {
                out.add(Finding.fail(v, obl.statement(), "accepted: " + m.family(variant), expected, observed, obl.breaks()));
            }
            return out;
        }
        if (r.open()) {
            if (obl.binding()) {
                out.add(Finding.fail(v, obl.statement(), "did not close after: " + m.family(variant), expected, observed,
                        obl.breaks()));
            }
            return out;
        }
        if (!r.closed()) {
            return out; // malformed bytes from the broker: the trace checks report them
        }
        if (connectStage && obl.binding() && r.connackCode() != null && r.connackCode() == 0) {
            out.add(Finding.fail(v, obl.statement(), "accepted: " + m.family(variant), expected,
                    observed + " (the CONNECT was accepted with CONNACK 0x00)", obl.breaks()));
            return out;
        }
        boolean disconnectMutation = what.startsWith("DISCONNECT") || what.contains(PacketType.DISCONNECT.name() + " with");
        // a second CONNECT is "an error in a CONNECT packet", for which §4.13.1 has only a MAY (CONNACK)
        boolean connectError = m == Mutation.SECOND_CONNECT;
        if (v5 && !connectStage && !disconnectMutation && !connectError && (r.disconnectCode() == null || r.disconnectCode() < 0x80)) {
            out.add(Finding.nonStrict(v, "§4.13.1", "closed without DISCONNECT and a reason code after a malformed packet",
                    "DISCONNECT with the reason code (0x81, 0x82 or a more specific one), then close", observed));
        }
        return out;
    }
}
