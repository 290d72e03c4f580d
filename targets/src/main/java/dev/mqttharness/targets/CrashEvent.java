package dev.mqttharness.targets;

import java.time.Instant;
import java.util.List;

/**
 * A target stopped without being asked to: its process exited, its container stopped, or it
 * refused connections.
 *
 * @param target   the target's name
 * @param at       when it was noticed
 * @param reason   what happened, e.g. "process exited with code 139 (SIGSEGV)"
 * @param lastLogs the broker's last log lines when it was noticed
 */
public record CrashEvent(String target, Instant at, String reason, List<String> lastLogs) {
    public CrashEvent {
        lastLogs = List.copyOf(lastLogs);
    }

    @Override
    public String toString() {
        return "broker '" + target + "' crashed: " + reason;
    }
}
