package dev.mqttharness.client;

import dev.mqttharness.auth.Scram;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.codec.DecodeResult;
import dev.mqttharness.spec.codec.Malformed;
import dev.mqttharness.spec.codec.MqttDecoder;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.packet.Auth;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Pingreq;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.PubAck;
import dev.mqttharness.spec.packet.Puback;
import dev.mqttharness.spec.packet.Pubcomp;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.Pubrec;
import dev.mqttharness.spec.packet.Pubrel;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicFilter;
import dev.mqttharness.spec.packet.TopicName;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.Unsuback;
import dev.mqttharness.spec.packet.Unsubscribe;
import dev.mqttharness.spec.packet.Will;
import dev.mqttharness.spec.trace.Trace;
import dev.mqttharness.spec.trace.TraceEvent;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A well-behaved MQTT 3.1.1 / 5.0 client for scenarios that need a conformant peer, built on the
 * same {@link Transport} and codec as the {@link ProbeClient}. Where the probe sends exactly what it
 * is told, this client follows the client-side rules by itself:
 *
 * <ul>
 *   <li>session state that survives reconnects: unacknowledged QoS 1/2 PUBLISHes are re-sent with
 *       DUP 1 and their original packet identifiers, PUBRELs again, when the broker resumes the
 *       session (MQTT-4.4.0-1); the state is discarded when it does not (Session Present 0);</li>
 *   <li>QoS 0/1/2 both ways with automatic acknowledgements; a QoS 2 message is handed to the
 *       application once, however often it is re-sent before its PUBREL;</li>
 *   <li>flow control: never more unacknowledged QoS &gt; 0 PUBLISHes than the broker's Receive
 *       Maximum (MQTT-3.3.4-7); the rest wait in order;</li>
 *   <li>topic aliases: incoming ones resolved, outgoing ones used within the broker's Topic Alias
 *       Maximum (never on a re-sent PUBLISH, as aliases end with the connection);</li>
 *   <li>keep alive: PINGREQ when nothing was sent for the Keep Alive (or Server Keep Alive);</li>
 *   <li>SCRAM-SHA-256 enhanced authentication when asked for.</li>
 * </ul>
 *
 * Messages go to a listener if one is set, else into an inbox read with a bounded {@link #receive}.
 * Every wait is bounded by the options' timeout. Thread-safe.
 *
 * <pre>{@code
 * try (ReferenceClient c = ReferenceClient.create(endpoint, ReferenceClient.options().clientId("a").build())) {
 *     c.connect();
 *     c.subscribe("t/#", QoS.EXACTLY_ONCE);
 *     c.publish("t/1", "hi", QoS.AT_LEAST_ONCE, false).get();
 *     ReferenceClient.Message m = c.receive(Duration.ofSeconds(5)).orElseThrow();
 * }
 * }</pre>
 */
public final class ReferenceClient implements AutoCloseable {

    /** An application message as this client received it. */
    public record Message(String topic, BinaryData payload, QoS qos, boolean retain, boolean dup, Properties properties) {
        public String payloadUtf8() {
            return payload.toUtf8();
        }

        /** The Subscription Identifiers the broker attached (5.0), in order. */
        public List<Long> subscriptionIds() {
            return properties.numbers(PropertyId.SUBSCRIPTION_IDENTIFIER);
        }
    }

    /** How the client connects; immutable, built with {@link ReferenceClient#options()}. */
    public record Options(
            MqttVersion version,
            String clientId,
            boolean cleanStart,
            int keepAlive,
            long sessionExpiry,
            int receiveMaximum,
            int maximumPacketSize,
            int topicAliasMaximum,
            Will will,
            String username,
            String password,
            boolean scram,
            Properties connectProperties,
            boolean webSocket,
            Duration timeout,
            Trace trace,
            String name) {

        public Builder toBuilder() {
            Builder b = new Builder();
            b.version = version;
            b.clientId = clientId;
            b.cleanStart = cleanStart;
            b.keepAlive = keepAlive;
            b.sessionExpiry = sessionExpiry;
            b.receiveMaximum = receiveMaximum;
            b.maximumPacketSize = maximumPacketSize;
            b.topicAliasMaximum = topicAliasMaximum;
            b.will = will;
            b.username = username;
            b.password = password;
            b.scram = scram;
            b.connectProperties = connectProperties;
            b.webSocket = webSocket;
            b.timeout = timeout;
            b.trace = trace;
            b.name = name;
            return b;
        }

        /**
         * Defaults: MQTT 5, an empty Client Identifier (the broker assigns one), clean start, keep
         * alive 60 s, Session Expiry 0, Receive Maximum 65,535, no Maximum Packet Size, Topic Alias
         * Maximum 16, no will, no credentials beyond the endpoint's, TCP, timeout 5 s, no trace.
         */
        public static final class Builder {
            private MqttVersion version = MqttVersion.V5;
            private String clientId = "";
            private boolean cleanStart = true;
            private int keepAlive = 60;
            private long sessionExpiry;
            private int receiveMaximum = 65_535;
            private int maximumPacketSize;
            private int topicAliasMaximum = 16;
            private Will will;
            private String username;
            private String password;
            private boolean scram;
            private Properties connectProperties = Properties.EMPTY;
            private boolean webSocket;
            private Duration timeout = Duration.ofSeconds(5);
            private Trace trace;
            private String name;

            public Builder version(MqttVersion v) {
                this.version = v;
                return this;
            }

            public Builder clientId(String id) {
                this.clientId = id;
                return this;
            }

            public Builder cleanStart(boolean b) {
                this.cleanStart = b;
                return this;
            }

            /** Keep Alive in seconds; 0 turns it off. */
            public Builder keepAlive(int seconds) {
                this.keepAlive = seconds;
                return this;
            }

            /** Session Expiry Interval in seconds (5.0); 0xFFFFFFFF never expires. */
            public Builder sessionExpiry(long seconds) {
                this.sessionExpiry = seconds;
                return this;
            }

            public Builder receiveMaximum(int n) {
                this.receiveMaximum = n;
                return this;
            }

            /** Largest packet this client accepts (5.0); 0 announces none. */
            public Builder maximumPacketSize(int n) {
                this.maximumPacketSize = n;
                return this;
            }

            public Builder topicAliasMaximum(int n) {
                this.topicAliasMaximum = n;
                return this;
            }

            public Builder will(Will w) {
                this.will = w;
                return this;
            }

            public Builder credentials(String user, String pass) {
                this.username = user;
                this.password = pass;
                return this;
            }

            /** Authenticate with SCRAM-SHA-256 enhanced authentication (5.0) instead of a password. */
            public Builder scram(boolean b) {
                this.scram = b;
                return this;
            }

            /** Extra CONNECT properties (5.0), e.g. User Properties or Request Response Information. */
            public Builder connectProperties(Properties p) {
                this.connectProperties = p;
                return this;
            }

            public Builder webSocket(boolean b) {
                this.webSocket = b;
                return this;
            }

            public Builder timeout(Duration t) {
                this.timeout = t;
                return this;
            }

            /** Records every packet each way into {@code t}. */
            public Builder trace(Trace t) {
                this.trace = t;
                return this;
            }

            /** The connection's name in traces and thread names; the Client Identifier by default. */
            public Builder name(String n) {
                this.name = n;
                return this;
            }

            public Options build() {
                return new Options(version, clientId, cleanStart, keepAlive, sessionExpiry, receiveMaximum,
                        maximumPacketSize, topicAliasMaximum, will, username, password, scram, connectProperties,
                        webSocket, timeout, trace, name);
            }
        }
    }

    /** What the broker announced in its CONNACK (5.0), with the 3.1.1 defaults otherwise. */
    public record ServerLimits(int receiveMaximum, int topicAliasMaximum, long maximumPacketSize, int maximumQos,
                               boolean retainAvailable, Integer serverKeepAlive, String assignedClientId) {
        static ServerLimits of(Connack ack, boolean v5) {
            Properties p = v5 ? ack.properties() : Properties.EMPTY;
            String assigned = p.string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER) == null ? null
                    : p.string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER).toString();
            return new ServerLimits(
                    (int) p.number(PropertyId.RECEIVE_MAXIMUM, 65_535),
                    (int) p.number(PropertyId.TOPIC_ALIAS_MAXIMUM, 0),
                    p.number(PropertyId.MAXIMUM_PACKET_SIZE, Long.MAX_VALUE),
                    (int) p.number(PropertyId.MAXIMUM_QOS, 2),
                    p.number(PropertyId.RETAIN_AVAILABLE, 1) == 1,
                    p.has(PropertyId.SERVER_KEEP_ALIVE) ? (int) p.number(PropertyId.SERVER_KEEP_ALIVE, 0) : null,
                    assigned);
        }
    }

    /** The broker refused the CONNECT, or the connection ended before a CONNACK. */
    public static final class ConnectException extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient Connack connack;

        ConnectException(String message, Connack connack) {
            super(message);
            this.connack = connack;
        }

        /** The refusing CONNACK, or null if none came. */
        public Connack connack() {
            return connack;
        }
    }

    /** A QoS &gt; 0 message of the session: queued, or in flight with its packet identifier. */
    private static final class Outbound {
        final Publish message; // full topic, no alias, packet id assigned when first sent
        final CompletableFuture<PubAck> done = new CompletableFuture<>();
        int packetId;
        boolean pubrelSent;

        Outbound(Publish message) {
            this.message = message;
        }
    }

    /** One network connection and what belongs to it alone (aliases, the broker's limits). */
    private final class Link {
        final Transport transport;
        final MqttDecoder decoder;
        final CompletableFuture<Connack> connack = new CompletableFuture<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final Map<Integer, String> inboundAliases = new HashMap<>();
        final Map<String, Integer> outboundAliases = new HashMap<>();
        ServerLimits limits;
        Scram.Client scram;
        volatile long lastSent = System.nanoTime();
        volatile boolean pingOutstanding;
        volatile Disconnect disconnectFromServer;
        ScheduledFuture<?> keepAliveTask;

        Link(Endpoint ep) throws IOException {
            this.decoder = MqttDecoder.forClient(options.version(),
                    options.maximumPacketSize() > 0 ? options.maximumPacketSize() : MqttDecoder.PROTOCOL_MAX_PACKET_SIZE);
            this.transport = Transport.open(ep, options.webSocket(), options.timeout(), new Transport.Sink() {
                @Override
                public void bytes(byte[] data, int len) {
                    onBytes(Link.this, data, len);
                }

                @Override
                public void closed(String reason, boolean byPeer) {
                    onClosed(Link.this, reason, byPeer);
                }
            }, "reference-" + name);
        }
    }

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "reference-client-keepalive");
        t.setDaemon(true);
        return t;
    });

    private final Endpoint endpoint;
    private final Options options;
    private final String name;
    private final Object lock = new Object();
    private final LinkedBlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    private volatile Consumer<Message> listener;

    // session state (MQTT §4.1), kept across connections while the broker keeps its side
    private final LinkedHashMap<Integer, Outbound> inflight = new LinkedHashMap<>();
    private final ArrayDeque<Outbound> queued = new ArrayDeque<>();
    private final Set<Integer> inboundQos2 = new HashSet<>();
    private final Map<Integer, CompletableFuture<Packet>> pendingAcks = new HashMap<>();
    private int lastPacketId;

    private Link link;
    private String clientId;
    private volatile boolean connected;

    private ReferenceClient(Endpoint endpoint, Options options) {
        this.endpoint = endpoint;
        this.options = options;
        this.clientId = options.clientId();
        this.name = options.name() != null ? options.name()
                : options.clientId().isEmpty() ? "client" : options.clientId();
    }

    public static Options.Builder options() {
        return new Options.Builder();
    }

    /** A client for {@code endpoint}; nothing is sent until {@link #connect()}. */
    public static ReferenceClient create(Endpoint endpoint, Options options) {
        return new ReferenceClient(endpoint, options);
    }

    /** Creates a client and connects it; throws if the broker refuses. */
    public static ReferenceClient connect(Endpoint endpoint, Options options) throws IOException {
        ReferenceClient c = new ReferenceClient(endpoint, options);
        try {
            c.connect();
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    // ================================================================ connecting

    /** Connects with the options' Clean Start. */
    public Connack connect() throws IOException {
        return connect(options.cleanStart());
    }

    /**
     * Opens a network connection, sends CONNECT and waits for the CONNACK. On a resumed session
     * (Session Present 1) the unacknowledged PUBLISHes go again with DUP 1, then the PUBRELs, in
     * their original order; on Session Present 0 the session state is discarded (the messages in
     * flight fail). Throws {@link ConnectException} if the broker refuses or closes.
     */
    public Connack connect(boolean cleanStart) throws IOException {
        synchronized (lock) {
            if (connected) {
                throw new IllegalStateException(name + " is already connected");
            }
            if (cleanStart) {
                discardSession("Clean Start 1 discards the session");
            }
        }
        Link l = new Link(endpoint);
        synchronized (lock) {
            link = l;
        }
        boolean v5 = options.version().isV5();
        Connect.Builder b = Connect.builder(options.version())
                .clientId(clientId)
                .cleanStart(cleanStart)
                .keepAlive(options.keepAlive())
                .will(options.will());
        Properties.Builder props = options.connectProperties().toBuilder();
        if (v5) {
            if (options.sessionExpiry() != 0) {
                props.number(PropertyId.SESSION_EXPIRY_INTERVAL, options.sessionExpiry());
            }
            if (options.receiveMaximum() != 65_535) {
                props.number(PropertyId.RECEIVE_MAXIMUM, options.receiveMaximum());
            }
            if (options.maximumPacketSize() > 0) {
                props.number(PropertyId.MAXIMUM_PACKET_SIZE, options.maximumPacketSize());
            }
            if (options.topicAliasMaximum() > 0) {
                props.number(PropertyId.TOPIC_ALIAS_MAXIMUM, options.topicAliasMaximum());
            }
        }
        String user = options.username() != null ? options.username() : endpoint.username();
        String pass = options.password() != null ? options.password() : endpoint.password();
        if (options.scram()) {
            if (!v5) {
                throw new IllegalArgumentException("enhanced authentication needs MQTT 5");
            }
            l.scram = new Scram.Client(user, pass, new SecureRandom());
            props.string(PropertyId.AUTHENTICATION_METHOD, Scram.METHOD);
            props.binary(PropertyId.AUTHENTICATION_DATA, BinaryData.wrap(l.scram.clientFirst()));
        } else {
            b.username(user).password(pass);
        }
        b.properties(v5 ? props.build() : Properties.EMPTY);
        write(l, b.build());
        Connack ack;
        try {
            ack = l.connack.get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            l.transport.close();
            throw new ConnectException(name + ": no CONNACK within " + options.timeout().toMillis() + " ms", null);
        } catch (ExecutionException e) {
            l.transport.close();
            throw new ConnectException(name + ": " + e.getCause().getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            l.transport.close();
            throw new IOException("interrupted", e);
        }
        if (!ack.isSuccess()) {
            l.transport.close();
            throw new ConnectException(String.format("%s: CONNECT refused: 0x%02X %s", name, ack.reasonCode(),
                    v5 ? ReasonCode.describe(ack.reasonCode(), PacketType.CONNACK)
                            : "(3.1.1 return code)"), ack);
        }
        if (l.scram != null) {
            BinaryData data = ack.properties().binary(PropertyId.AUTHENTICATION_DATA);
            if (data == null || !l.scram.verifyServerFinal(data.toByteArray())) {
                abort(l, ReasonCode.NOT_AUTHORIZED, "the server did not prove it knows the password");
                throw new ConnectException(name + ": SCRAM server signature did not verify", ack);
            }
        }
        ServerLimits limits = ServerLimits.of(ack, v5);
        synchronized (lock) {
            l.limits = limits;
            if (limits.assignedClientId() != null) {
                clientId = limits.assignedClientId();
            }
            connected = true;
            if (!ack.sessionPresent()) {
                discardSession("the broker has no session (Session Present 0)");
            }
            resend(l);
            drain(l);
        }
        int keepAlive = limits.serverKeepAlive() != null ? limits.serverKeepAlive() : options.keepAlive();
        if (keepAlive > 0) {
            // checked four times per Keep Alive, pinging after half of it idle: never a full Keep Alive silent
            long period = Math.max(100, keepAlive * 1000L / 4);
            l.keepAliveTask = TIMER.scheduleAtFixedRate(() -> keepAlive(l, keepAlive), period, period, TimeUnit.MILLISECONDS);
        }
        return ack;
    }

    /**
     * Session state goes: messages in flight fail, inbound QoS 2 identifiers are forgotten. Messages
     * not yet sent (waiting for a slot or a connection) are not session state: they go out as new.
     */
    private void discardSession(String why) {
        List<Outbound> gone = new ArrayList<>(inflight.values());
        inflight.clear();
        inboundQos2.clear();
        for (Outbound o : gone) {
            o.done.completeExceptionally(new IOException(why));
        }
    }

    /** MQTT-4.4.0-1: unacknowledged PUBLISHes (DUP 1) and PUBRELs again, original identifiers, original order. */
    private void resend(Link l) {
        for (Outbound o : inflight.values()) {
            if (o.pubrelSent) {
                write(l, new Pubrel(o.packetId));
            } else {
                // MQTT-3.3.1-1: DUP 1 on a re-delivery; no topic alias, they end with the connection
                write(l, o.message.withPacketId(o.packetId).withDup(true));
            }
        }
    }

    // ================================================================ publishing

    public CompletableFuture<PubAck> publish(String topic, String payload, QoS qos, boolean retain) {
        return publish(Publish.of(topic, payload, qos, 0, retain));
    }

    public CompletableFuture<PubAck> publish(String topic, byte[] payload, QoS qos, boolean retain) {
        return publish(new Publish(false, qos, retain, TopicName.of(topic), 0, Properties.EMPTY, BinaryData.of(payload)));
    }

    /**
     * Publishes {@code message} (its topic, payload, QoS, RETAIN and properties; the packet
     * identifier is assigned here). The future completes with the last acknowledgement (PUBACK,
     * PUBCOMP, or an error PUBREC), or with null for QoS 0 once written. A QoS &gt; 0 message waits
     * while the broker's Receive Maximum is used up, and while the client is disconnected.
     */
    public CompletableFuture<PubAck> publish(Publish message) {
        Publish m = message.withPacketId(0).withDup(false);
        if (m.qos() == QoS.AT_MOST_ONCE) {
            Link l;
            synchronized (lock) {
                l = connected ? link : null;
                if (l != null) {
                    send(l, m);
                }
            }
            return l == null ? CompletableFuture.failedFuture(new IOException(name + " is not connected"))
                    : CompletableFuture.completedFuture(null);
        }
        Outbound o = new Outbound(m);
        synchronized (lock) {
            queued.addLast(o);
            if (connected) {
                drain(link);
            }
        }
        return o.done;
    }

    /** Sends queued messages while the broker's Receive Maximum allows (MQTT-3.3.4-7, §4.9). */
    private void drain(Link l) {
        while (!queued.isEmpty() && connected && inflight.size() < l.limits.receiveMaximum()) {
            Outbound o = queued.pollFirst();
            o.packetId = nextPacketId();
            inflight.put(o.packetId, o);
            send(l, o.message.withPacketId(o.packetId));
        }
    }

    /** First transmission of a PUBLISH: uses a topic alias when the broker allows them. */
    private void send(Link l, Publish p) {
        Publish out = p;
        int aliasMax = l.limits == null ? 0 : l.limits.topicAliasMaximum();
        if (aliasMax > 0 && options.version().isV5()) {
            String topic = p.topic().toString();
            Integer alias = l.outboundAliases.get(topic);
            if (alias != null) {
                out = p.withTopic(TopicName.EMPTY).withProperties(
                        p.properties().toBuilder().set(Property.number(PropertyId.TOPIC_ALIAS, alias)).build());
            } else if (l.outboundAliases.size() < aliasMax) {
                // MQTT-3.3.2-8 (5.0): never above the broker's Topic Alias Maximum
                int a = l.outboundAliases.size() + 1;
                l.outboundAliases.put(topic, a);
                out = p.withProperties(p.properties().toBuilder()
                        .set(Property.number(PropertyId.TOPIC_ALIAS, a)).build());
            }
        }
        write(l, out);
    }

    /** A packet identifier not in use by a message in flight or an awaited SUBACK/UNSUBACK (MQTT-2.2.1-3). */
    private int nextPacketId() {
        for (int i = 0; i < 65_535; i++) {
            lastPacketId = lastPacketId % 65_535 + 1;
            if (!inflight.containsKey(lastPacketId) && !pendingAcks.containsKey(lastPacketId)) {
                return lastPacketId;
            }
        }
        throw new IllegalStateException("all 65,535 packet identifiers are in use");
    }

    // ================================================================ subscribing

    public Suback subscribe(String filter, QoS qos) throws IOException {
        return subscribe(Properties.EMPTY, TopicSubscription.of(filter, qos));
    }

    public Suback subscribe(TopicSubscription... subs) throws IOException {
        return subscribe(Properties.EMPTY, subs);
    }

    /** Sends SUBSCRIBE and waits (bounded) for its SUBACK. */
    public Suback subscribe(Properties props, TopicSubscription... subs) throws IOException {
        return (Suback) request(id -> new Subscribe(id, props, List.of(subs)));
    }

    /** Subscribes with a Subscription Identifier (5.0). */
    public Suback subscribe(long subscriptionId, TopicSubscription... subs) throws IOException {
        return subscribe(Properties.builder().number(PropertyId.SUBSCRIPTION_IDENTIFIER, subscriptionId).build(), subs);
    }

    public Unsuback unsubscribe(String... filters) throws IOException {
        List<TopicFilter> fs = new ArrayList<>();
        for (String f : filters) {
            fs.add(TopicFilter.of(f));
        }
        return (Unsuback) request(id -> new Unsubscribe(id, Properties.EMPTY, fs));
    }

    private Packet request(java.util.function.IntFunction<Packet> make) throws IOException {
        CompletableFuture<Packet> f = new CompletableFuture<>();
        int id;
        synchronized (lock) {
            if (!connected) {
                throw new IOException(name + " is not connected");
            }
            id = nextPacketId();
            pendingAcks.put(id, f);
            write(link, make.apply(id));
        }
        try {
            return f.get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException(name + ": no answer to packet " + id + " within " + options.timeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IOException(name + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            synchronized (lock) {
                pendingAcks.remove(id, f);
            }
        }
    }

    // ================================================================ receiving

    /** Messages go to {@code l} (on the connection's reader thread) instead of the inbox; null restores the inbox. */
    public void onMessage(Consumer<Message> l) {
        this.listener = l;
    }

    /** The next message of the inbox, waiting at most {@code timeout}. */
    public Optional<Message> receive(Duration timeout) {
        try {
            return Optional.ofNullable(inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The next message, waiting at most the options' timeout; throws if none came. */
    public Message receive() throws IOException {
        return receive(options.timeout()).orElseThrow(() -> new IOException(name + ": no message within "
                + options.timeout().toMillis() + " ms"));
    }

    /** {@code n} messages, each waited for at most the options' timeout. */
    public List<Message> receive(int n) throws IOException {
        List<Message> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(receive());
        }
        return out;
    }

    /** Messages already received and not taken, removed from the inbox. */
    public List<Message> drainInbox() {
        List<Message> out = new ArrayList<>();
        inbox.drainTo(out);
        return out;
    }

    private void onBytes(Link l, byte[] data, int len) {
        List<DecodeResult> results = new ArrayList<>(2);
        l.decoder.feed(data, 0, len, results::add);
        for (DecodeResult r : results) {
            if (r instanceof Malformed) {
                Malformed m = (Malformed) r;
                if (options.trace() != null) {
                    options.trace().addMalformed(name, BinaryData.wrap(data, 0, len), m);
                }
                ReasonCode rc = ReasonCode.of(m.reasonCode(), PacketType.DISCONNECT);
                abort(l, rc == null ? ReasonCode.MALFORMED_PACKET : rc, m.reason());
                return;
            }
            Packet p = ((DecodeResult.Decoded) r).packet();
            if (options.trace() != null) {
                options.trace().add(name, TraceEvent.Kind.RECEIVED, null, p, PacketFormat.describe(p));
            }
            handle(l, p);
        }
    }

    private void handle(Link l, Packet p) {
        switch (p.type()) {
            case CONNACK:
                l.connack.complete((Connack) p);
                break;
            case AUTH: {
                Auth a = (Auth) p;
                BinaryData data = a.properties().binary(PropertyId.AUTHENTICATION_DATA);
                if (l.scram == null || a.reasonCode() != ReasonCode.CONTINUE_AUTHENTICATION.value() || data == null) {
                    abort(l, ReasonCode.PROTOCOL_ERROR, "unexpected AUTH");
                    return;
                }
                byte[] reply;
                try {
                    reply = l.scram.clientFinal(data.toByteArray());
                } catch (RuntimeException e) {
                    abort(l, ReasonCode.NOT_AUTHORIZED, "bad SCRAM server-first: " + e.getMessage());
                    return;
                }
                write(l, new Auth(ReasonCode.CONTINUE_AUTHENTICATION.value(), Properties.builder()
                        .string(PropertyId.AUTHENTICATION_METHOD, Scram.METHOD)
                        .binary(PropertyId.AUTHENTICATION_DATA, BinaryData.wrap(reply)).build()));
                break;
            }
            case PUBLISH:
                onPublish(l, (Publish) p);
                break;
            case PUBACK:
                completed(((Puback) p).packetId(), (Puback) p, false);
                break;
            case PUBREC: {
                Pubrec rec = (Pubrec) p;
                synchronized (lock) {
                    Outbound o = inflight.get(rec.packetId());
                    if (o == null || o.message.qos() != QoS.EXACTLY_ONCE) {
                        break; // not ours: nothing to release
                    }
                    if (rec.reasonCode() >= 0x80) {
                        completed(rec.packetId(), rec, true); // an error PUBREC ends the exchange (MQTT-4.3.3-4)
                        break;
                    }
                    o.pubrelSent = true;
                    write(l, new Pubrel(rec.packetId()));
                }
                break;
            }
            case PUBREL: {
                int id = ((Pubrel) p).packetId();
                boolean known;
                synchronized (lock) {
                    known = inboundQos2.remove(id);
                }
                // 5.0: 0x92 for an identifier we do not know
                write(l, new Pubcomp(id, known || !options.version().isV5()
                        ? 0 : ReasonCode.PACKET_IDENTIFIER_NOT_FOUND.value(), Properties.EMPTY));
                break;
            }
            case PUBCOMP:
                completed(((Pubcomp) p).packetId(), (Pubcomp) p, true);
                break;
            case SUBACK:
                ackFor(((Suback) p).packetId(), p);
                break;
            case UNSUBACK:
                ackFor(((Unsuback) p).packetId(), p);
                break;
            case PINGRESP:
                l.pingOutstanding = false;
                break;
            case DISCONNECT:
                l.disconnectFromServer = (Disconnect) p;
                break;
            default:
                abort(l, ReasonCode.PROTOCOL_ERROR, "unexpected " + p.type());
        }
    }

    private void completed(int packetId, PubAck ack, boolean qos2) {
        Outbound o;
        synchronized (lock) {
            o = inflight.get(packetId);
            if (o == null || (o.message.qos() == QoS.EXACTLY_ONCE) != qos2) {
                return;
            }
            inflight.remove(packetId);
            if (connected) {
                drain(link);
            }
        }
        o.done.complete(ack);
    }

    private void ackFor(int packetId, Packet p) {
        CompletableFuture<Packet> f;
        synchronized (lock) {
            f = pendingAcks.remove(packetId);
        }
        if (f != null) {
            f.complete(p);
        }
    }

    private void onPublish(Link l, Publish p) {
        String topic = p.topic().toString();
        boolean v5 = options.version().isV5();
        if (v5 && p.properties().has(PropertyId.TOPIC_ALIAS)) {
            int alias = (int) p.properties().number(PropertyId.TOPIC_ALIAS, 0);
            if (alias == 0 || alias > options.topicAliasMaximum()) {
                // the broker broke MQTT-3.3.2-9/-10
                abort(l, ReasonCode.TOPIC_ALIAS_INVALID, "Topic Alias " + alias + " outside 1.." + options.topicAliasMaximum());
                return;
            }
            if (topic.isEmpty()) {
                topic = l.inboundAliases.get(alias);
                if (topic == null) {
                    abort(l, ReasonCode.PROTOCOL_ERROR, "Topic Alias " + alias + " was never mapped");
                    return;
                }
            } else {
                l.inboundAliases.put(alias, topic);
            }
        }
        Message m = new Message(topic, p.payload(), p.qos(), p.retain(), p.dup(),
                p.properties().without(PropertyId.TOPIC_ALIAS));
        switch (p.qos()) {
            case AT_MOST_ONCE:
                deliver(m);
                break;
            case AT_LEAST_ONCE:
                deliver(m);
                write(l, new Puback(p.packetId()));
                break;
            default: {
                boolean first;
                synchronized (lock) {
                    first = inboundQos2.add(p.packetId());
                    if (first && v5 && inboundQos2.size() > options.receiveMaximum()) {
                        abort(l, ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, "more QoS 2 messages unreleased than Receive Maximum");
                        return;
                    }
                }
                if (first) {
                    deliver(m); // delivered once; a re-sent copy before PUBREL only gets its PUBREC again
                }
                write(l, new Pubrec(p.packetId()));
            }
        }
    }

    private void deliver(Message m) {
        Consumer<Message> l = listener;
        if (l != null) {
            l.accept(m);
        } else {
            inbox.add(m);
        }
    }

    // ================================================================ keep alive, closing

    private void keepAlive(Link l, int keepAliveSeconds) {
        if (l.closed.isDone()) {
            return;
        }
        long idle = System.nanoTime() - l.lastSent;
        if (l.pingOutstanding && idle > TimeUnit.SECONDS.toNanos(keepAliveSeconds)) {
            // no PINGRESP within a Keep Alive: the connection is gone (§3.1.2.10)
            l.transport.close();
            return;
        }
        if (idle >= TimeUnit.SECONDS.toNanos(keepAliveSeconds) / 2) {
            l.pingOutstanding = true;
            write(l, Pingreq.INSTANCE);
        }
    }

    /** Sends PINGREQ now (keep alive happens by itself; this is for tests). */
    public void ping() {
        Link l = link;
        if (l != null) {
            write(l, Pingreq.INSTANCE);
        }
    }

    private void write(Link l, Packet p) {
        try {
            byte[] bytes = MqttEncoder.encode(p, options.version());
            if (options.trace() != null) {
                options.trace().add(name, TraceEvent.Kind.SENT, BinaryData.wrap(bytes), p, PacketFormat.describe(p));
            }
            l.transport.write(bytes);
            l.lastSent = System.nanoTime();
        } catch (IOException e) {
            l.transport.close(); // the reader reports the close
        }
    }

    /** A protocol error by the broker: DISCONNECT with the reason (5.0), then close. */
    private void abort(Link l, ReasonCode rc, String why) {
        if (options.trace() != null) {
            options.trace().note(name, "closing: " + why);
        }
        if (options.version().isV5() && l.connack.isDone()) {
            write(l, new Disconnect(rc.value(), Properties.EMPTY));
        }
        l.transport.close();
        onClosed(l, why, false);
    }

    private void onClosed(Link l, String reason, boolean byPeer) {
        List<CompletableFuture<Packet>> failed;
        synchronized (lock) {
            if (l.closed.isDone()) {
                return;
            }
            l.closed.complete(reason);
            if (l.keepAliveTask != null) {
                l.keepAliveTask.cancel(false);
            }
            l.connack.completeExceptionally(new IOException("connection closed before CONNACK: " + reason));
            if (link != l) {
                return;
            }
            connected = false;
            failed = new ArrayList<>(pendingAcks.values());
            pendingAcks.clear();
        }
        if (options.trace() != null) {
            options.trace().add(name, byPeer ? TraceEvent.Kind.CLOSED_BY_PEER : TraceEvent.Kind.CLOSED_BY_HARNESS,
                    null, null, reason);
        }
        for (CompletableFuture<Packet> f : failed) {
            f.completeExceptionally(new IOException("connection closed: " + reason));
        }
    }

    public boolean isConnected() {
        return connected;
    }

    /** The Client Identifier in use: the one given, or the one the broker assigned. */
    public String clientId() {
        return clientId;
    }

    public String name() {
        return name;
    }

    /** The broker's limits from the last CONNACK, or null before one. */
    public ServerLimits serverLimits() {
        Link l = link;
        return l == null ? null : l.limits;
    }

    /** The DISCONNECT the broker sent on the current (or last) connection, or null. */
    public Disconnect disconnectFromServer() {
        Link l = link;
        return l == null ? null : l.disconnectFromServer;
    }

    /** Waits (bounded) until the connection is closed; true if it is. */
    public boolean awaitClosed(Duration timeout) {
        Link l = link;
        if (l == null) {
            return true;
        }
        try {
            l.closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** QoS &gt; 0 messages sent and not yet acknowledged, plus those waiting for a slot. */
    public int unacknowledged() {
        synchronized (lock) {
            return inflight.size() + queued.size();
        }
    }

    /** QoS &gt; 0 PUBLISHes on the wire without their final acknowledgement. */
    public int inFlight() {
        synchronized (lock) {
            return inflight.size();
        }
    }

    /** Sends a normal DISCONNECT (the will is discarded) and closes; the session state stays for a resume. */
    public void disconnect() {
        disconnect(ReasonCode.NORMAL_DISCONNECTION.value(), Properties.EMPTY);
    }

    /** Sends DISCONNECT with {@code reasonCode} (5.0; e.g. 0x04 to have the will published) and closes. */
    public void disconnect(int reasonCode, Properties props) {
        Link l;
        synchronized (lock) {
            l = link;
            if (l == null || !connected) {
                return;
            }
            connected = false;
        }
        write(l, options.version().isV5() ? new Disconnect(reasonCode, props) : Disconnect.NORMAL);
        l.transport.close();
        onClosed(l, "client sent DISCONNECT", false);
    }

    /** Drops the network connection without DISCONNECT, as a crashed client would (the will goes out). */
    public void dropConnection() {
        Link l = link;
        if (l != null) {
            l.transport.close();
            onClosed(l, "connection dropped by the client", false);
        }
    }

    /** Disconnects normally if connected, and fails whatever is still pending. */
    @Override
    public void close() {
        if (connected) {
            disconnect();
        } else {
            dropConnection();
        }
        synchronized (lock) {
            discardSession(name + " was closed");
            for (Outbound o : queued) {
                o.done.completeExceptionally(new IOException(name + " was closed"));
            }
            queued.clear();
        }
    }
}
