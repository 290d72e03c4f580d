package dev.mqttharness.targets.internal;

import dev.mqttharness.client.Endpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A broker in its own OS process: output captured line by line, exit noticed as it happens. */
public final class ProcessInstance implements Instance {
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final Process process;
    private final Endpoint endpoint;
    private final LogBuffer logs;
    private final CompletableFuture<String> exited;
    private volatile boolean stopping;

    private ProcessInstance(Process process, Endpoint endpoint, LogBuffer logs) {
        this.process = process;
        this.endpoint = endpoint;
        this.logs = logs;
        this.exited = process.onExit().thenApply(p -> {
            String r = describeExit(p.exitValue());
            logs.append("mqtt-harness: " + (stopping ? "stopped: " : "") + r);
            return r;
        });
    }

    /** Starts {@code command} in {@code dir}, stdout and stderr into {@code logs}. */
    public static ProcessInstance start(List<String> command, Map<String, String> env, Path dir, LogBuffer logs,
                                        Endpoint endpoint, String name) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        logs.append("mqtt-harness: starting " + String.join(" ", command));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
        p.getOutputStream().close();
        logs.pump(p.getInputStream(), "broker-log-" + name + "-" + p.pid());
        return new ProcessInstance(p, endpoint, logs);
    }

    static String describeExit(int code) {
        if (code > 128 && code < 160) {
            int sig = code - 128;
            return "process exited with code " + code + " (signal " + sig + signalName(sig) + ")";
        }
        return "process exited with code " + code;
    }

    private static String signalName(int sig) {
        switch (sig) {
            case 6: return " SIGABRT";
            case 9: return " SIGKILL";
            case 11: return " SIGSEGV";
            case 15: return " SIGTERM";
            default: return "";
        }
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public CompletableFuture<String> exited() {
        return exited;
    }

    @Override
    public boolean running() {
        return process.isAlive();
    }

    @Override
    public String describe() {
        return "pid " + process.pid();
    }

    @Override
    public void stop() {
        stopping = true;
        ProcessTrees.kill(process.toHandle(), GRACE);
        Poll.await(exited, Duration.ofSeconds(2));
    }
}
