package dev.mqttharness.bench.load;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A broker under load in its own process, started on a free loopback port and stopped by
 * {@link #close}: the reference broker ({@code ReferenceBrokerMain} in a fresh JVM) or Mosquitto.
 */
final class BrokerProcess implements AutoCloseable {
    final String name;
    final int port;
    private final Process process;
    private final Path log;

    private BrokerProcess(String name, int port, List<String> command, Path log) throws IOException {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The reference broker in a new JVM, on this JVM's class path, with {@code jvmArgs} (e.g. -XX:StartFlightRecording). */
    static BrokerProcess reference(List<String> jvmArgs) throws IOException {
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.mqttharness.broker.ReferenceBrokerMain");
        cmd.add("--port");
        cmd.add(String.valueOf(port));
        return new BrokerProcess("reference", port, cmd, Files.createTempFile("bench-reference", ".log"));
    }

    /**
     * Mosquitto with a config that lifts its default per-client limits (20 messages in flight,
     * 1,000 queued, beyond which it drops), so that both brokers deliver every message. Nagle's
     * algorithm stays on (its default): with {@code set_tcp_nodelay true}, as the reference broker
     * runs, Mosquitto was slower here (every small write becomes a segment), so it keeps its best.
     */
    static BrokerProcess mosquitto(String executable) throws IOException {
        int port = freePort();
        Path conf = Files.createTempFile("bench-mosquitto", ".conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\n"
                + "allow_anonymous true\n"
                + "max_inflight_messages 0\n"
                + "max_queued_messages 0\n"
                + "persistence false\n");
        return new BrokerProcess("mosquitto", port, List.of(executable, "-c", conf.toString()),
                Files.createTempFile("bench-mosquitto", ".log"));
    }

    /** Finds an executable on the PATH (or in /usr/sbin, where Debian puts mosquitto); null if none. */
    static String which(String exe) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add("/usr/sbin");
        dirs.add("/usr/local/sbin");
        for (String d : dirs) {
            Path p = Path.of(d, exe);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /** Waits (bounded) until a CONNECT gets a CONNACK. */
    void awaitReady() throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        IOException last = null;
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited: " + Files.readString(log));
            }
            try (BenchConnection c = BenchConnection.open(port, "ready-probe")) {
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(50); // polling a starting process for readiness
            }
        }
        throw new IOException(name + " not ready in 30 s", last);
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
