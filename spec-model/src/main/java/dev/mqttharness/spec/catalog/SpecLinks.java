package dev.mqttharness.spec.catalog;

import dev.mqttharness.spec.MqttVersion;

/** Where a section lives in the OASIS HTML editions of the standards. */
public final class SpecLinks {
    private static final String V5 = "https://docs.oasis-open.org/mqtt/mqtt/v5.0/os/mqtt-v5.0-os.html";
    private static final String V311 = "https://docs.oasis-open.org/mqtt/mqtt/v3.1.1/os/mqtt-v3.1.1-os.html";

    private SpecLinks() {
    }

    public static String documentUrl(MqttVersion version) {
        return version.catalogVersion() == MqttVersion.V5 ? V5 : V311;
    }

    /**
     * A link to a section. The OASIS HTML has no anchor per section number, so the link carries a
     * text fragment for the section number, which browsers scroll to.
     */
    public static String sectionUrl(MqttVersion version, String section) {
        return documentUrl(version) + "#:~:text=" + section;
    }
}
