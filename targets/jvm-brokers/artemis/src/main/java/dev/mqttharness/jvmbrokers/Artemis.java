package dev.mqttharness.jvmbrokers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * Runs ActiveMQ Artemis with one MQTT acceptor for the harness:
 * {@code Artemis --port N [--host 127.0.0.1] --dir DIR}. Security and persistence off.
 */
public final class Artemis {
    private Artemis() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        String host = a.getOrDefault("host", "127.0.0.1");
        String port = require(a, "port");
        Path dir = Path.of(a.getOrDefault("dir", Files.createTempDirectory("artemis").toString()));

        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("mqtt-harness");
        config.setBrokerInstance(Files.createDirectories(dir.resolve("instance")).toFile());
        config.setPersistenceEnabled(false);
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        config.setCriticalAnalyzer(false);
        config.addAcceptorConfiguration("mqtt", "tcp://" + host + ":" + port + "?protocols=MQTT");

        EmbeddedActiveMQ server = new EmbeddedActiveMQ();
        server.setConfiguration(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "artemis-stop"));
        server.start();
        System.out.println("mqtt-harness: Artemis listening on " + host + ":" + port + " (pid=" + ProcessHandle.current().pid() + ")");
        stopped.await();
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            m.put(args[i].substring(2), args[i + 1]);
        }
        return m;
    }

    static String require(Map<String, String> a, String name) {
        String v = a.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }
}
