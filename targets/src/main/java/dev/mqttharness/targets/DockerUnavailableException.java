package dev.mqttharness.targets;

import java.util.List;

/** A container target was asked for on a machine where Docker does not answer. */
public final class DockerUnavailableException extends TargetStartException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public DockerUnavailableException(String target, String reason) {
        super("cannot start container target '" + target + "': Docker is not available: " + reason, List.of());
        this.reason = reason;
    }

    /** Why Docker is not available, e.g. "no Docker socket at /var/run/docker.sock". */
    public String reason() {
        return reason;
    }
}
