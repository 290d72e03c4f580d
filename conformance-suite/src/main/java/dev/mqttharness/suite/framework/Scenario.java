package dev.mqttharness.suite.framework;

import dev.mqttharness.spec.MqttVersion;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A scenario: a scripted conversation with the target that judges the statements named by the
 * method's {@code @Verifies} annotations. It runs once per version listed here that the target
 * supports and the run selects; the method takes a {@link ScenarioContext}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@TestTemplate
@ExtendWith(ScenarioInvocationProvider.class)
public @interface Scenario {
    MqttVersion[] versions() default {MqttVersion.V3_1_1, MqttVersion.V5};
}
