package dev.mqttharness.targets.internal;

import dev.mqttharness.client.Endpoint;
import dev.mqttharness.targets.Launch;
import dev.mqttharness.targets.TargetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code launch: process}: writes the templated config (and other files) into the work folder,
 * then runs the command with the placeholders filled in.
 */
public final class ProcessStarter implements Starter {
    static final String CONFIG_FILE = "broker.conf";

    @Override
    public Instance start(StartContext ctx) throws Exception {
        Launch.Process l = (Launch.Process) ctx.spec().launch();
        Map<String, String> values = writeFiles(ctx, l.config(), l.files());
        List<String> command = fill(l.command(), values);
        Map<String, String> env = env(ctx, l.env(), values);
        Endpoint ep = EndpointFactory.create(ctx.spec(), "127.0.0.1", ctx.port(), ctx.wsPort(), ctx.env());
        return ProcessInstance.start(command, env, ctx.dir(), ctx.logs(), ep, ctx.spec().name());
    }

    /** Writes {@code config} to {dir}/broker.conf and {@code files} into {dir}; returns the placeholder values. */
    static Map<String, String> writeFiles(StartContext ctx, String config, Map<String, String> files) throws IOException {
        Path configFile = ctx.dir().resolve(CONFIG_FILE);
        Map<String, String> values = ctx.placeholders(configFile.toString());
        if (config != null) {
            Files.writeString(configFile, Placeholders.fill(config, values), StandardCharsets.UTF_8);
        }
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path target = ctx.dir().resolve(f.getKey()).normalize();
            if (!target.startsWith(ctx.dir())) {
                throw new TargetException(ctx.spec().origin() + ": files: '" + f.getKey() + "' is outside the work folder");
            }
            Files.createDirectories(target.getParent());
            Files.writeString(target, Placeholders.fill(f.getValue(), values), StandardCharsets.UTF_8);
        }
        return values;
    }

    static List<String> fill(List<String> args, Map<String, String> values) {
        List<String> out = new ArrayList<>(args.size());
        for (String a : args) {
            out.add(Placeholders.fill(a, values));
        }
        return out;
    }

    static Map<String, String> env(StartContext ctx, Map<String, String> env, Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String v = Placeholders.expandEnv(e.getValue(), ctx.env(), ctx.spec().origin() + ": env " + e.getKey());
            out.put(e.getKey(), Placeholders.fill(v, values));
        }
        return out;
    }
}
