package dev.mqttharness.targets;

import java.util.List;

/**
 * A target could not be started or reached, or did not become ready in time. Whatever was started
 * has been stopped by the time this is thrown. The message ends with the broker's last log lines.
 */
public class TargetStartException extends TargetException {
    private static final long serialVersionUID = 1L;

    private final List<String> lastLogs;

    public TargetStartException(String message, List<String> lastLogs) {
        this(message, lastLogs, null);
    }

    public TargetStartException(String message, List<String> lastLogs, Throwable cause) {
        super(withLogs(message, lastLogs), cause);
        this.lastLogs = List.copyOf(lastLogs);
    }

    private static String withLogs(String message, List<String> logs) {
        if (logs.isEmpty()) {
            return message;
        }
        StringBuilder b = new StringBuilder(message).append("\n  last ").append(logs.size())
                .append(" log line").append(logs.size() == 1 ? "" : "s").append(':');
        for (String l : logs) {
            b.append("\n  | ").append(l);
        }
        return b.toString();
    }

    /** The broker's last log lines at the time of the failure. */
    public List<String> lastLogs() {
        return lastLogs;
    }
}
