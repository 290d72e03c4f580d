package dev.mqttharness.targets.internal;

import dev.mqttharness.targets.TargetSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/**
 * What a starter gets for one start: the target, its ports and work folder, where to log, the
 * environment, and the deadline by which the whole start (readiness included) must finish.
 *
 * @param port   the MQTT port to use (a free loopback port)
 * @param wsPort the WebSocket port, or 0 if the target offers none
 * @param dir    a work folder for config files and broker data, removed when the target closes
 */
public record StartContext(TargetSpec spec, int port, int wsPort, Path dir, LogBuffer logs,
                           Function<String, String> env, Instant deadline) {

    /** Values for the launch placeholders ({@code {port}} ...); {@code config} is the config file's path. */
    public Map<String, String> placeholders(String config) {
        Map<String, String> m = new java.util.HashMap<>();
        m.put("port", Integer.toString(port));
        m.put("ws-port", Integer.toString(wsPort));
        m.put("ws-path", spec.webSocket() == null ? "/mqtt" : spec.webSocket().path());
        m.put("host", "127.0.0.1");
        m.put("dir", dir.toString());
        m.put("name", spec.name());
        if (config != null) {
            m.put("config", config);
        }
        return m;
    }
}
