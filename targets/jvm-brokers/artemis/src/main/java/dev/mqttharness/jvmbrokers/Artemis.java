package dev.mqttharness.jvmbrokers;

import java.nio.file.Files;
import java.nio.file.Path;
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
        LauncherArgs a = new LauncherArgs(args);
        String host = a.getOrDefault("host", "127.0.0.1");
        String port = a.require("port");
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
}
