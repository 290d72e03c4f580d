package dev.mqttharness.fuzz.gen;

import dev.mqttharness.fuzz.engine.ChoiceSource;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.QoS;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Draws a {@link FuzzCase} from a {@link ChoiceSource}. Every draw shrinks toward the simplest
 * alternative (index 0, false, the smallest number), and every step is one span, so the shrinker can
 * delete steps and simplify what is left. Shapes, most frequent first:
 * <ol>
 *   <li>a few valid steps of one client, then a malformed packet (shrinks to CONNECT + that packet);</li>
 *   <li>a malformed CONNECT, or another packet where CONNECT belongs, on a new connection;</li>
 *   <li>two or three clients connecting, subscribing, publishing at each QoS, acknowledging or
 *       withholding, unsubscribing, disconnecting normally or abruptly, reconnecting;</li>
 *   <li>valid packets at the format's boundaries.</li>
 * </ol>
 */
public final class CaseGenerator {
    private static final String[] LEVELS = {"a", "b", "c", "\u00e9", "\uFEFF", "\uD83D\uDE00"};
    private static final int[] LEVEL_WEIGHTS = {40, 30, 20, 4, 3, 3};

    private final List<MqttVersion> versions;
    private final boolean allowLarge;
    private final Map<MqttVersion, Map<Mutation.Stage, List<Mutation>>> mutations = new EnumMap<>(MqttVersion.class);

    /**
     * @param versions   versions to draw from (3.1.1 and/or 5.0)
     * @param allowLarge whether packets of megabytes (Remaining Length 2,097,151+) may be drawn
     */
    public CaseGenerator(List<MqttVersion> versions, boolean allowLarge) {
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("no version to fuzz");
        }
        this.versions = List.copyOf(versions);
        this.allowLarge = allowLarge;
        for (MqttVersion v : versions) {
            Map<Mutation.Stage, List<Mutation>> byStage = new EnumMap<>(Mutation.Stage.class);
            for (Mutation m : Mutation.values()) {
                if (m.variants(v) > 0) {
                    byStage.computeIfAbsent(m.stage() == Mutation.Stage.FIRST ? Mutation.Stage.CONNECT : m.stage(),
                            k -> new ArrayList<>()).add(m);
                }
            }
            mutations.put(v, byStage);
        }
    }

    public FuzzCase generate(ChoiceSource s) {
        MqttVersion v = versions.size() == 1 ? versions.get(0) : s.pick(versions);
        State st = new State(v);
        List<Action> actions = new ArrayList<>();
        int shape = s.weighted(56, 15, 23, 6);
        switch (shape) {
            case 0:
                list(s, 2, 35, actions, () -> validStep(s, st, 1, false));
                actions.add(span(s, "mutation", () -> malformed(s, st, 0, Mutation.Stage.SESSION)));
                break;
            case 1:
                list(s, 2, 25, actions, () -> validStep(s, st, 2, false));
                actions.add(span(s, "mutation", () -> malformed(s, st, 0, Mutation.Stage.CONNECT)));
                break;
            case 2: {
                int clients = s.between(2, 3);
                list(s, 12, 86, actions, () -> validStep(s, st, clients, true));
                break;
            }
            default:
                list(s, 3, 60, actions, () -> span(s, "boundary", () -> boundary(s, st, 0)));
                if (actions.isEmpty()) {
                    actions.add(boundary(s, st, 0));
                }
                break;
        }
        return new FuzzCase(v, actions);
    }

    /** What the generator remembers while drawing: filters subscribed per client, for unsubscribes. */
    private static final class State {
        final MqttVersion version;
        final List<List<String>> filters = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());

        State(MqttVersion version) {
            this.version = version;
        }

        boolean v5() {
            return version.isV5();
        }
    }

    private interface Step {
        Action draw();
    }

    /**
     * Up to {@code max} steps, each preceded by a "more" flag in the same span; at the maximum a
     * forced "no more" is recorded, so that deleting a step's span keeps the list terminated.
     */
    private static void list(ChoiceSource s, int max, int percentMore, List<Action> out, Step step) {
        for (int i = 0; ; i++) {
            if (i >= max) {
                s.forced(0);
                return;
            }
            s.start("step");
            if (!s.chance(percentMore)) {
                s.end();
                return;
            }
            out.add(step.draw());
            s.end();
        }
    }

    private static Action span(ChoiceSource s, String label, Step step) {
        s.start(label);
        try {
            return step.draw();
        } finally {
            s.end();
        }
    }

    private Action validStep(ChoiceSource s, State st, int clients, boolean allowMutation) {
        int client = (int) s.draw(clients - 1);
        int kind = s.weighted(30, 22, 10, 6, 8, 5, 3, 1, allowMutation ? 3 : 0);
        switch (kind) {
            case 0: return publish(s, st, client);
            case 1: return subscribe(s, st, client);
            case 2: return connect(s, st, client);
            case 3: return unsubscribe(s, st, client);
            case 4: return disconnect(s, st, client);
            case 5: return new Action.Ack(client);
            case 6: return boundary(s, st, client);
            case 7: return new Action.Wait(s.between(1, 50));
            default: return malformed(s, st, client, Mutation.Stage.SESSION);
        }
    }

    String topic(ChoiceSource s) {
        int levels = s.between(1, 3);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(LEVELS[s.weighted(LEVEL_WEIGHTS)]);
        }
        return sb.toString();
    }

    String filter(ChoiceSource s) {
        int levels = s.between(1, 3);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            if (i > 0) {
                sb.append('/');
            }
            if (i == levels - 1 && s.chance(15)) {
                sb.append('#');
            } else if (s.chance(20)) {
                sb.append('+');
            } else {
                sb.append(LEVELS[s.weighted(LEVEL_WEIGHTS)]);
            }
        }
        return sb.toString();
    }

    private Action connect(ChoiceSource s, State st, int client) {
        boolean v5 = st.v5();
        boolean clean = !s.chance(30);
        int keepAlive = s.pick(0, 60, 1, 65_535);
        Action.WillSpec will = null;
        if (s.chance(20)) {
            will = new Action.WillSpec(topic(s), QoS.of(s.between(0, 2)), s.chance(30),
                    v5 && s.chance(10) ? s.between(1, 2) : 0, s.between(0, 20));
        }
        long expiry = 0;
        int receiveMax = 0;
        int aliasMax = 0;
        long maxPacket = 0;
        boolean problemOff = false;
        boolean responseInfo = false;
        if (v5) {
            int e = s.weighted(60, 30, 10);
            expiry = e == 0 ? 0 : e == 1 ? s.between(1, 30) : 0xFFFF_FFFFL;
            receiveMax = s.chance(20) ? s.between(1, 5) : 0;
            aliasMax = s.chance(20) ? s.between(1, 10) : 0;
            maxPacket = s.chance(10) ? s.between(64, 2048) : 0;
            problemOff = s.chance(10);
            responseInfo = s.chance(10);
        }
        boolean withhold = s.chance(15);
        boolean empty = clean && s.chance(5);
        boolean credentials = s.chance(10);
        st.filters.get(client).clear();
        return new Action.Connect(client, clean, keepAlive, will, expiry, receiveMax, aliasMax, maxPacket, withhold,
                problemOff, responseInfo, empty, credentials);
    }

    private Action subscribe(ChoiceSource s, State st, int client) {
        int n = s.between(1, 3);
        List<Action.Sub> subs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String f = filter(s);
            QoS q = QoS.of(s.between(0, 2));
            if (st.v5()) {
                boolean shared = s.chance(5);
                boolean noLocal = !shared && s.chance(10);
                subs.add(new Action.Sub(f, q, noLocal, s.chance(15), s.weighted(80, 10, 10),
                        shared ? "g" + s.between(0, 1) : null));
            } else {
                subs.add(new Action.Sub(f, q, false, false, 0, null));
            }
            st.filters.get(client).add(f);
        }
        long subId = 0;
        if (st.v5() && s.chance(20)) {
            subId = s.chance(20) ? Boundary.SUBSCRIPTION_ID.value(s.between(0, 7)) : s.between(1, 1000);
        }
        return new Action.Subscribe(client, subs, subId);
    }

    private Action unsubscribe(ChoiceSource s, State st, int client) {
        // the same choices whatever was subscribed before: deleting an earlier step must not shift
        // what later steps read
        List<String> known = st.filters.get(client);
        int n = s.between(1, 2);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean fresh = s.chance(20);
            int index = (int) s.draw(7);
            String f = filter(s);
            out.add(!known.isEmpty() && !fresh ? known.get(index % known.size()) : f);
        }
        return new Action.Unsubscribe(client, out);
    }

    private Action publish(ChoiceSource s, State st, int client) {
        String topic = s.chance(1) ? Action.MAX_TOPIC : topic(s);
        QoS qos = QoS.of(s.weighted(30, 40, 30));
        boolean retain = s.chance(25);
        int size = s.chance(2) ? s.between(1_000, 10_000) : s.between(0, 16);
        boolean dup = qos == QoS.EXACTLY_ONCE && s.chance(15);
        boolean hold = qos == QoS.EXACTLY_ONCE && s.chance(10);
        boolean alias = st.v5() && s.chance(10);
        int userProps = st.v5() && s.chance(10) ? s.between(1, 3) : 0;
        return new Action.Publish(client, topic, qos, retain, size, dup, hold, alias, userProps);
    }

    private Action disconnect(ChoiceSource s, State st, int client) {
        boolean abrupt = s.chance(40);
        boolean withWill = !abrupt && st.v5() && s.chance(10);
        long expiry = !abrupt && st.v5() && s.chance(10) ? s.between(0, 30) : -1;
        return new Action.Disconnect(client, abrupt, withWill, expiry);
    }

    private Action boundary(ChoiceSource s, State st, int client) {
        List<Boundary> kinds = new ArrayList<>(List.of(Boundary.REMAINING_LENGTH, Boundary.PACKET_ID_MAX,
                Boundary.EMPTY_STRINGS, Boundary.MAX_STRINGS));
        if (st.v5()) {
            kinds.add(Boundary.SUBSCRIPTION_ID);
        }
        Boundary b = s.pick(kinds);
        int variant = (int) s.draw(b.variants() - 1);
        if (b.large(variant) && (!allowLarge || !s.chance(10))) {
            variant = variant % 4; // fall back to a small boundary
        }
        if (!st.v5() && (b == Boundary.EMPTY_STRINGS || b == Boundary.MAX_STRINGS)) {
            variant = 0;
        }
        return new Action.BoundaryPacket(client, b, variant);
    }

    private Action malformed(ChoiceSource s, State st, int client, Mutation.Stage stage) {
        List<Mutation> list = mutations.get(st.version).get(stage);
        Mutation m = s.pick(list);
        int variant = (int) s.draw(m.variants(st.version) - 1);
        return new Action.Malformed(client, m, variant);
    }
}
