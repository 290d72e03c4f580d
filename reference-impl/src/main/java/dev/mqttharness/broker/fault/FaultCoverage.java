package dev.mqttharness.broker.fault;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.Catalog;
import dev.mqttharness.spec.catalog.Statement;
import dev.mqttharness.spec.catalog.Testability;
import java.util.ArrayList;
import java.util.List;

/**
 * Which statements the faults must cover: every server-side MUST / MUST NOT that is testable on the
 * wire (catalog actor {@code Server}, testability W or W*, a level that includes MUST). Each needs at
 * least one {@link Fault} that breaks it, so that the suite's self-check can show a scenario catches it.
 */
public final class FaultCoverage {
    private FaultCoverage() {
    }

    /** The statements of {@code version} that need a fault, in catalog order. */
    public static List<Statement> required(MqttVersion version) {
        List<Statement> out = new ArrayList<>();
        for (Statement s : Catalog.get().statements(version.catalogVersion())) {
            if ("Server".equals(s.actor())
                    && (s.testability() == Testability.W || s.testability() == Testability.W_STAR)
                    && s.levelText().contains("MUST")) {
                out.add(s);
            }
        }
        return out;
    }

    /** The faults that name statement {@code id} of {@code version}. */
    public static List<Fault> naming(MqttVersion version, String id) {
        List<Fault> out = new ArrayList<>();
        for (Fault f : Fault.values()) {
            if (f.statements(version).contains(id)) {
                out.add(f);
            }
        }
        return out;
    }
}
