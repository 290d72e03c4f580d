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
    public boolean mayReturnZeroClassTemplateInvocationContexts(ExtensionContext context) {
        return true; // a selection file may leave a class out for every target
    }

    @Override
    public Stream<ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(ExtensionContext context) {
        SuiteRun run = SuiteRun.get(context);
        String simpleName = context.getRequiredTestClass().getSimpleName();
        // with a selection file, a target only gets the classes that hold scenarios selected for it
        List<String> names = run.targetNames().stream().filter(n -> run.settings().selectsClass(n, simpleName)).toList();
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
