package dev.mqttharness.targets.internal;

import dev.mqttharness.client.Endpoint;
import dev.mqttharness.targets.Launch;
import java.util.concurrent.CompletableFuture;

/**
 * {@code launch: external}: a broker that is already running. Nothing is started or stopped;
 * readiness is one probe that fails fast, and a crash shows as refused connections.
 */
public final class ExternalStarter implements Starter {

    @Override
    public Instance start(StartContext ctx) {
        Launch.External l = (Launch.External) ctx.spec().launch();
        String host = Placeholders.expandEnv(l.host(), ctx.env(), ctx.spec().origin() + ": broker '" + ctx.spec().name() + "' host");
        int ws = ctx.spec().webSocket() == null ? 0 : ctx.spec().webSocket().port();
        Endpoint ep = EndpointFactory.create(ctx.spec(), host, l.port(), ws, ctx.env());
        return new Instance() {
            private final CompletableFuture<String> never = new CompletableFuture<>();

            @Override
            public Endpoint endpoint() {
                return ep;
            }

            @Override
            public CompletableFuture<String> exited() {
                return never;
            }

            @Override
            public boolean running() {
                return true;
            }

            @Override
            public String describe() {
                return "external broker " + ep;
            }

            @Override
            public void stop() {
                // not ours to stop
            }

            @Override
            public boolean external() {
                return true;
            }
        };
    }
}
