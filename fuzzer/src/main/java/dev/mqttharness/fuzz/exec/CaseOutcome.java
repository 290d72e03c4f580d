package dev.mqttharness.fuzz.exec;

import dev.mqttharness.fuzz.gen.FuzzCase;
import dev.mqttharness.fuzz.oracle.Finding;
import dev.mqttharness.spec.trace.Trace;
import java.util.List;
import java.util.Set;

/**
 * What running one case produced.
 *
 * @param fuzzCase  the case
 * @param namespace the names it ran under
 * @param trace     every packet each way, closes, and the runner's notes
 * @param findings  deviations (FAIL and NON_STRICT), possibly several per case
 * @param steps     the steps as executed, one readable line each (implicit CONNECTs included)
 * @param exercised statements the case exercised, "3.1.1 MQTT-..." / "5.0 MQTT-..."
 * @param errors    harness or environment problems (never blamed on the broker)
 */
public record CaseOutcome(FuzzCase fuzzCase, Namespace namespace, Trace trace, List<Finding> findings,
                          List<String> steps, Set<String> exercised, List<String> errors) {

    public boolean has(Finding.Key key) {
        for (Finding f : findings) {
            if (f.key().equals(key)) {
                return true;
            }
        }
        return false;
    }
}
