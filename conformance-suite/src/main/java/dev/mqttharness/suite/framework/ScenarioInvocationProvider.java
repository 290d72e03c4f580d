package dev.mqttharness.suite.framework;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.StatementIds;
import dev.mqttharness.spec.catalog.Verifies;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/** One invocation of a {@link Scenario} per version it declares, the target supports and the run selects. */
final class ScenarioInvocationProvider implements TestTemplateInvocationContextProvider {

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.isAnnotationPresent(Scenario.class)).orElse(false);
    }

    @Override
    public boolean mayReturnZeroTestTemplateInvocationContexts(ExtensionContext context) {
        return true;
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        SuiteRun run = SuiteRun.get(context);
        String targetName = context.getStore(TargetTemplateProvider.NS).get(TargetTemplateProvider.TARGET_KEY, String.class);
        Method method = context.getRequiredTestMethod();
        Scenario scenario = method.getAnnotation(Scenario.class);
        List<TestTemplateInvocationContext> out = new ArrayList<>();
        String id = method.getDeclaringClass().getSimpleName() + "." + method.getName();
        List<MqttVersion> selected = new ArrayList<>();
        for (MqttVersion v : scenario.versions()) {
            if (run.settings().selects(targetName, v, id)) {
                selected.add(v);
            }
        }
        if (selected.isEmpty()) {
            return out.stream(); // a selection file leaves this scenario out for this target: do not even launch it
        }
        Set<MqttVersion> targetVersions = null;
        try {
            targetVersions = run.target(targetName).versions();
        } catch (TargetUnavailable e) {
            // every invocation records the failure as ERROR (or is skipped for a missing environment)
        }
        for (MqttVersion v : selected) {
            MqttVersion cv = v.catalogVersion();
            if (!run.settings().versions().contains(cv)) {
                continue;
            }
            if (targetVersions != null && !targetVersions.contains(cv)) {
                continue; // brokers.yaml does not test this target in this version
            }
            Set<String> declared = declared(method, cv);
            List<String> sections = new ArrayList<>();
            for (String statement : declared) {
                sections.add(StatementIds.sectionOf(statement));
            }
            if (!run.settings().selects(sections)) {
                continue;
            }
            out.add(new TestTemplateInvocationContext() {
                @Override
                public String getDisplayName(int invocationIndex) {
                    return "MQTT " + v.label();
                }

                @Override
                public List<Extension> getAdditionalExtensions() {
                    return List.of(new ScenarioExtension(run, targetName, v, id, declared));
                }
            });
        }
        return out.stream();
    }

    /** Statement IDs the method declares for a version (its own {@code @Verifies} for that version). */
    static Set<String> declared(Method m, MqttVersion version) {
        Set<String> out = new LinkedHashSet<>();
        for (Verifies v : m.getAnnotationsByType(Verifies.class)) {
            if (v.version().catalogVersion() == version.catalogVersion()) {
                out.addAll(List.of(v.value()));
            }
        }
        return out;
    }
}
