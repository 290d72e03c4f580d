package dev.mqttharness.targets;

/**
 * A target's MQTT-over-WebSocket listener: the HTTP path and, for external targets, the port.
 * Launched targets get a free port, passed to their config as {@code {ws-port}}.
 */
public record WebSocketSettings(String path, Integer port) {
}
