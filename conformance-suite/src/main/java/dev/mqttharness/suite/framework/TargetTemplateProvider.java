package dev.mqttharness.suite.framework;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One invocation of a {@link ScenarioSuite} class per target; the target is launched on first use. */
final class TargetTemplateProvider implements ClassTemplateInvocationContextProvider {
    static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create("mqtt-harness");
    static final String TARGET_KEY = "target-name";

    @Override
    public boolean supportsClassTemplate(ExtensionContext context) {
        return true;
    }

    @Override
    public Stream<ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(ExtensionContext context) {
        SuiteRun run = SuiteRun.get(context);
        List<String> names = run.targetNames();
        return names.stream().map(name -> new ClassTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return "[" + name + "]";
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of((BeforeClassTemplateInvocationCallback) ctx -> ctx.getStore(NS).put(TARGET_KEY, name));
            }
        });
    }
}
