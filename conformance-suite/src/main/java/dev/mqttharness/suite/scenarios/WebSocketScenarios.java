package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.Endpoint;
import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.codec.DecodeResult;
import dev.mqttharness.spec.codec.Malformed;
import dev.mqttharness.spec.codec.MqttDecoder;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.Pingreq;
import dev.mqttharness.spec.packet.Pingresp;
import dev.mqttharness.spec.packet.Puback;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.trace.Trace;
import dev.mqttharness.spec.trace.TraceEvent;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import dev.mqttharness.suite.framework.Unsupported;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * MQTT over WebSocket (3.1.1 and 5.0 §6): the broker selects the "mqtt" subprotocol, reads MQTT bytes
 * from binary frames however they are split or packed, and closes on any other data frame. Runs only
 * where the target offers a WebSocket endpoint.
 *
 * <p>The probes here are public static so that a unit test can run them against a reference broker
 * with a WebSocket listener; the scenarios only add the verdicts.
 */
@ScenarioSuite
public class WebSocketScenarios {

    /** What a WebSocket probe saw: whether the rule held, and why. */
    public record Observed(boolean holds, String description) {
    }

    private static URI requireWebSocket(ScenarioContext ctx) throws IOException {
        ctx.require(Capability.WEBSOCKET);
        URI uri = ctx.endpoint().webSocket();
        if (uri == null) {
            throw new Unsupported(ctx.target().name() + " offers no WebSocket endpoint");
        }
        return uri;
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-6.0.0-4")
    @Verifies(version = V5, value = "MQTT-6.0.0-4")
    void the_broker_selects_the_mqtt_subprotocol(ScenarioContext ctx) throws Exception {
        URI uri = requireWebSocket(ctx);
        Observed o = subprotocol(uri, ctx.timeout(), ctx.trace());
        ctx.check("MQTT-6.0.0-4", o.holds(), "the WebSocket handshake selects the subprotocol 'mqtt'",
                "Sec-WebSocket-Protocol: mqtt in the handshake response", o.description());
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-6.0.0-2")
    @Verifies(version = V5, value = "MQTT-6.0.0-2")
    void packets_split_across_frames_or_packed_into_one_are_read(ScenarioContext ctx) throws Exception {
        URI uri = requireWebSocket(ctx);
        Observed split = splitAndPacked(ctx.endpoint(), ctx.version(), ctx.connectBuilder("split").build(), ctx.topic("ws"),
                ctx.trace(), ctx.timeout());
        Observed fragmented = fragmented(uri, ctx.version(), ctx.connectBuilder("frag").build(), ctx.trace(), ctx.timeout());
        ctx.check("MQTT-6.0.0-2", split.holds() && fragmented.holds(),
                "MQTT packets need not line up with WebSocket frames",
                "a CONNECT in two messages, SUBSCRIBE + PINGREQ in one, a PUBLISH in three pieces, and a CONNECT in a "
                        + "fragmented message (continuation frame) are all processed",
                split.description() + "; " + fragmented.description());
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-6.0.0-1")
    @Verifies(version = V5, value = "MQTT-6.0.0-1")
    void a_text_frame_closes_the_connection(ScenarioContext ctx) throws Exception {
        URI uri = requireWebSocket(ctx);
        Observed o = textFrame(uri, ctx.version(), ctx.connectBuilder("text").build(), ctx.topic("text"), ctx.trace(), ctx.timeout());
        ctx.check("MQTT-6.0.0-1", o.holds(), "a data frame other than binary makes the broker close the connection",
                "the connection closed after a text frame (which held a well-formed PUBLISH), nothing processed",
                o.description());
    }

    // ---------------------------------------------------------------- probes

    /** Opens a WebSocket offering "mqtt" and reports the subprotocol the broker selected. */
    public static Observed subprotocol(URI uri, Duration timeout, Trace trace) {
        try (RawWebSocket ws = RawWebSocket.open(uri, timeout, trace, "handshake", MqttVersion.V5)) {
            String sp = ws.subprotocol();
            trace.note("handshake", "offered subprotocol 'mqtt'; the broker selected '" + sp + "'");
            return new Observed("mqtt".equals(sp), sp.isEmpty() ? "no subprotocol selected" : "selected '" + sp + "'");
        } catch (IOException e) {
            return new Observed(false, "handshake offering 'mqtt' failed: " + e.getMessage());
        }
    }

    /**
     * Over the broker's WebSocket endpoint, as separate binary messages: a CONNECT in two halves; a
     * SUBSCRIBE and a PINGREQ in one message; a QoS 1 PUBLISH to the subscribed topic in three pieces,
     * the last also carrying a whole PINGREQ. Everything must be answered.
     */
    public static Observed splitAndPacked(Endpoint ep, MqttVersion version, Connect connect, String topic, Trace trace,
                                          Duration timeout) throws IOException {
        try (ProbeClient p = ProbeClient.open(ep, version, "split", trace, ProbeClient.Options.DEFAULT.withTimeout(timeout)
                .withWebSocket(true))) {
            List<String> seen = new ArrayList<>();
            byte[] c = MqttEncoder.encode(connect, version);
            meant(trace, p, connect);
            p.sendRaw(Arrays.copyOfRange(c, 0, c.length / 2), "first half of CONNECT");
            p.sendRaw(Arrays.copyOfRange(c, c.length / 2, c.length), "second half of CONNECT");
            if (p.await(Connack.class).filter(a -> a.reasonCode() == 0).isEmpty()) {
                return new Observed(false, "no CONNACK 0 to a CONNECT split over two binary messages (" + pending(p) + ")");
            }
            seen.add("CONNACK to a split CONNECT");
            Subscribe s = Subscribe.of(1, topic, QoS.AT_LEAST_ONCE);
            meant(trace, p, s);
            meant(trace, p, Pingreq.INSTANCE);
            p.sendRaw(concat(MqttEncoder.encode(s, version), MqttEncoder.encode(Pingreq.INSTANCE, version)),
                    "SUBSCRIBE and PINGREQ in one binary message");
            if (p.await(Suback.class).isEmpty() || p.await(Pingresp.class).isEmpty()) {
                return new Observed(false, String.join(", ", seen) + "; no SUBACK and PINGRESP to SUBSCRIBE + PINGREQ in one message ("
                        + pending(p) + ")");
            }
            seen.add("SUBACK and PINGRESP to two packets in one message");
            Publish pub = Publish.of(topic, "split over three frames", QoS.AT_LEAST_ONCE, 2, false);
            byte[] b = MqttEncoder.encode(pub, version);
            byte[] ping = MqttEncoder.encode(Pingreq.INSTANCE, version);
            meant(trace, p, pub);
            meant(trace, p, Pingreq.INSTANCE);
            p.sendRaw(Arrays.copyOfRange(b, 0, 1), "PUBLISH: first byte");
            p.sendRaw(Arrays.copyOfRange(b, 1, b.length - 3), "PUBLISH: middle");
            p.sendRaw(concat(Arrays.copyOfRange(b, b.length - 3, b.length), ping), "PUBLISH: last three bytes, then a PINGREQ");
            boolean acked = p.awaitPacket(x -> x instanceof Puback && ((Puback) x).packetId() == 2, timeout).isPresent();
            boolean echoed = p.awaitPublish(topic).isPresent();
            boolean pong = p.await(Pingresp.class).isPresent();
            if (!acked || !echoed || !pong) {
                return new Observed(false, String.join(", ", seen) + "; a PUBLISH in three pieces followed by a PINGREQ got "
                        + (acked ? "PUBACK" : "no PUBACK") + ", " + (echoed ? "its delivery" : "no delivery") + ", "
                        + (pong ? "PINGRESP" : "no PINGRESP") + " (" + pending(p) + ")");
            }
            seen.add("PUBACK, delivery and PINGRESP for a PUBLISH in three pieces plus a PINGREQ");
            return new Observed(true, String.join(", ", seen));
        }
    }

    /** A CONNECT sent as one fragmented binary message: a first frame and a continuation frame. */
    public static Observed fragmented(URI uri, MqttVersion version, Connect connect, Trace trace, Duration timeout) {
        try (RawWebSocket ws = RawWebSocket.open(uri, timeout, trace, "fragmented", version)) {
            byte[] c = MqttEncoder.encode(connect, version);
            ws.meant(connect);
            ws.sendBinary(Arrays.copyOfRange(c, 0, 3), false, "CONNECT, first fragment (binary frame, FIN 0)");
            ws.sendBinary(Arrays.copyOfRange(c, 3, c.length), true, "CONNECT, last fragment (continuation frame)");
            Packet ack = ws.awaitPacket(x -> x instanceof Connack, timeout);
            return ack != null && ((Connack) ack).reasonCode() == 0
                    ? new Observed(true, "CONNACK to a CONNECT in a fragmented message")
                    : new Observed(false, "no CONNACK 0 to a CONNECT in a fragmented message (" + ws.state() + ")");
        } catch (IOException e) {
            return new Observed(false, "fragmented message: " + e.getMessage());
        }
    }

    /**
     * Connects and subscribes over binary frames, then sends a text frame holding a well-formed QoS 0
     * PUBLISH to the subscribed topic (ASCII only, so it is valid text), then a binary PINGREQ. The
     * broker must close; a delivery or a PINGRESP shows it went on.
     */
    public static Observed textFrame(URI uri, MqttVersion version, Connect connect, String topic, Trace trace,
                                     Duration timeout) {
        try (RawWebSocket ws = RawWebSocket.open(uri, timeout, trace, "text", version)) {
            ws.meant(connect);
            ws.sendBinary(MqttEncoder.encode(connect, version), true, "CONNECT");
            Packet ack = ws.awaitPacket(x -> x instanceof Connack, timeout);
            if (ack == null || ((Connack) ack).reasonCode() != 0) {
                return new Observed(false, "no CONNACK 0 over WebSocket (" + ws.state() + ")");
            }
            Subscribe s = Subscribe.of(1, topic, QoS.AT_MOST_ONCE);
            ws.meant(s);
            ws.sendBinary(MqttEncoder.encode(s, version), true, "SUBSCRIBE");
            if (ws.awaitPacket(x -> x instanceof Suback, timeout) == null) {
                return new Observed(false, "no SUBACK over WebSocket (" + ws.state() + ")");
            }
            byte[] pub = MqttEncoder.encode(Publish.qos0(topic, "in a text frame"), version);
            String text = new String(pub, java.nio.charset.StandardCharsets.US_ASCII);
            if (!Arrays.equals(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), pub)) {
                throw new IllegalStateException("the PUBLISH is not ASCII: pick a shorter topic");
            }
            ws.sendText(text, "a QoS 0 PUBLISH to the subscribed topic, as a text frame");
            try {
                ws.sendBinary(MqttEncoder.encode(Pingreq.INSTANCE, version), true, "PINGREQ after the text frame");
            } catch (IOException e) {
                // closed already
            }
            Packet after = ws.awaitPacket(x -> x instanceof Publish || x instanceof Pingresp, timeout);
            if (after != null) {
                return new Observed(false, "the broker went on after the text frame: " + PacketFormat.describe(after));
            }
            return ws.closed() ? new Observed(true, "closed after the text frame (" + ws.state() + ")")
                    : new Observed(false, "the connection stayed open " + timeout.toMillis() + " ms after the text frame");
        } catch (IOException e) {
            return new Observed(false, "text frame probe: " + e.getMessage());
        }
    }

    private static void meant(Trace trace, ProbeClient p, Packet packet) {
        trace.add(p.name(), TraceEvent.Kind.SENT, null, packet, "meant as " + PacketFormat.describe(packet)
                + "; the bytes actually sent follow");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String pending(ProbeClient p) {
        ProbeClient.ClosedEvent c = p.closedEvent();
        return c != null ? "closed: " + c.reason() : "pending: " + p.pending();
    }

    /**
     * A WebSocket client for what the probe client's transport does not do: text frames, fragmented
     * binary messages, and reading the selected subprotocol. Everything goes into the trace.
     */
    static final class RawWebSocket implements AutoCloseable {
        private static final Object CLOSED = new Object();
        private final WebSocket ws;
        private final LinkedBlockingQueue<Object> inbox;
        private final Trace trace;
        private final String name;
        private volatile String closeReason;

        private RawWebSocket(WebSocket ws, LinkedBlockingQueue<Object> inbox, Trace trace, String name) {
            this.ws = ws;
            this.inbox = inbox;
            this.trace = trace;
            this.name = name;
        }

        static RawWebSocket open(URI uri, Duration timeout, Trace trace, String name, MqttVersion version) throws IOException {
            LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
            MqttDecoder decoder = MqttDecoder.forClient(version, MqttDecoder.PROTOCOL_MAX_PACKET_SIZE);
            RawWebSocket[] self = new RawWebSocket[1];
            WebSocket.Listener listener = new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                    byte[] b = new byte[data.remaining()];
                    data.get(b);
                    decoder.feed(b, 0, b.length, r -> {
                        if (r instanceof DecodeResult.Decoded) {
                            Packet p = ((DecodeResult.Decoded) r).packet();
                            trace.add(name, TraceEvent.Kind.RECEIVED, BinaryData.of(b), p, PacketFormat.describe(p));
                            inbox.add(p);
                        } else {
                            trace.addMalformed(name, BinaryData.of(b), (Malformed) r);
                        }
                    });
                    w.request(1);
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    trace.note(name, "the broker sent a text frame: " + data);
                    w.request(1);
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
                    ended("WebSocket Close " + status + (reason.isEmpty() ? "" : " (" + reason + ")"));
                    return null;
                }

                @Override
                public void onError(WebSocket w, Throwable error) {
                    ended("connection ended: " + error);
                }

                private void ended(String why) {
                    if (self[0] != null && self[0].closeReason == null) {
                        self[0].closeReason = why;
                        trace.add(name, TraceEvent.Kind.CLOSED_BY_PEER, null, null, why);
                    }
                    inbox.add(CLOSED);
                }
            };
            trace.add(name, TraceEvent.Kind.NOTE, null, null, "WebSocket handshake with " + uri + ", offering subprotocol 'mqtt'");
            try {
                WebSocket ws = HttpClient.newBuilder().connectTimeout(timeout).build().newWebSocketBuilder()
                        .subprotocols("mqtt").connectTimeout(timeout).buildAsync(uri, listener)
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                self[0] = new RawWebSocket(ws, inbox, trace, name);
                trace.add(name, TraceEvent.Kind.CONNECTED, null, null, "WebSocket open, subprotocol '" + ws.getSubprotocol() + "'");
                return self[0];
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (Exception e) {
                throw new IOException("WebSocket handshake with " + uri + " failed: " + e.getMessage(), e);
            }
        }

        String subprotocol() {
            return ws.getSubprotocol();
        }

        void meant(Packet packet) {
            trace.add(name, TraceEvent.Kind.SENT, null, packet, "meant as " + PacketFormat.describe(packet)
                    + "; the bytes actually sent follow");
        }

        void sendBinary(byte[] b, boolean last, String description) throws IOException {
            trace.add(name, TraceEvent.Kind.SENT, BinaryData.of(b), null, description);
            await(ws.sendBinary(ByteBuffer.wrap(b), last));
        }

        void sendText(String s, String description) throws IOException {
            trace.add(name, TraceEvent.Kind.SENT, BinaryData.of(s), null, "text frame: " + description);
            await(ws.sendText(s, true));
        }

        private static void await(CompletableFuture<WebSocket> f) throws IOException {
            try {
                f.get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (Exception e) {
                throw new IOException("send failed: " + e.getMessage(), e);
            }
        }

        /** The first packet matching, taking others on the way; null if the connection closed or nothing came. */
        Packet awaitPacket(Predicate<Packet> match, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                Object o;
                try {
                    o = inbox.poll(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
                if (o == null) {
                    return null;
                }
                if (o == CLOSED) {
                    inbox.add(CLOSED);
                    return null;
                }
                if (match.test((Packet) o)) {
                    return (Packet) o;
                }
            }
        }

        boolean closed() {
            return closeReason != null;
        }

        String state() {
            return closeReason != null ? closeReason : "still open";
        }

        @Override
        public void close() {
            if (closeReason == null) {
                trace.add(name, TraceEvent.Kind.CLOSED_BY_HARNESS, null, null, "closed by the harness");
            }
            ws.abort();
        }
    }
}
