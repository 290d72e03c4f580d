package dev.mqttharness.client;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.codec.DecodeResult;
import dev.mqttharness.spec.codec.Malformed;
import dev.mqttharness.spec.codec.MqttDecoder;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Pingreq;
import dev.mqttharness.spec.packet.Pingresp;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Puback;
import dev.mqttharness.spec.packet.Pubcomp;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.Pubrec;
import dev.mqttharness.spec.packet.Pubrel;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.Unsuback;
import dev.mqttharness.spec.packet.Unsubscribe;
import dev.mqttharness.spec.trace.Trace;
import dev.mqttharness.spec.trace.TraceEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The harness's instrument: a client that sends anything (valid packets, deliberately invalid
 * ones, raw bytes), waits with a bound for what it expects, detects the broker closing the
 * connection by EOF, proves that nothing more arrived with a PINGREQ barrier, and records every
 * byte each way in a {@link Trace}.
 *
 * <p>What arrives is kept in an inbox in arrival order. {@code expect...} takes the first event
 * that matches and leaves the others, so unrelated packets (a retained message, say) do not
 * disturb a wait. Every wait is bounded by the client's timeout unless given its own.
 */
public final class ProbeClient implements AutoCloseable {
    /** What a probe received. */
    public sealed interface Event permits PacketEvent, MalformedEvent, ClosedEvent, BytesEvent {
    }

    /** Bytes from the broker, not decoded (a probe opened with {@link Options#withoutDecoding()}). */
    public record BytesEvent(byte[] bytes) implements Event {
    }

    /** A packet the broker sent, decoded. */
    public record PacketEvent(Packet packet) implements Event {
    }

    /** Bytes from the broker the decoder rejected; nothing after them can be decoded. */
    public record MalformedEvent(Malformed malformed) implements Event {
    }

    /** The connection ended: by the broker (EOF, reset) or by the harness. */
    public record ClosedEvent(String reason, boolean byPeer) implements Event {
    }

    /** Thrown when an expected event did not come within the bound. */
    public static final class ExpectationTimeout extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ExpectationTimeout(String message) {
            super(message, null, false, false);
        }
    }

    /** How a probe behaves. */
    public record Options(Duration timeout, boolean webSocket, boolean autoAck, int maxPacketSize, boolean decode) {
        public static final Options DEFAULT = new Options(Duration.ofSeconds(5), false, false,
                MqttDecoder.PROTOCOL_MAX_PACKET_SIZE, true);

        public Options withTimeout(Duration t) {
            return new Options(t, webSocket, autoAck, maxPacketSize, decode);
        }

        public Options withWebSocket(boolean ws) {
            return new Options(timeout, ws, autoAck, maxPacketSize, decode);
        }

        public Options withAutoAck(boolean a) {
            return new Options(timeout, webSocket, a, maxPacketSize, decode);
        }

        /**
         * Received bytes are recorded and delivered as {@link BytesEvent}s, not decoded: for answers
         * whose layout the probe cannot know (a CONNECT with an unknown protocol level, say).
         */
        public Options withoutDecoding() {
            return new Options(timeout, webSocket, autoAck, maxPacketSize, false);
        }
    }

    private final String name;
    private final Trace trace;
    private final Options options;
    private final MqttDecoder decoder;
    private final Transport transport;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<Event> inbox = new ArrayList<>();
    private volatile ClosedEvent closed;
    private volatile MqttVersion version;
    private int nextId;

    private ProbeClient(String name, Trace trace, Options options, MqttVersion version, Endpoint ep) throws IOException {
        this.name = name;
        this.trace = trace;
        this.options = options;
        this.version = version;
        this.decoder = MqttDecoder.forClient(version, options.maxPacketSize());
        trace.add(name, TraceEvent.Kind.NOTE, null, null, "connecting to " + ep + (options.webSocket() ? " over WebSocket" : ""));
        this.transport = Transport.open(ep, options.webSocket(), options.timeout(), new Transport.Sink() {
            @Override
            public void bytes(byte[] data, int len) {
                onBytes(data, len);
            }

            @Override
            public void closed(String reason, boolean byPeer) {
                onClosed(reason, byPeer);
            }
        }, "probe-" + name);
        trace.add(name, TraceEvent.Kind.CONNECTED, null, null, "network connection open");
    }

    /** Opens a network connection; no MQTT packet is sent yet. */
    public static ProbeClient open(Endpoint ep, MqttVersion version, String name, Trace trace, Options options)
            throws IOException {
        return new ProbeClient(name, trace, options, version, ep);
    }

    public String name() {
        return name;
    }

    public MqttVersion version() {
        return version;
    }

    public Trace trace() {
        return trace;
    }

    public Duration timeout() {
        return options.timeout();
    }

    // ---------------------------------------------------------------- receiving (reader thread)

    private void onBytes(byte[] data, int len) {
        if (!options.decode()) {
            byte[] b = java.util.Arrays.copyOf(data, len);
            trace.add(name, TraceEvent.Kind.RECEIVED, BinaryData.wrap(b), null, len + " bytes, not decoded");
            push(new BytesEvent(b));
            return;
        }
        List<DecodeResult> results = new ArrayList<>(2);
        decoder.feed(data, 0, len, results::add);
        for (DecodeResult r : results) {
            if (r instanceof Malformed) {
                Malformed m = (Malformed) r;
                trace.addMalformed(name, BinaryData.wrap(data, 0, len), m);
                push(new MalformedEvent(m));
            } else {
                DecodeResult.Decoded d = (DecodeResult.Decoded) r;
                Packet p = d.packet();
                trace.add(name, TraceEvent.Kind.RECEIVED, slice(data, d, len), p, PacketFormat.describe(p));
                if (options.autoAck()) {
                    autoAck(p);
                }
                push(new PacketEvent(p));
            }
        }
        if (results.isEmpty() && decoder.failed()) {
            trace.add(name, TraceEvent.Kind.RECEIVED, BinaryData.wrap(data, 0, len), null, "bytes after a malformed packet");
        }
    }

    /** The bytes of one decoded packet, when they lie within this chunk; else the whole chunk. */
    private BinaryData slice(byte[] data, DecodeResult.Decoded d, int len) {
        long chunkStart = decoder.position() - len;
        long rel = d.offset() - chunkStart;
        if (rel >= 0 && rel + d.length() <= len) {
            return BinaryData.wrap(data, (int) rel, d.length());
        }
        return BinaryData.wrap(data, 0, len);
    }

    private void autoAck(Packet p) {
        try {
            if (p instanceof Publish) {
                Publish pub = (Publish) p;
                if (pub.qos() == QoS.AT_LEAST_ONCE) {
                    send(new Puback(pub.packetId()));
                } else if (pub.qos() == QoS.EXACTLY_ONCE) {
                    send(new Pubrec(pub.packetId()));
                }
            } else if (p instanceof Pubrel) {
                send(new Pubcomp(((Pubrel) p).packetId()));
            }
        } catch (IOException ignored) {
            // the close shows up as an event
        }
    }

    private void onClosed(String reason, boolean byPeer) {
        lock.lock();
        try {
            if (closed != null) {
                return;
            }
            ClosedEvent e = new ClosedEvent(reason, byPeer);
            closed = e;
            trace.add(name, byPeer ? TraceEvent.Kind.CLOSED_BY_PEER : TraceEvent.Kind.CLOSED_BY_HARNESS, null, null, reason);
            inbox.add(e);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void push(Event e) {
        lock.lock();
        try {
            inbox.add(e);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- sending

    /** Sends a valid packet (strict encoding: refuses an invalid one). */
    public void send(Packet p) throws IOException {
        if (p instanceof Connect) {
            setVersion(((Connect) p).version());
        }
        write(MqttEncoder.encode(p, version), p);
    }

    /** Sends the packet as it is, valid or not. */
    public void sendUnchecked(Packet p) throws IOException {
        if (p instanceof Connect) {
            setVersion(((Connect) p).version());
        }
        write(MqttEncoder.encodeUnchecked(p, version), p);
    }

    /** Sends raw bytes; {@code description} says what they are meant to be, for the trace. */
    public void sendRaw(byte[] bytes, String description) throws IOException {
        transport.write(bytes);
        trace.add(name, TraceEvent.Kind.SENT, BinaryData.of(bytes), null, description);
    }

    private void write(byte[] bytes, Packet p) throws IOException {
        // record first so the trace shows the packet before any answer to it
        trace.add(name, TraceEvent.Kind.SENT, BinaryData.wrap(bytes), p, PacketFormat.describe(p));
        transport.write(bytes);
    }

    private void setVersion(MqttVersion v) {
        version = v;
        decoder.version(v);
    }

    /** The next packet identifier this probe uses: 1, 2, ... (never 0). */
    public synchronized int nextPacketId() {
        nextId = nextId % 65_535 + 1;
        return nextId;
    }

    // ---------------------------------------------------------------- waiting

    /** Waits for the first event matching {@code match}, removes and returns it; empty on timeout. */
    public Optional<Event> awaitEvent(Predicate<Event> match, Duration timeout) {
        return awaitEvent(match, timeout, true);
    }

    /** Waits for an event matching {@code match} and returns it, leaving it in the inbox; empty on timeout. */
    public Optional<Event> peekEvent(Predicate<Event> match, Duration timeout) {
        return awaitEvent(match, timeout, false);
    }

    private Optional<Event> awaitEvent(Predicate<Event> match, Duration timeout, boolean take) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                for (Iterator<Event> it = inbox.iterator(); it.hasNext(); ) {
                    Event e = it.next();
                    if (match.test(e)) {
                        if (take && !(e instanceof ClosedEvent)) {
                            it.remove(); // a close stays visible to later waits
                        }
                        return Optional.of(e);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                try {
                    arrived.awaitNanos(left);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the first packet matching {@code match}; empty on timeout or if the connection closed first. */
    public Optional<Packet> awaitPacket(Predicate<Packet> match, Duration timeout) {
        Optional<Event> e = awaitEvent(ev -> ev instanceof ClosedEvent || ev instanceof MalformedEvent
                || (ev instanceof PacketEvent && match.test(((PacketEvent) ev).packet())), timeout);
        return e.filter(ev -> ev instanceof PacketEvent).map(ev -> ((PacketEvent) ev).packet());
    }

    public <T extends Packet> Optional<T> await(Class<T> type, Duration timeout) {
        return awaitPacket(type::isInstance, timeout).map(type::cast);
    }

    public <T extends Packet> Optional<T> await(Class<T> type) {
        return await(type, options.timeout());
    }

    /** The first packet of {@code type}, or {@link ExpectationTimeout} saying what came instead. */
    public <T extends Packet> T expect(Class<T> type) {
        return await(type).orElseThrow(() -> timeout("a " + type.getSimpleName().toUpperCase()));
    }

    /** The first packet matching, or {@link ExpectationTimeout}. */
    public Packet expect(Predicate<Packet> match, String what) {
        return awaitPacket(match, options.timeout()).orElseThrow(() -> timeout(what));
    }

    private ExpectationTimeout timeout(String what) {
        StringBuilder sb = new StringBuilder(name).append(": expected ").append(what);
        ClosedEvent c = closed;
        if (c != null) {
            sb.append(", but the connection closed (").append(c.reason()).append(')');
        } else {
            sb.append(" within ").append(options.timeout().toMillis()).append(" ms");
        }
        List<Event> pending = pending();
        if (!pending.isEmpty()) {
            sb.append("; received instead: ").append(describe(pending));
        }
        return new ExpectationTimeout(sb.toString());
    }

    /** The next event in arrival order (packet, malformed or close), removed; empty on timeout. */
    public Optional<Event> next(Duration timeout) {
        return awaitEvent(e -> true, timeout);
    }

    /** Waits until the broker closes the connection; true if it did within the bound. */
    public boolean awaitClosed(Duration timeout) {
        return awaitEvent(e -> e instanceof ClosedEvent, timeout).isPresent();
    }

    public boolean awaitClosed() {
        return awaitClosed(options.timeout());
    }

    public boolean isClosed() {
        return closed != null;
    }

    /** How the connection ended, or null while open. */
    public ClosedEvent closedEvent() {
        return closed;
    }

    /** Events received and not yet taken, in order (not removed). */
    public List<Event> pending() {
        lock.lock();
        try {
            return List.copyOf(inbox);
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns every packet received and not yet taken. */
    public List<Packet> drainPackets() {
        lock.lock();
        try {
            List<Packet> out = new ArrayList<>();
            for (Iterator<Event> it = inbox.iterator(); it.hasNext(); ) {
                Event e = it.next();
                if (e instanceof PacketEvent) {
                    out.add(((PacketEvent) e).packet());
                    it.remove();
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Proves nothing else is on its way on this connection: sends PINGREQ and waits for PINGRESP.
     * The broker answers in order, so whatever it sent before the PINGRESP has arrived. Returns
     * (and removes) the packets that arrived before the PINGRESP and were not yet taken; an
     * {@link ExpectationTimeout} if no PINGRESP came.
     */
    public List<Packet> barrier() throws IOException {
        send(Pingreq.INSTANCE);
        List<Packet> before = new ArrayList<>();
        long deadline = System.nanoTime() + options.timeout().toNanos();
        lock.lock();
        try {
            while (true) {
                for (Iterator<Event> it = inbox.iterator(); it.hasNext(); ) {
                    Event e = it.next();
                    if (e instanceof PacketEvent && ((PacketEvent) e).packet() instanceof Pingresp) {
                        it.remove();
                        return before;
                    }
                    if (!(e instanceof PacketEvent)) {
                        throw timeout("a PINGRESP (barrier)");
                    }
                    before.add(((PacketEvent) e).packet());
                    it.remove();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    inbox.addAll(0, wrap(before));
                    throw timeout("a PINGRESP (barrier)");
                }
                try {
                    arrived.awaitNanos(left);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw timeout("a PINGRESP (interrupted)");
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private static List<Event> wrap(List<Packet> packets) {
        List<Event> out = new ArrayList<>(packets.size());
        for (Packet p : packets) {
            out.add(new PacketEvent(p));
        }
        return out;
    }

    private static String describe(List<Event> events) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (Event e : events) {
            if (n++ > 0) {
                sb.append(", ");
            }
            if (n > 8) {
                sb.append("...");
                break;
            }
            if (e instanceof PacketEvent) {
                sb.append(PacketFormat.describe(((PacketEvent) e).packet()));
            } else if (e instanceof MalformedEvent) {
                sb.append("malformed: ").append(((MalformedEvent) e).malformed().reason());
            } else if (e instanceof BytesEvent) {
                sb.append(((BytesEvent) e).bytes().length).append(" bytes");
            } else {
                sb.append("close");
            }
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- MQTT conveniences

    /** Sends CONNECT and waits for the CONNACK; empty if the broker closed or sent nothing. */
    public Optional<Connack> connect(Connect c) throws IOException {
        send(c);
        return await(Connack.class);
    }

    /** Subscribes and waits for the SUBACK. */
    public Suback subscribe(TopicSubscription... subs) throws IOException {
        return subscribe(Properties.EMPTY, subs);
    }

    public Suback subscribe(Properties props, TopicSubscription... subs) throws IOException {
        int id = nextPacketId();
        send(new Subscribe(id, props, List.of(subs)));
        return (Suback) expect(p -> p instanceof Suback && ((Suback) p).packetId() == id, "a SUBACK for packet " + id);
    }

    public Suback subscribe(String filter, QoS qos) throws IOException {
        return subscribe(TopicSubscription.of(filter, qos));
    }

    public Unsuback unsubscribe(String... filters) throws IOException {
        int id = nextPacketId();
        send(Unsubscribe.of(id, filters));
        return (Unsuback) expect(p -> p instanceof Unsuback && ((Unsuback) p).packetId() == id, "an UNSUBACK for packet " + id);
    }

    /**
     * Publishes and completes the QoS flow: QoS 1 waits for PUBACK, QoS 2 for PUBREC, sends PUBREL
     * and waits for PUBCOMP. A packet identifier is assigned if the PUBLISH has none. Returns the
     * last acknowledgement (null for QoS 0).
     */
    public Packet publish(Publish p) throws IOException {
        Publish pub = p.qos() != QoS.AT_MOST_ONCE && p.packetId() == 0 ? p.withPacketId(nextPacketId()) : p;
        send(pub);
        int id = pub.packetId();
        switch (pub.qos()) {
            case AT_LEAST_ONCE:
                return expect(x -> x instanceof Puback && ((Puback) x).packetId() == id, "a PUBACK for packet " + id);
            case EXACTLY_ONCE: {
                Pubrec rec = (Pubrec) expect(x -> x instanceof Pubrec && ((Pubrec) x).packetId() == id, "a PUBREC for packet " + id);
                if (rec.reasonCode() >= 0x80) {
                    return rec;
                }
                send(new Pubrel(id));
                return expect(x -> x instanceof Pubcomp && ((Pubcomp) x).packetId() == id, "a PUBCOMP for packet " + id);
            }
            default:
                return null;
        }
    }

    /** Waits for a PUBLISH on {@code topic} (by name; an aliased PUBLISH has an empty name). */
    public Optional<Publish> awaitPublish(String topic, Duration timeout) {
        return awaitPacket(p -> p instanceof Publish && ((Publish) p).topic().toString().equals(topic), timeout)
                .map(Publish.class::cast);
    }

    public Optional<Publish> awaitPublish(String topic) {
        return awaitPublish(topic, options.timeout());
    }

    /** Sends DISCONNECT (reason 0) and closes the socket. */
    public void disconnect() {
        try {
            send(Disconnect.NORMAL);
        } catch (IOException ignored) {
            // closing anyway
        }
        close();
    }

    /** Drops the network connection at once, without DISCONNECT (an abnormal close for the broker). */
    @Override
    public void close() {
        if (closed == null) {
            transport.close();
            // the reader thread reports the close; make sure it is recorded even if it is slow
            onClosed("closed by the harness", false);
        }
    }

    /** True if the packet type is one a broker may send in this probe's version. */
    public boolean serverMaySend(PacketType t) {
        return t.sentByServer(version.isV5());
    }

    static long millis(Duration d) {
        return TimeUnit.NANOSECONDS.toMillis(d.toNanos());
    }
}
