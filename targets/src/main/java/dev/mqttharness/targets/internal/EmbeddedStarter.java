package dev.mqttharness.targets.internal;

import dev.mqttharness.broker.BrokerConfig;
import dev.mqttharness.broker.ReferenceBroker;
import dev.mqttharness.client.Endpoint;
import dev.mqttharness.targets.Credentials;
import java.util.concurrent.CompletableFuture;

/**
 * {@code launch: embedded}: the reference broker in this JVM on a loopback port (WebSocket too if
 * the target has {@code websocket:}); credentials, if any, are registered as its only user.
 */
public final class EmbeddedStarter implements Starter {

    @Override
    public Instance start(StartContext ctx) throws Exception {
        BrokerConfig.Builder b = BrokerConfig.builder().host("127.0.0.1").port(ctx.port());
        if (ctx.spec().webSocket() != null) {
            b.webSocket(ctx.wsPort(), ctx.spec().webSocket().path());
        }
        if (ctx.spec().credentials() != null) {
            Credentials c = ctx.spec().credentials().resolve(ctx.env(), ctx.spec().origin() + ": broker '" + ctx.spec().name() + "'");
            if (c.username() != null) {
                b.user(c.username(), c.password() == null ? "" : c.password());
            }
        }
        ReferenceBroker broker = ReferenceBroker.start(b.build());
        ctx.logs().append("mqtt-harness: reference broker listening on 127.0.0.1:" + broker.port()
                + (broker.webSocketPort() > 0 ? ", WebSocket on " + broker.webSocketPort() : ""));
        Endpoint ep = EndpointFactory.create(ctx.spec(), "127.0.0.1", broker.port(),
                Math.max(0, broker.webSocketPort()), ctx.env());
        return new EmbeddedInstance(broker, ep, ctx.logs());
    }

    private static final class EmbeddedInstance implements Instance {
        private final ReferenceBroker broker;
        private final Endpoint endpoint;
        private final LogBuffer logs;
        private final CompletableFuture<String> exited = new CompletableFuture<>();

        EmbeddedInstance(ReferenceBroker broker, Endpoint endpoint, LogBuffer logs) {
            this.broker = broker;
            this.endpoint = endpoint;
            this.logs = logs;
        }

        @Override
        public Endpoint endpoint() {
            return endpoint;
        }

        @Override
        public CompletableFuture<String> exited() {
            return exited;
        }

        @Override
        public boolean running() {
            return !exited.isDone();
        }

        @Override
        public String describe() {
            return "embedded reference broker on port " + endpoint.port();
        }

        @Override
        public void stop() {
            if (exited.isDone()) {
                return;
            }
            try {
                broker.close();
            } finally {
                logs.append("mqtt-harness: reference broker stopped");
                exited.complete("stopped");
            }
        }
    }
}
