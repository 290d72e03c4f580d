package dev.mqttharness.suite.framework;

import dev.mqttharness.client.Endpoint;
import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.Catalog;
import dev.mqttharness.spec.catalog.Level;
import dev.mqttharness.spec.catalog.Statement;
import dev.mqttharness.spec.catalog.StatementIds;
import dev.mqttharness.spec.catalog.StatementKey;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.trace.Trace;
import dev.mqttharness.spec.trace.TraceEvent;
import dev.mqttharness.spec.verdict.Verdict;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * What a scenario works with: the target and version, probes that are traced and cleaned up,
 * unique client identifiers and topics, the target's capabilities, and the judgements it records.
 *
 * <p>Judging: every statement the scenario declares with {@code @Verifies} for its version gets a
 * verdict through {@link #check}, {@link #expect}, {@link #pass} / {@link #fail} and friends. A
 * failed MUST is FAIL, a failed SHOULD is NON_STRICT, a MAY is INFO, as the catalog's level says.
 */
public final class ScenarioContext implements AutoCloseable {
    private static final AtomicLong COUNTER = new AtomicLong();
    /** Differs per JVM so that runs against a long-lived broker do not collide. */
    private static final String RUN_SALT = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36, 36L * 36 * 36 * 36), 36);

    private final TargetHandle target;
    private final MqttVersion version;
    private final String scenario;
    private final Set<String> declared;
    private final SuiteSettings settings;
    private final Trace trace = new Trace();
    private final String traceId;
    private final List<ProbeClient> probes = Collections.synchronizedList(new ArrayList<>());
    private final Map<ProbeClient, Connack> connacks = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Set<String> persistentClientIds = Collections.synchronizedSet(new LinkedHashSet<>());
    private final List<Judgement> judgements = Collections.synchronizedList(new ArrayList<>());
    private final long serial = COUNTER.incrementAndGet();
    private Capabilities capabilities;

    ScenarioContext(TargetHandle target, MqttVersion version, String scenario, Set<String> declared, SuiteSettings settings) {
        this.target = target;
        this.version = version;
        this.scenario = scenario;
        this.declared = declared;
        this.settings = settings;
        this.traceId = target.name() + "/" + version.label() + "/" + scenario + "#" + serial;
    }

    public TargetHandle target() {
        return target;
    }

    public MqttVersion version() {
        return version;
    }

    public boolean v5() {
        return version.isV5();
    }

    public Endpoint endpoint() {
        return target.endpoint();
    }

    public Trace trace() {
        return trace;
    }

    public String traceId() {
        return traceId;
    }

    public String scenario() {
        return scenario;
    }

    public Duration timeout() {
        return settings.timeout();
    }

    public SuiteSettings settings() {
        return settings;
    }

    List<Judgement> judgements() {
        return judgements;
    }

    /** Statement IDs the scenario declares for its version. */
    public Set<String> declared() {
        return declared;
    }

    // ---------------------------------------------------------------- names

    /**
     * A Client Identifier unique to this scenario and run: only [0-9a-zA-Z] and at most 23 bytes,
     * which every broker must accept (MQTT-3.1.3-5).
     */
    public String clientId(String label) {
        String clean = label.replaceAll("[^0-9a-zA-Z]", "");
        String base = "mh" + RUN_SALT + Long.toString(serial, 36);
        String id = base + clean;
        return id.length() > 23 ? id.substring(0, 23) : id;
    }

    /** A topic unique to this scenario: {@code mh/<run>/<scenario serial>/<label>}. */
    public String topic(String label) {
        return "mh/" + RUN_SALT + "/" + Long.toString(serial, 36) + "/" + label;
    }

    /** A share name unique to this scenario (for {@code $share/<name>/...}). */
    public String shareName(String label) {
        return "g" + RUN_SALT + Long.toString(serial, 36) + label.replaceAll("[^0-9a-zA-Z]", "");
    }

    // ---------------------------------------------------------------- probes

    /** Opens a network connection (no MQTT yet), traced under {@code name}. */
    public ProbeClient open(String name) throws IOException {
        return open(name, ProbeClient.Options.DEFAULT.withTimeout(settings.timeout()));
    }

    public ProbeClient open(String name, ProbeClient.Options options) throws IOException {
        ProbeClient p;
        try {
            p = ProbeClient.open(target.endpoint(), version, name, trace, options);
        } catch (IOException e) {
            throw new SetupFailed("cannot connect to " + target.endpoint() + ": " + e.getMessage());
        }
        probes.add(p);
        return p;
    }

    /** A CONNECT builder for this version with a unique Client Identifier and the target's credentials. */
    public Connect.Builder connectBuilder(String clientLabel) {
        Connect.Builder b = Connect.builder(version).clientId(clientId(clientLabel)).cleanStart(true);
        Endpoint ep = target.endpoint();
        if (ep.username() != null) {
            b.username(ep.username());
            if (ep.password() != null) {
                b.password(ep.password());
            }
        }
        return b;
    }

    /**
     * Opens a connection and completes CONNECT / CONNACK with a clean session and a unique Client
     * Identifier. A refused or missing CONNACK is {@link SetupFailed}: nothing can be judged.
     */
    public ProbeClient connect(String name) throws IOException {
        return connect(name, UnaryOperator.identity());
    }

    public ProbeClient connect(String name, UnaryOperator<Connect.Builder> customize) throws IOException {
        return connect(name, customize, ProbeClient.Options.DEFAULT.withTimeout(settings.timeout()));
    }

    public ProbeClient connect(String name, UnaryOperator<Connect.Builder> customize, ProbeClient.Options options)
            throws IOException {
        Connect c = customize.apply(connectBuilder(name)).build();
        ProbeClient p = open(name, options);
        Connack ack = connectWith(p, c);
        if (ack == null) {
            throw new SetupFailed(name + ": no CONNACK to a valid CONNECT" + closedSuffix(p));
        }
        if (ack.reasonCode() != 0) {
            throw new SetupFailed(name + ": CONNECT refused with " + String.format("0x%02X", ack.reasonCode()));
        }
        return p;
    }

    /** Sends {@code c} on an open probe and waits for the CONNACK (null if none came). Remembers persistent sessions for cleanup. */
    public Connack connectWith(ProbeClient p, Connect c) throws IOException {
        boolean persistent = c.version().isV5()
                ? c.properties().number(PropertyId.SESSION_EXPIRY_INTERVAL, 0) > 0 || !c.cleanStart()
                : !c.cleanStart();
        if (persistent) {
            persistentClientIds.add(c.clientId().toString());
        }
        Connack ack = p.connect(c).orElse(null);
        if (ack != null) {
            connacks.put(p, ack);
            if (capabilities == null && ack.reasonCode() == 0) {
                capabilities = Capabilities.from(ack, version);
            }
        }
        return ack;
    }

    private static String closedSuffix(ProbeClient p) {
        ProbeClient.ClosedEvent c = p.closedEvent();
        return c == null ? "" : " (" + c.reason() + ")";
    }

    /** The CONNACK a probe received, or null. */
    public Connack connackOf(ProbeClient p) {
        return connacks.get(p);
    }

    // ---------------------------------------------------------------- capabilities

    /** What the target announced in the first successful CONNACK of this scenario (connects one if needed). */
    public Capabilities capabilities() throws IOException {
        if (capabilities == null) {
            ProbeClient p = connect("caps");
            p.disconnect();
        }
        return capabilities;
    }

    /**
     * Ends the scenario with UNSUPPORTED if the target declared it lacks {@code c} in brokers.yaml,
     * or its CONNACK announces it unavailable.
     */
    public void require(Capability c) throws IOException {
        if (target.lacks().contains(c.key())) {
            throw new Unsupported(target.name() + " declares it lacks " + c.key() + " (brokers.yaml)");
        }
        String why = capabilities().lacking(c);
        if (why != null) {
            throw new Unsupported(why);
        }
    }

    // ---------------------------------------------------------------- judging

    /** Records a verdict for a declared statement of this scenario's version. */
    public void verdict(String id, Verdict v, String check, String expected, String observed) {
        StatementKey key = new StatementKey(version, id);
        if (!declared.contains(id)) {
            judgements.add(new Judgement(key, scenario, check, Verdict.ERROR, expected,
                    "harness: the scenario judged " + id + ", which it does not declare with @Verifies for " + version));
            return;
        }
        judgements.add(new Judgement(key, scenario, check, v, expected, observed));
    }

    /** The verdict a broken statement earns, from its level: MUST → FAIL, SHOULD → NON_STRICT, MAY → INFO. */
    public Verdict brokenVerdict(String id) {
        Level level = levelOf(id);
        return level == Level.MUST ? Verdict.FAIL : level == Level.SHOULD ? Verdict.NON_STRICT : Verdict.INFO;
    }

    private Level levelOf(String id) {
        if (StatementIds.isSectionRef(id)) {
            return Level.SHOULD;
        }
        return Catalog.get().find(version, id).map(Statement::level).orElse(Level.MUST);
    }

    public void pass(String id, String check, String observed) {
        verdict(id, Verdict.PASS, check, check, observed);
    }

    /** The statement was broken; the verdict follows its level. */
    public void fail(String id, String check, String expected, String observed) {
        verdict(id, brokenVerdict(id), check, expected, observed);
    }

    /** A weaker alternative the spec allows, or a SHOULD not followed. */
    public void nonStrict(String id, String check, String expected, String observed) {
        verdict(id, Verdict.NON_STRICT, check, expected, observed);
    }

    public void info(String id, String check, String observed) {
        verdict(id, Verdict.INFO, check, check, observed);
    }

    /** PASS if {@code holds}, otherwise the level's failure verdict. */
    public boolean check(String id, boolean holds, String check, String expected, String observed) {
        if (holds) {
            verdict(id, Verdict.PASS, check, expected, observed);
        } else {
            fail(id, check, expected, observed);
        }
        return holds;
    }

    /** Like {@link #check}, but a failure ends the scenario (later steps depend on this one). */
    public void require(String id, boolean holds, String check, String expected, String observed) {
        if (!check(id, holds, check, expected, observed)) {
            throw new ScenarioFailed(id + ": " + observed);
        }
    }

    /**
     * Runs a step whose completing is what {@code id} requires (an acknowledgement arriving, say):
     * PASS and its result if it completes, FAIL and the end of the scenario if it times out.
     */
    public <T> T expect(String id, String expected, Callable<T> step) throws Exception {
        try {
            T result = step.call();
            verdict(id, Verdict.PASS, expected, expected, describe(result));
            return result;
        } catch (ProbeClient.ExpectationTimeout e) {
            fail(id, expected, expected, e.getMessage());
            throw new ScenarioFailed(e.getMessage());
        }
    }

    /** Gives every declared statement not yet judged the verdict {@code v}. */
    void judgeRemaining(Verdict v, String observed) {
        Set<String> judged = new LinkedHashSet<>();
        synchronized (judgements) {
            for (Judgement j : judgements) {
                judged.add(j.key().id());
            }
        }
        for (String id : declared) {
            if (!judged.contains(id)) {
                judgements.add(new Judgement(new StatementKey(version, id), scenario, "scenario", v, "", observed));
            }
        }
    }

    static String describe(Object o) {
        if (o == null) {
            return "done";
        }
        if (o instanceof dev.mqttharness.spec.packet.Packet) {
            return dev.mqttharness.spec.packet.PacketFormat.describe((dev.mqttharness.spec.packet.Packet) o);
        }
        return String.valueOf(o);
    }

    // ---------------------------------------------------------------- cleanup

    /**
     * Closes every probe, then removes what the scenario left on the broker: persistent sessions
     * (reconnect with a clean start, then DISCONNECT) and retained messages it published (an empty
     * retained PUBLISH). Cleanup is not traced as evidence.
     */
    @Override
    public void close() {
        List<ProbeClient> open;
        synchronized (probes) {
            open = new ArrayList<>(probes);
        }
        for (ProbeClient p : open) {
            p.close();
        }
        if (!target.alive()) {
            return;
        }
        Set<String> retainedTopics = new LinkedHashSet<>();
        for (TraceEvent e : trace.events()) {
            if (e.kind() == TraceEvent.Kind.SENT && e.packet() instanceof Publish) {
                Publish p = (Publish) e.packet();
                if (p.retain() && !p.topic().isEmpty() && p.topic().toString().startsWith("mh/")) {
                    retainedTopics.add(p.topic().toString());
                }
            } else if (e.kind() == TraceEvent.Kind.SENT && e.packet() instanceof Connect) {
                Connect c = (Connect) e.packet();
                if (c.will() != null && c.will().retain()) {
                    retainedTopics.add(c.will().topic().toString());
                }
            }
        }
        Trace scratch = new Trace(1000);
        Set<String> ids;
        synchronized (persistentClientIds) {
            ids = new LinkedHashSet<>(persistentClientIds);
        }
        for (String id : ids) {
            cleanSession(id, scratch);
        }
        if (!retainedTopics.isEmpty()) {
            clearRetained(retainedTopics, scratch);
        }
    }

    private void cleanSession(String clientId, Trace scratch) {
        try (ProbeClient p = ProbeClient.open(target.endpoint(), version, "cleanup", scratch,
                ProbeClient.Options.DEFAULT.withTimeout(Duration.ofSeconds(2)))) {
            Connect.Builder b = Connect.builder(version).clientId(clientId).cleanStart(true);
            Endpoint ep = target.endpoint();
            if (ep.username() != null) {
                b.username(ep.username()).password(ep.password());
            }
            if (p.connect(b.build()).isPresent()) {
                p.send(Disconnect.NORMAL);
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort: a broker that refuses cleanup is judged elsewhere
        }
    }

    private void clearRetained(Set<String> topics, Trace scratch) {
        try (ProbeClient p = ProbeClient.open(target.endpoint(), version, "cleanup", scratch,
                ProbeClient.Options.DEFAULT.withTimeout(Duration.ofSeconds(2)))) {
            Connect.Builder b = Connect.builder(version).clientId(clientId("clean")).cleanStart(true);
            Endpoint ep = target.endpoint();
            if (ep.username() != null) {
                b.username(ep.username()).password(ep.password());
            }
            if (p.connect(b.build()).filter(a -> a.reasonCode() == 0).isEmpty()) {
                return;
            }
            for (String t : topics) {
                p.send(new Publish(false, QoS.AT_MOST_ONCE, true,
                        dev.mqttharness.spec.packet.TopicName.unchecked(t), 0, Properties.EMPTY,
                        dev.mqttharness.spec.packet.BinaryData.EMPTY));
            }
            p.barrier();
            p.send(Disconnect.NORMAL);
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }

    /** Reason codes as readable text for a version: 3.1.1 has return codes, 5.0 reason codes. */
    public String describeDisconnect(int rc) {
        return ReasonCode.describe(rc, dev.mqttharness.spec.packet.PacketType.DISCONNECT);
    }
}
