package dev.mqttharness.fuzz.oracle;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.StatementKey;
import dev.mqttharness.spec.verdict.Verdict;
import java.util.List;

/**
 * One deviation found in one case: the statement broken (version + ID, or a section reference for a
 * rule without a number), what kind of deviation, the verdict (FAIL for a MUST, NON_STRICT for a
 * SHOULD), what the spec allows and what the broker did.
 *
 * @param related statements the offending input breaks or that frame the judgement
 */
public record Finding(StatementKey statement, String kind, Verdict verdict, String expected, String observed,
                      List<String> related) {

    public Finding {
        related = related == null ? List.of() : List.copyOf(related);
    }

    public static Finding fail(MqttVersion v, String id, String kind, String expected, String observed, List<String> related) {
        return new Finding(new StatementKey(v, id), kind, Verdict.FAIL, expected, observed, related);
    }

    public static Finding nonStrict(MqttVersion v, String id, String kind, String expected, String observed) {
        return new Finding(new StatementKey(v, id), kind, Verdict.NON_STRICT, expected, observed, List.of());
    }

    /** Findings are deduplicated by statement and kind. */
    public Key key() {
        return new Key(statement, kind);
    }

    /** "5.0 MQTT-3.8.3-5". */
    public String statementLabel() {
        return statement.version().label() + " " + statement.id();
    }

    /** The deduplication key. */
    public record Key(StatementKey statement, String kind) {
        @Override
        public String toString() {
            return statement + " / " + kind;
        }
    }
}
