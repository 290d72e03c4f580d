package dev.mqttharness.jvmbrokers;

import io.moquette.broker.Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Runs Moquette for the harness:
 * {@code Moquette --port N [--host 127.0.0.1] [--ws-port N --ws-path /mqtt] --dir DIR}.
 * Anonymous clients allowed, no persistence.
 */
public final class Moquette {
    private Moquette() {
    }

    public static void main(String[] args) throws Exception {
        LauncherArgs a = new LauncherArgs(args);
        String host = a.getOrDefault("host", "127.0.0.1");
        String port = a.require("port");
        Path dir = Path.of(a.getOrDefault("dir", Files.createTempDirectory("moquette").toString()));

        Properties p = new Properties();
        p.setProperty("host", host);
        p.setProperty("port", port);
        p.setProperty("allow_anonymous", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("data_path", Files.createDirectories(dir.resolve("data")).toString());
        if (a.get("ws-port") != null) {
            p.setProperty("websocket_port", a.get("ws-port"));
            p.setProperty("websocket_path", a.getOrDefault("ws-path", "/mqtt"));
        }
        Server server = new Server();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stopServer();
            } finally {
                stopped.countDown();
            }
        }, "moquette-stop"));
        server.startServer(p);
        System.out.println("mqtt-harness: Moquette listening on " + host + ":" + port + " (pid=" + ProcessHandle.current().pid() + ")");
        stopped.await();
    }
}
