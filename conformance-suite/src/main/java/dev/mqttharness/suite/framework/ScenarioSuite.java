package dev.mqttharness.suite.framework;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Marks a class of scenarios for one spec section. The class runs once per target under test
 * (the {@code mqtt.targets} configuration, else brokers.yaml's {@code default:} list); its
 * {@link Scenario} methods run once per protocol version, concurrently.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ClassTemplate
@ExtendWith(TargetTemplateProvider.class)
@Execution(ExecutionMode.CONCURRENT)
public @interface ScenarioSuite {
}
