package dev.mqttharness.spec.catalog;

import dev.mqttharness.spec.MqttVersion;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the statements a scenario, check or broker decision verifies, for one version. Repeat it
 * for the other version: IDs are per version. {@link VerifiesScanner} finds IDs that do not exist
 * in that version's catalog, so a module's test can fail the build on them.
 *
 * <pre>{@code
 * @Verifies(version = MqttVersion.V5, value = {"MQTT-3.3.1-5", "MQTT-3.3.1-6"})
 * @Verifies(version = MqttVersion.V3_1_1, value = "MQTT-3.3.1-5")
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.FIELD})
@Repeatable(Verifies.List.class)
public @interface Verifies {
    MqttVersion version();

    /** Statement IDs ({@code MQTT-x.y.z-n}) or section references ({@code §4.9}). */
    String[] value();

    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE, ElementType.FIELD})
    @interface List {
        Verifies[] value();
    }
}
