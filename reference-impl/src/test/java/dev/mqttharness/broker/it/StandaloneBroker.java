package dev.mqttharness.broker.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference broker as a separate process, started the way a user starts it
 * ({@code java -cp ... dev.mqttharness.broker.ReferenceBrokerMain ARGS}); the ports are read from
 * its "listening on" line, so {@code --port 0} works. {@link #close} stops it and waits.
 */
public final class StandaloneBroker implements AutoCloseable {
    private static final Pattern PORT = Pattern.compile("(mqtts?|wss?)://[^:]+:(\\d+)");

    private final Process process;
    private final StringBuilder output = new StringBuilder();
    public final int port;
    public final int tlsPort;
    public final int wsPort;

    private StandaloneBroker(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.mqttharness.broker.ReferenceBrokerMain");
        cmd.addAll(args);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> first = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (line.contains("listening on")) {
                        first.complete(line);
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
            first.complete(null);
        }, "standalone-broker-output");
        t.setDaemon(true);
        t.start();
        String line;
        try {
            line = first.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException("the broker did not start: " + output(), e);
        }
        if (line == null) {
            throw new IOException("the broker exited: " + output());
        }
        int p = -1;
        int tls = -1;
        int ws = -1;
        Matcher m = PORT.matcher(line);
        while (m.find()) {
            int n = Integer.parseInt(m.group(2));
            switch (m.group(1)) {
                case "mqtt": p = n; break;
                case "mqtts": tls = n; break;
                default: ws = n;
            }
        }
        port = p;
        tlsPort = tls;
        wsPort = ws;
    }

    /** Starts {@code ReferenceBrokerMain} with {@code args} and waits (bounded) until it listens. */
    public static StandaloneBroker start(String... args) throws IOException {
        return new StandaloneBroker(List.of(args));
    }

    /** Runs {@code ReferenceBrokerMain} to completion (for options that exit, like --help); returns exit code and output. */
    public static Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.mqttharness.broker.ReferenceBrokerMain");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), out);
    }

    public record Result(int exitCode, String output) {
    }

    public String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
