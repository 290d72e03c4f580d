package dev.mqttharness.spec.catalog;

import dev.mqttharness.spec.MqttVersion;

/**
 * One normative statement of a specification version, as the catalog records it: facts (id,
 * section, level, actor, testability) and our own one-line summary and note.
 *
 * @param levelText the keywords as printed, e.g. "MUST, MUST NOT"
 * @param level     the strongest of them
 * @param note      how a broker test exercises it (W, W*, CN) or why none can (C, I)
 */
public record Statement(
        MqttVersion version,
        String id,
        String section,
        String sectionTitle,
        String levelText,
        Level level,
        String actor,
        Testability testability,
        String summary,
        String note) {

    public StatementKey key() {
        return new StatementKey(version, id);
    }

    /** Link to the statement's section in the OASIS HTML edition of the standard. */
    public String specUrl() {
        return SpecLinks.sectionUrl(version, section);
    }
}
