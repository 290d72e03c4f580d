package dev.mqttharness.suite.framework;

import dev.mqttharness.broker.fault.Fault;
import java.util.ArrayList;
import java.util.List;

/**
 * Target names of the form {@code BASE~FAULT-ID[+FAULT-ID...]}: the embedded reference broker of
 * brokers.yaml entry {@code BASE}, switched to the named faults (deliberate mistakes, for the suite's
 * self-check). Only embedded targets take faults; nothing else in brokers.yaml changes.
 */
public final class FaultTargets {
    public static final char SEPARATOR = '~';

    private FaultTargets() {
    }

    public static boolean isFaulty(String name) {
        return name.indexOf(SEPARATOR) > 0;
    }

    /** The brokers.yaml entry the target is made from. */
    public static String base(String name) {
        int i = name.indexOf(SEPARATOR);
        return i > 0 ? name.substring(0, i) : name;
    }

    /** The faults switched on, checked against {@link Fault}; an unknown one is a {@link TargetUnavailable}. */
    public static List<Fault> faults(String name) {
        int i = name.indexOf(SEPARATOR);
        List<Fault> out = new ArrayList<>();
        if (i < 0) {
            return out;
        }
        for (String id : name.substring(i + 1).split("\\+")) {
            try {
                out.add(Fault.byId(id));
            } catch (IllegalArgumentException e) {
                throw new TargetUnavailable(name + ": " + e.getMessage(), false);
            }
        }
        return out;
    }

    /** The name of the target that is {@code base} with {@code fault} switched on. */
    public static String name(String base, Fault fault) {
        return base + SEPARATOR + fault.id();
    }

    /** Broker options ({@code --fault ID ...}) that switch the faults of {@code name} on. */
    public static List<String> brokerArgs(String name) {
        List<String> args = new ArrayList<>();
        for (Fault f : faults(name)) {
            args.add("--fault");
            args.add(f.id());
        }
        return args;
    }
}
