package dev.mqttharness.spec.catalog;

import dev.mqttharness.spec.MqttVersion;
import java.util.Comparator;

/**
 * A statement's identity: IDs are per version ({@code MQTT-3.1.2-24} is Keep Alive in 3.1.1 and
 * Maximum Packet Size in 5.0), so the key is the pair.
 */
public record StatementKey(MqttVersion version, String id) implements Comparable<StatementKey> {

    private static final Comparator<StatementKey> ORDER = Comparator
            .comparing(StatementKey::version)
            .thenComparing(StatementKey::id, StatementIds::compare);

    public StatementKey {
        version = version.catalogVersion();
    }

    @Override
    public int compareTo(StatementKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return version.label() + " " + id;
    }
}
