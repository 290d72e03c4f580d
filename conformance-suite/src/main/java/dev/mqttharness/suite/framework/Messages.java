package dev.mqttharness.suite.framework;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.trace.TraceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Helpers for scenarios about application messages: sessions that outlive a connection, probes
 * that acknowledge what they receive, collecting several deliveries with one bound, and describing
 * what came (or why nothing did).
 */
public final class Messages {
    /** Session Expiry Interval used for persistent 5.0 sessions: long enough for any scenario, cleaned up after. */
    public static final long SESSION_EXPIRY = 300;

    private Messages() {
    }

    /**
     * A session that survives the network connection: Clean Session 0 in 3.1.1; in 5.0 a Session
     * Expiry Interval and Clean Start 0 when {@code resume} (Clean Start 1 on the first connection,
     * so nothing stale is picked up).
     */
    public static UnaryOperator<Connect.Builder> persistent(ScenarioContext ctx, boolean resume) {
        if (!ctx.v5()) {
            return b -> b.cleanStart(false);
        }
        return b -> b.cleanStart(!resume).property(Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, SESSION_EXPIRY));
    }

    /**
     * Like {@link #persistent}, under the Client Identifier of {@code clientLabel}: a second probe
     * (traced under its own name, as each network connection must be) resuming the same session.
     */
    public static UnaryOperator<Connect.Builder> resume(ScenarioContext ctx, String clientLabel) {
        UnaryOperator<Connect.Builder> p = persistent(ctx, true);
        return b -> p.apply(b.clientId(ctx.clientId(clientLabel)));
    }

    /** Probe options that acknowledge every QoS 1/2 delivery and PUBREL at once, with the suite's timeout. */
    public static ProbeClient.Options autoAck(ScenarioContext ctx) {
        return ProbeClient.Options.DEFAULT.withTimeout(ctx.timeout()).withAutoAck(true);
    }

    /** Probe options that acknowledge nothing on their own, with the suite's timeout. */
    public static ProbeClient.Options manual(ScenarioContext ctx) {
        return ProbeClient.Options.DEFAULT.withTimeout(ctx.timeout());
    }

    /**
     * Takes PUBLISHes matching {@code match} as they arrive until {@code count} have come or
     * {@code timeout} has passed overall (or the connection closed); returns those that came, in order.
     */
    public static List<Publish> await(ProbeClient p, Predicate<Publish> match, int count, Duration timeout) {
        List<Publish> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            Optional<Packet> got = p.awaitPacket(x -> x instanceof Publish && match.test((Publish) x), Duration.ofNanos(left));
            if (got.isEmpty()) {
                break;
            }
            out.add((Publish) got.get());
        }
        return out;
    }

    /** {@link #await} on one topic (by name) with the probe's timeout. */
    public static List<Publish> await(ProbeClient p, String topic, int count) {
        return await(p, onTopic(topic), count, p.timeout());
    }

    /**
     * Takes PUBLISHes on {@code topic} until one satisfying {@code last} arrives (included), or the
     * probe's timeout passes; the sentinel pattern: what a broker sent before the sentinel is all here.
     */
    public static List<Publish> awaitUntil(ProbeClient p, String topic, Predicate<Publish> last) {
        List<Publish> out = new ArrayList<>();
        long deadline = System.nanoTime() + p.timeout().toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return out;
            }
            Optional<Publish> got = p.awaitPublish(topic, Duration.ofNanos(left));
            if (got.isEmpty()) {
                return out;
            }
            out.add(got.get());
            if (last.test(got.get())) {
                return out;
            }
        }
    }

    public static Predicate<Publish> onTopic(String topic) {
        return x -> x.topic().toString().equals(topic);
    }

    public static Predicate<Publish> withPayload(String payload) {
        return x -> x.payload().toUtf8().equals(payload);
    }

    /** The PUBLISHes among {@code packets} (a barrier's result, say) matching {@code match}. */
    public static List<Publish> publishes(List<Packet> packets, Predicate<Publish> match) {
        List<Publish> out = new ArrayList<>();
        for (Packet x : packets) {
            if (x instanceof Publish && match.test((Publish) x)) {
                out.add((Publish) x);
            }
        }
        return out;
    }

    /** Payloads as text, in order. */
    public static List<String> payloads(List<Publish> publishes) {
        List<String> out = new ArrayList<>(publishes.size());
        for (Publish x : publishes) {
            out.add(x.payload().toUtf8());
        }
        return out;
    }

    public static String describe(List<? extends Packet> packets) {
        if (packets.isEmpty()) {
            return "nothing";
        }
        List<String> out = new ArrayList<>(packets.size());
        for (Packet x : packets) {
            out.add(PacketFormat.describe(x));
        }
        return String.join(", ", out);
    }

    /** Why a probe has nothing more: the connection closed, the broker sent bad bytes, or just silence. */
    public static String nothing(ProbeClient p, String what) {
        ProbeClient.ClosedEvent c = p.closedEvent();
        if (c != null) {
            return "no " + what + ": the connection closed (" + c.reason() + ")";
        }
        for (ProbeClient.Event e : p.pending()) {
            if (e instanceof ProbeClient.MalformedEvent) {
                return "no " + what + ": the broker sent malformed bytes (" + ((ProbeClient.MalformedEvent) e).malformed().reason() + ")";
            }
        }
        return "no " + what + " within " + p.timeout().toMillis() + " ms";
    }

    /** The size on the wire of a packet {@code p} received, from the trace (-1 if not found). */
    public static int receivedSize(ScenarioContext ctx, ProbeClient p, Packet packet) {
        for (TraceEvent e : ctx.trace().events()) {
            if (e.kind() == TraceEvent.Kind.RECEIVED && e.packet() == packet && e.connection().equals(p.name())
                    && e.bytes() != null) {
                return e.bytes().length();
            }
        }
        return -1;
    }

    /**
     * Lets {@code d} pass while watching {@code p}: for statements about time itself (message expiry),
     * where no event marks the moment. Whatever arrives meanwhile stays in the probe's inbox.
     */
    public static void letTimePass(ProbeClient p, Duration d) {
        p.awaitEvent(e -> false, d);
    }

    /**
     * Deliveries collected while they are kept unacknowledged, so their identifiers stay in use.
     *
     * @param got    the deliveries, in arrival order
     * @param widest the most that were unacknowledged at one time
     * @param reused one line per identifier that was 0 or arrived while still in use
     */
    public record Held(List<Publish> got, int widest, List<String> reused) {
    }

    /**
     * Collects {@code n} deliveries matching {@code match} without acknowledging them. A broker may keep
     * fewer in flight than the client allows (nothing obliges it to send more than one): when none come
     * while some are unacknowledged, the oldest is completed (PUBACK; PUBREC, PUBREL, PUBCOMP) to make
     * room, and from then on the window the broker chose is kept full rather than waited for again.
     * Everything still held is completed at the end.
     */
    public static Held collectHoldingAcks(ProbeClient sub, java.util.function.Predicate<Publish> match, int n,
                                          java.time.Duration timeout) throws java.io.IOException {
        List<Publish> got = new ArrayList<>();
        java.util.ArrayDeque<Publish> inFlight = new java.util.ArrayDeque<>();
        java.util.Set<Integer> inUse = new java.util.HashSet<>();
        List<String> reused = new ArrayList<>();
        int window = Integer.MAX_VALUE;
        int widest = 0;
        while (got.size() < n) {
            if (inFlight.size() >= window) {
                release(sub, inFlight, inUse);
            }
            java.time.Duration bound = inFlight.isEmpty() ? timeout : timeout.dividedBy(5);
            java.util.Optional<Publish> x = sub.awaitPacket(p -> p instanceof Publish && match.test((Publish) p), bound)
                    .map(Publish.class::cast);
            if (x.isEmpty()) {
                if (inFlight.isEmpty()) {
                    break;
                }
                window = inFlight.size();
                release(sub, inFlight, inUse);
                continue;
            }
            Publish p = x.get();
            got.add(p);
            if (p.packetId() == 0) {
                reused.add("Packet Identifier 0 on " + dev.mqttharness.spec.packet.PacketFormat.describe(p));
            } else if (!inUse.add(p.packetId())) {
                reused.add("identifier " + p.packetId() + " reused while still unacknowledged");
            }
            inFlight.addLast(p);
            widest = Math.max(widest, inFlight.size());
        }
        while (!inFlight.isEmpty()) {
            release(sub, inFlight, inUse);
        }
        return new Held(got, widest, reused);
    }

    private static void release(ProbeClient sub, java.util.ArrayDeque<Publish> inFlight, java.util.Set<Integer> inUse)
            throws java.io.IOException {
        Publish x = inFlight.pollFirst();
        int id = x.packetId();
        if (x.qos() == dev.mqttharness.spec.packet.QoS.AT_LEAST_ONCE) {
            sub.send(new dev.mqttharness.spec.packet.Puback(id));
        } else if (x.qos() == dev.mqttharness.spec.packet.QoS.EXACTLY_ONCE) {
            sub.send(new dev.mqttharness.spec.packet.Pubrec(id));
            sub.expect(p -> p instanceof dev.mqttharness.spec.packet.Pubrel
                    && ((dev.mqttharness.spec.packet.Pubrel) p).packetId() == id, "a PUBREL for packet " + id);
            sub.send(new dev.mqttharness.spec.packet.Pubcomp(id));
        }
        inUse.remove(id);
    }
}
