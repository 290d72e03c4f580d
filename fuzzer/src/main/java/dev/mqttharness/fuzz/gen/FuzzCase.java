package dev.mqttharness.fuzz.gen;

import dev.mqttharness.spec.MqttVersion;
import java.util.ArrayList;
import java.util.List;

/** A generated case: the protocol version and the steps, in order. */
public record FuzzCase(MqttVersion version, List<Action> actions) {
    public FuzzCase {
        actions = List.copyOf(actions);
    }

    /** One readable line per step. */
    public List<String> describe() {
        List<String> out = new ArrayList<>(actions.size() + 1);
        out.add("MQTT " + version.label());
        for (Action a : actions) {
            out.add(a.describe());
        }
        return out;
    }
}
