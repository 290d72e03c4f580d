package dev.mqttharness.targets;

import java.util.List;

/** A broker name that brokers.yaml does not define; the message lists the ones it does. */
public final class UnknownTargetException extends TargetException {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final List<String> known;

    public UnknownTargetException(String name, List<String> known, String file) {
        super("unknown broker '" + name + "' in " + file + " (known: " + String.join(", ", known) + ")");
        this.name = name;
        this.known = List.copyOf(known);
    }

    public String name() {
        return name;
    }

    public List<String> known() {
        return known;
    }
}
