package dev.mqttharness.reports.model;

import dev.mqttharness.spec.verdict.Verdict;
import java.util.List;

/**
 * The verdict on one statement for one target and version, with the evidence behind it.
 *
 * @param version      "3.1.1" or "5.0"
 * @param id           statement id (MQTT-x.y.z-n), or a section reference (§4.9) for a rule without a number
 * @param section      spec section
 * @param sectionTitle the section's title
 * @param level        MUST, SHOULD or MAY
 * @param testability  W, W*, CN, C or I
 * @param summary      our one-line summary of the statement
 * @param specUrl      link to the section in the OASIS standard
 * @param verdict      the combined verdict of all observations (NOT_TESTED if none)
 * @param baseline     the verdict the target's baseline expects, or null
 * @param regression   verdict is worse than the baseline
 * @param note         for C / I statements: why no broker test can reach it
 * @param observations every scenario or check that judged it
 */
public record StatementResult(
        String version,
        String id,
        String section,
        String sectionTitle,
        String level,
        String testability,
        String summary,
        String specUrl,
        Verdict verdict,
        Verdict baseline,
        boolean regression,
        String note,
        List<Observation> observations) {

    public StatementResult {
        observations = observations == null ? List.of() : List.copyOf(observations);
    }
}
