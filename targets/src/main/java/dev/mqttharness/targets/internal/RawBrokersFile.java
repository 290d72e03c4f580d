package dev.mqttharness.targets.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** brokers.yaml as Jackson reads it, before validation. Field names are the YAML keys (kebab-case). */
public record RawBrokersFile(
        @JsonProperty("default") List<String> defaults,
        LinkedHashMap<String, Broker> brokers) {

    /** One entry under {@code brokers:}; which settings apply depends on {@code launch}. */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Broker(
            String launch,
            String description,
            List<String> versions,
            List<String> lacks,
            String username,
            String password,
            Tls tls,
            WebSocket websocket,
            String baseline,
            String readyTimeout,
            String deniedTopic,
            // process, jvm, container
            List<String> command,
            String config,
            Map<String, String> files,
            Map<String, String> env,
            // jvm
            String project,
            List<String> classpath,
            String main,
            List<String> args,
            List<String> jvmArgs,
            String java,
            // container
            String image,
            String configPath,
            String network,
            Integer containerPort,
            Integer containerWsPort,
            // external
            String host,
            Integer port) {
    }

    public record Tls(String ca, String cert, String key) {
    }

    public record WebSocket(String path, Integer port) {
    }

    /** The settings each launch kind accepts besides the common ones. */
    public static final Map<String, List<String>> KIND_SETTINGS = Map.of(
            "embedded", List.of("args"),
            "process", List.of("command", "config", "files", "env"),
            "jvm", List.of("project", "classpath", "main", "args", "jvm-args", "java", "config", "files", "env"),
            "container", List.of("image", "command", "config", "config-path", "network", "container-port",
                    "container-ws-port", "env"),
            "external", List.of("host", "port"));

    public static final List<String> COMMON_SETTINGS = List.of("launch", "description", "versions", "lacks",
            "username", "password", "tls", "websocket", "baseline", "ready-timeout", "denied-topic");
}
