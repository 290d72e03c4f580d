package dev.mqttharness.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttharness.broker.BrokerConfig;
import dev.mqttharness.broker.ReferenceBroker;
import dev.mqttharness.client.Endpoint;
import dev.mqttharness.client.ReferenceClient;
import dev.mqttharness.spec.packet.QoS;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real third-party clients against the reference broker: QoS 0, 1 and 2 with retained messages,
 * wills and session resume, each checked against a {@link ReferenceClient} on the other side.
 * Mosquitto's command-line clients are skipped, saying why, when they are not installed.
 */
class InteropIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger IDS = new AtomicInteger();
    private static ReferenceBroker broker;
    private static String uri;

    @BeforeAll
    static void start() throws IOException {
        broker = ReferenceBroker.start(BrokerConfig.defaults());
        uri = "tcp://127.0.0.1:" + broker.port();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + IDS.incrementAndGet();
    }

    private static ReferenceClient watcher(String filter) throws IOException {
        ReferenceClient w = ReferenceClient.connect(Endpoint.tcp("127.0.0.1", broker.port()),
                ReferenceClient.options().clientId(unique("watcher")).timeout(WAIT).build());
        w.subscribe(filter, QoS.EXACTLY_ONCE);
        return w;
    }

    private static ReferenceClient publisher() throws IOException {
        return ReferenceClient.connect(Endpoint.tcp("127.0.0.1", broker.port()),
                ReferenceClient.options().clientId(unique("pub")).timeout(WAIT).build());
    }

    /** Retained messages on {@code topics} as a fresh subscriber to {@code filter} sees them; then clears them. */
    private static List<ReferenceClient.Message> retainedThenClear(String filter, int expected) throws Exception {
        try (ReferenceClient w = ReferenceClient.connect(Endpoint.tcp("127.0.0.1", broker.port()),
                ReferenceClient.options().clientId(unique("late")).timeout(WAIT).build())) {
            w.subscribe(filter, QoS.EXACTLY_ONCE);
            List<ReferenceClient.Message> got = w.receive(expected);
            for (ReferenceClient.Message m : got) {
                w.publish(m.topic(), new byte[0], QoS.AT_LEAST_ONCE, true).get(5, TimeUnit.SECONDS);
            }
            return got;
        }
    }

    // ================================================================ Eclipse Paho v3 (MQTT 3.1.1)

    @Nested
    class PahoV3 {
        private org.eclipse.paho.client.mqttv3.MqttClient client(String id) throws Exception {
            return new org.eclipse.paho.client.mqttv3.MqttClient(uri, id, new MemoryPersistence());
        }

        private MqttConnectOptions options(boolean clean) {
            MqttConnectOptions o = new MqttConnectOptions();
            o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            o.setCleanSession(clean);
            o.setAutomaticReconnect(false);
            o.setConnectionTimeout(10);
            return o;
        }

        @Test
        void paho_v3_publishes_and_receives_qos_0_1_2_with_retained_messages() throws Exception {
            String t = unique("paho3");
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            org.eclipse.paho.client.mqttv3.MqttClient c = client(unique("paho3"));
            c.connect(options(true));
            c.subscribe(t + "/#", 2, (topic, msg) -> got.add(topic + "|" + msg.getQos() + "|" + new String(msg.getPayload(), StandardCharsets.UTF_8)));
            for (int q = 0; q <= 2; q++) {
                c.publish(t + "/q" + q, ("m" + q).getBytes(StandardCharsets.UTF_8), q, q > 0);
            }
            List<String> msgs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                msgs.add(got.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            }
            assertThat(msgs).containsExactly(t + "/q0|0|m0", t + "/q1|1|m1", t + "/q2|2|m2");
            c.disconnect();
            c.close();
            List<ReferenceClient.Message> retained = retainedThenClear(t + "/#", 2);
            assertThat(retained).allSatisfy(m -> assertThat(m.retain()).isTrue());
            assertThat(retained).extracting(ReferenceClient.Message::payloadUtf8).containsExactlyInAnyOrder("m1", "m2");
        }

        @Test
        void paho_v3_will_is_published_when_it_drops_without_disconnect() throws Exception {
            String t = unique("paho3-will");
            try (ReferenceClient w = watcher(t)) {
                org.eclipse.paho.client.mqttv3.MqttClient c = client(unique("paho3"));
                MqttConnectOptions o = options(true);
                o.setWill(t, "paho3 gone".getBytes(StandardCharsets.UTF_8), 1, false);
                c.connect(o);
                c.disconnectForcibly(0, 100, false);
                c.close();
                assertThat(w.receive().payloadUtf8()).isEqualTo("paho3 gone");
            }
        }

        @Test
        void paho_v3_resumes_its_session_and_receives_what_was_queued() throws Exception {
            String t = unique("paho3-session");
            String id = unique("paho3");
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            org.eclipse.paho.client.mqttv3.MqttClient c = client(id);
            c.connect(options(false));
            c.subscribe(t, 2);
            c.disconnect();
            try (ReferenceClient p = publisher()) {
                p.publish(t, "q1", QoS.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
                p.publish(t, "q2", QoS.EXACTLY_ONCE, false).get(5, TimeUnit.SECONDS);
            }
            c.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                    got.add(new String(message.getPayload(), StandardCharsets.UTF_8));
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
                }
            });
            assertThat(c.connectWithResult(options(false)).getSessionPresent()).isTrue();
            assertThat(got.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("q1");
            assertThat(got.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("q2");
            c.disconnect();
            c.close();
        }
    }

    // ================================================================ Eclipse Paho v5

    @Nested
    class PahoV5 {
        private final BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();

        private org.eclipse.paho.mqttv5.client.MqttClient client(String id) throws Exception {
            org.eclipse.paho.mqttv5.client.MqttClient c = new org.eclipse.paho.mqttv5.client.MqttClient(uri, id,
                    new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            c.setCallback(new MqttCallback() {
                @Override
                public void disconnected(MqttDisconnectResponse r) {
                }

                @Override
                public void mqttErrorOccurred(MqttException e) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    got.add(message);
                }

                @Override
                public void deliveryComplete(IMqttToken token) {
                }

                @Override
                public void connectComplete(boolean reconnect, String serverURI) {
                }

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {
                }
            });
            return c;
        }

        private MqttConnectionOptions options(boolean clean, long expiry) {
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(clean);
            o.setSessionExpiryInterval(expiry);
            o.setAutomaticReconnect(false);
            o.setConnectionTimeout(10);
            return o;
        }

        private String next() throws InterruptedException {
            MqttMessage m = got.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return m == null ? null : m.getQos() + "|" + new String(m.getPayload(), StandardCharsets.UTF_8);
        }

        @Test
        void paho_v5_publishes_and_receives_qos_0_1_2_with_retained_messages() throws Exception {
            String t = unique("paho5");
            org.eclipse.paho.mqttv5.client.MqttClient c = client(unique("paho5"));
            c.connect(options(true, 0));
            c.subscribe(t + "/#", 2);
            for (int q = 0; q <= 2; q++) {
                c.publish(t + "/q" + q, ("m" + q).getBytes(StandardCharsets.UTF_8), q, q > 0);
            }
            assertThat(List.of(next(), next(), next())).containsExactly("0|m0", "1|m1", "2|m2");
            c.disconnect();
            c.close();
            assertThat(retainedThenClear(t + "/#", 2)).extracting(ReferenceClient.Message::payloadUtf8)
                    .containsExactlyInAnyOrder("m1", "m2");
        }

        @Test
        void paho_v5_will_is_published_when_it_drops_without_disconnect() throws Exception {
            String t = unique("paho5-will");
            try (ReferenceClient w = watcher(t)) {
                org.eclipse.paho.mqttv5.client.MqttClient c = client(unique("paho5"));
                MqttConnectionOptions o = options(true, 0);
                o.setWill(t, new MqttMessage("paho5 gone".getBytes(StandardCharsets.UTF_8), 1, false, null));
                c.connect(o);
                c.disconnectForcibly(0, 100, false);
                c.close();
                assertThat(w.receive().payloadUtf8()).isEqualTo("paho5 gone");
            }
        }

        @Test
        void paho_v5_resumes_its_session_and_receives_what_was_queued() throws Exception {
            String t = unique("paho5-session");
            org.eclipse.paho.mqttv5.client.MqttClient c = client(unique("paho5"));
            c.connect(options(false, 60));
            c.subscribe(t, 2);
            c.disconnect();
            try (ReferenceClient p = publisher()) {
                p.publish(t, "q1", QoS.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
                p.publish(t, "q2", QoS.EXACTLY_ONCE, false).get(5, TimeUnit.SECONDS);
            }
            assertThat(c.connectWithResult(options(false, 60)).getSessionPresent()).isTrue();
            assertThat(List.of(next(), next())).containsExactly("1|q1", "2|q2");
            c.disconnect();
            c.close();
        }
    }

    // ================================================================ HiveMQ MQTT Client, 3.1.1 and 5

    @Nested
    class HiveMq {
        private Mqtt5BlockingClient v5(String id) {
            return com.hivemq.client.mqtt.MqttClient.builder().useMqttVersion5().identifier(id)
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
        }

        private Mqtt3BlockingClient v3(String id) {
            return com.hivemq.client.mqtt.MqttClient.builder().useMqttVersion3().identifier(id)
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
        }

        @Test
        void hivemq_v5_publishes_and_receives_qos_0_1_2_with_retained_messages() throws Exception {
            String t = unique("hive5");
            Mqtt5BlockingClient c = v5(unique("hive5"));
            c.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes in = c.publishes(MqttGlobalPublishFilter.ALL)) {
                c.subscribeWith().topicFilter(t + "/#").qos(MqttQos.EXACTLY_ONCE).send();
                for (int q = 0; q <= 2; q++) {
                    c.publishWith().topic(t + "/q" + q).payload(("m" + q).getBytes(StandardCharsets.UTF_8))
                            .qos(MqttQos.fromCode(q)).retain(q > 0).send();
                }
                List<String> msgs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    Mqtt5Publish p = in.receive(WAIT.toMillis(), TimeUnit.MILLISECONDS).orElseThrow();
                    msgs.add(p.getQos().getCode() + "|" + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
                }
                assertThat(msgs).containsExactly("0|m0", "1|m1", "2|m2");
            }
            c.disconnect();
            assertThat(retainedThenClear(t + "/#", 2)).extracting(ReferenceClient.Message::payloadUtf8)
                    .containsExactlyInAnyOrder("m1", "m2");
        }

        @Test
        void hivemq_v3_publishes_and_receives_qos_0_1_2() throws Exception {
            String t = unique("hive3");
            Mqtt3BlockingClient c = v3(unique("hive3"));
            c.connect();
            try (Mqtt3BlockingClient.Mqtt3Publishes in = c.publishes(MqttGlobalPublishFilter.ALL)) {
                c.subscribeWith().topicFilter(t + "/#").qos(MqttQos.EXACTLY_ONCE).send();
                for (int q = 0; q <= 2; q++) {
                    c.publishWith().topic(t + "/q" + q).payload(("m" + q).getBytes(StandardCharsets.UTF_8))
                            .qos(MqttQos.fromCode(q)).retain(q == 2).send();
                }
                List<String> msgs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    Mqtt3Publish p = in.receive(WAIT.toMillis(), TimeUnit.MILLISECONDS).orElseThrow();
                    msgs.add(p.getQos().getCode() + "|" + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
                }
                assertThat(msgs).containsExactly("0|m0", "1|m1", "2|m2");
            }
            c.disconnect();
            assertThat(retainedThenClear(t + "/#", 1)).extracting(ReferenceClient.Message::payloadUtf8).containsExactly("m2");
        }

        @Test
        void hivemq_v5_will_is_published_on_disconnect_with_will_message() throws Exception {
            String t = unique("hive5-will");
            try (ReferenceClient w = watcher(t)) {
                Mqtt5BlockingClient c = v5(unique("hive5"));
                c.connectWith().willPublish().topic(t).payload("hive gone".getBytes(StandardCharsets.UTF_8))
                        .qos(MqttQos.AT_LEAST_ONCE).applyWillPublish().send();
                c.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
                assertThat(w.receive().payloadUtf8()).isEqualTo("hive gone");
            }
        }

        @Test
        void hivemq_v5_resumes_its_session_and_receives_what_was_queued() throws Exception {
            String t = unique("hive5-session");
            Mqtt5BlockingClient c = v5(unique("hive5"));
            c.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
            c.subscribeWith().topicFilter(t).qos(MqttQos.EXACTLY_ONCE).send();
            c.disconnect();
            try (ReferenceClient p = publisher()) {
                p.publish(t, "q1", QoS.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
                p.publish(t, "q2", QoS.EXACTLY_ONCE, false).get(5, TimeUnit.SECONDS);
            }
            try (Mqtt5BlockingClient.Mqtt5Publishes in = c.publishes(MqttGlobalPublishFilter.ALL)) {
                Mqtt5ConnAck ack = c.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
                assertThat(ack.isSessionPresent()).isTrue();
                assertThat(new String(in.receive(WAIT.toMillis(), TimeUnit.MILLISECONDS).orElseThrow().getPayloadAsBytes(),
                        StandardCharsets.UTF_8)).isEqualTo("q1");
                assertThat(new String(in.receive(WAIT.toMillis(), TimeUnit.MILLISECONDS).orElseThrow().getPayloadAsBytes(),
                        StandardCharsets.UTF_8)).isEqualTo("q2");
            }
            c.disconnect();
        }

        @Test
        void hivemq_v3_resumes_its_session() throws Exception {
            String t = unique("hive3-session");
            Mqtt3BlockingClient c = v3(unique("hive3"));
            c.connectWith().cleanSession(false).send();
            c.subscribeWith().topicFilter(t).qos(MqttQos.AT_LEAST_ONCE).send();
            c.disconnect();
            try (ReferenceClient p = publisher()) {
                p.publish(t, "q1", QoS.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
            }
            try (Mqtt3BlockingClient.Mqtt3Publishes in = c.publishes(MqttGlobalPublishFilter.ALL)) {
                Mqtt3ConnAck ack = c.connectWith().cleanSession(false).send();
                assertThat(ack.isSessionPresent()).isTrue();
                assertThat(new String(in.receive(WAIT.toMillis(), TimeUnit.MILLISECONDS).orElseThrow().getPayloadAsBytes(),
                        StandardCharsets.UTF_8)).isEqualTo("q1");
            }
            c.disconnect();
        }
    }

    // ================================================================ Mosquitto command-line clients

    @Nested
    class MosquittoClients {
        private static final String SUB = "mosquitto_sub";
        private static final String PUB = "mosquitto_pub";

        private void assumeInstalled() {
            Assumptions.assumeTrue(onPath(SUB) && onPath(PUB),
                    "mosquitto_pub / mosquitto_sub are not installed (Debian package mosquitto-clients); CI installs them");
        }

        private boolean onPath(String exe) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, exe))) {
                    return true;
                }
            }
            return false;
        }

        private List<String> base(String exe, String version) {
            // stdbuf: line-buffered output, so the harness sees each line when it is printed
            List<String> cmd = new ArrayList<>(onPath("stdbuf") ? List.of("stdbuf", "-oL") : List.of());
            cmd.addAll(List.of(exe, "-h", "127.0.0.1", "-p", String.valueOf(broker.port()), "-V", version));
            return cmd;
        }

        private void pub(String version, String topic, String payload, int qos, boolean retain) throws Exception {
            List<String> cmd = base(PUB, version);
            cmd.addAll(List.of("-t", topic, "-m", payload, "-q", String.valueOf(qos)));
            if (retain) {
                cmd.add("-r");
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            assertThat(p.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("mosquitto_pub finished").isTrue();
            assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        }

        /** Runs mosquitto_sub to completion (it must exit by -C / -E / -W) and returns its output lines. */
        private List<String> sub(List<String> cmd) throws Exception {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            return out.lines().toList();
        }

        private static final String EOF = "\u0000EOF";

        /** A running mosquitto_sub and the lines it printed. */
        private final class Running {
            final Process process;
            final BlockingQueue<String> out = new LinkedBlockingQueue<>();
            final List<String> seen = new ArrayList<>();

            Running(List<String> cmd) throws IOException {
                process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Thread t = new Thread(() -> {
                    try {
                        String line;
                        while ((line = r.readLine()) != null) {
                            out.add(line);
                        }
                    } catch (IOException ignored) {
                        // process ended
                    }
                    out.add(EOF);
                }, "mosquitto-sub-output");
                t.setDaemon(true);
                t.start();
            }

            /** Reads lines until one contains {@code text}; false if the output ended or the bound passed first. */
            boolean awaitLine(String text) throws InterruptedException {
                long end = System.nanoTime() + WAIT.toNanos();
                while (System.nanoTime() < end) {
                    String line = out.poll(100, TimeUnit.MILLISECONDS);
                    if (line == EOF) {
                        return false;
                    }
                    if (line != null) {
                        seen.add(line);
                        if (line.contains(text)) {
                            return true;
                        }
                    }
                }
                return false;
            }

            /** Waits (bounded) for the process to exit and returns everything it printed. */
            List<String> finish() throws InterruptedException {
                assertThat(process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("mosquitto_sub exited").isTrue();
                awaitLine(EOF);
                return seen;
            }
        }

        /** Starts mosquitto_sub with debug output and waits until the broker acknowledged its subscription. */
        private Running subscribed(List<String> cmd) throws Exception {
            cmd.add("-d");
            Running r = new Running(cmd);
            if (!r.awaitLine("SUBACK")) {
                r.process.destroyForcibly();
                throw new AssertionError("mosquitto_sub got no SUBACK: " + r.seen);
            }
            return r;
        }

        @ParameterizedTest
        @ValueSource(strings = {"mqttv311", "mqttv5"})
        void mosquitto_clients_exchange_qos_0_1_2_and_retained_messages(String version) throws Exception {
            assumeInstalled();
            String t = unique("mosq-" + version);
            for (int q = 0; q <= 2; q++) {
                pub(version, t + "/r" + q, "retained" + q, q, true);
            }
            List<String> cmd = base(SUB, version);
            cmd.addAll(List.of("-t", t + "/#", "-q", "2", "-C", "3", "-W", "10", "-F", "%t|%q|%r|%p"));
            // retained messages come back at min(published, granted) QoS, with RETAIN 1
            assertThat(sub(cmd)).containsExactlyInAnyOrder(t + "/r0|0|1|retained0", t + "/r1|1|1|retained1", t + "/r2|2|1|retained2");

            List<String> live = base(SUB, version);
            live.addAll(List.of("-t", t + "/live", "-q", "2", "-C", "3", "-W", "10", "-F", "%t|%q|%r|%p"));
            Running r = subscribed(live);
            for (int q = 0; q <= 2; q++) {
                pub(version, t + "/live", "live" + q, q, false);
            }
            assertThat(r.finish()).contains(t + "/live|0|0|live0", t + "/live|1|0|live1", t + "/live|2|0|live2");
            for (int q = 0; q <= 2; q++) {
                pub(version, t + "/r" + q, "", 0, true);
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"mqttv311", "mqttv5"})
        void mosquitto_sub_will_is_published_when_it_is_killed(String version) throws Exception {
            assumeInstalled();
            String t = unique("mosq-will");
            try (ReferenceClient w = watcher(t)) {
                List<String> cmd = base(SUB, version);
                cmd.addAll(List.of("-t", t + "/ignored", "--will-topic", t, "--will-payload", "mosquitto gone", "--will-qos", "1"));
                Running r = subscribed(cmd);
                r.process.destroyForcibly(); // SIGKILL: no DISCONNECT
                r.process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(w.receive().payloadUtf8()).isEqualTo("mosquitto gone");
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"mqttv311", "mqttv5"})
        void mosquitto_sub_resumes_its_session_and_receives_what_was_queued(String version) throws Exception {
            assumeInstalled();
            String t = unique("mosq-session");
            String id = unique("mosq-" + version);
            List<String> first = base(SUB, version);
            first.addAll(List.of("-c", "-i", id, "-t", t, "-q", "1", "-E"));
            if (version.equals("mqttv5")) {
                first.addAll(List.of("-x", "60"));
            }
            sub(first);
            pub(version, t, "while away", 1, false);
            List<String> again = base(SUB, version);
            again.addAll(List.of("-c", "-i", id, "-t", t, "-q", "1", "-C", "1", "-W", "10"));
            if (version.equals("mqttv5")) {
                again.addAll(List.of("-x", "0"));
            }
            assertThat(sub(again)).containsExactly("while away");
        }
    }
}
