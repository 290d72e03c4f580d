package dev.mqttharness.targets.internal;

import dev.mqttharness.client.Endpoint;
import dev.mqttharness.targets.Launch;
import dev.mqttharness.targets.TargetSpec;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code launch: jvm}: a Java broker in a forked JVM, on its own class path (from its launcher
 * project or an explicit {@code classpath:}), run by the Java that {@code java:} picks.
 */
public final class JvmStarter implements Starter {
    private List<Path> cp;
    private Path java;

    @Override
    public void prepare(TargetSpec spec, LogBuffer logs) throws Exception {
        Launch.Jvm l = (Launch.Jvm) spec.launch();
        java = JavaFinder.find(l.java(), spec.name());
        cp = l.project() != null ? LauncherProject.classpath(l.project(), logs, spec.name()) : l.classpath();
    }

    @Override
    public Instance start(StartContext ctx) throws Exception {
        Launch.Jvm l = (Launch.Jvm) ctx.spec().launch();
        if (cp == null) {
            prepare(ctx.spec(), ctx.logs());
        }
        Map<String, String> values = ProcessStarter.writeFiles(ctx, l.config(), l.files());
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(ProcessStarter.fill(l.jvmArgs(), values));
        command.add("-cp");
        command.add(cp.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        command.add(l.main());
        command.addAll(ProcessStarter.fill(l.args(), values));
        Map<String, String> env = ProcessStarter.env(ctx, l.env(), values);
        Endpoint ep = EndpointFactory.create(ctx.spec(), "127.0.0.1", ctx.port(), ctx.wsPort(), ctx.env());
        return ProcessInstance.start(command, env, ctx.dir(), ctx.logs(), ep, ctx.spec().name());
    }
}
