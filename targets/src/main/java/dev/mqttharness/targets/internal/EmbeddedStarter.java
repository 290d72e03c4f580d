package dev.mqttharness.targets.internal;

import dev.mqttharness.broker.BrokerConfig;
import dev.mqttharness.broker.ReferenceBroker;
import dev.mqttharness.client.Endpoint;
import dev.mqttharness.broker.ReferenceBrokerMain;
import dev.mqttharness.targets.Credentials;
import dev.mqttharness.targets.Launch;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code launch: embedded}: the reference broker in this JVM on a loopback port (WebSocket too if
 * the target has {@code websocket:}); credentials, if any, are registered as its only user.
 */
public final class EmbeddedStarter implements Starter {

    @Override
    public Instance start(StartContext ctx) throws Exception {
        List<String> args = new ArrayList<>(((Launch.Embedded) ctx.spec().launch()).args());
        String generatedUser = null;
        int g = args.indexOf("--generate-user");
        if (g >= 0) {
            if (g + 1 >= args.size()) {
                throw new IllegalArgumentException(ctx.spec().origin() + ": --generate-user needs a user name");
            }
            generatedUser = args.get(g + 1);
            args.subList(g, g + 2).clear();
        }
        BrokerConfig.Builder b = ReferenceBrokerMain.parse(args.toArray(new String[0])).toBuilder()
                .host("127.0.0.1").port(ctx.port());
        if (ctx.spec().webSocket() != null) {
            b.webSocket(ctx.wsPort(), ctx.spec().webSocket().path());
        }
        String user = null;
        String password = null;
        if (ctx.spec().credentials() != null) {
            Credentials c = ctx.spec().credentials().resolve(ctx.env(), ctx.spec().origin() + ": broker '" + ctx.spec().name() + "'");
            if (c.username() != null) {
                b.user(c.username(), c.password() == null ? "" : c.password());
            }
        } else if (generatedUser != null) {
            // a throwaway secret for a throwaway broker: made here, never written anywhere
            byte[] r = new byte[18];
            new SecureRandom().nextBytes(r);
            user = generatedUser;
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(r);
            b.user(user, password);
        }
        ReferenceBroker broker = ReferenceBroker.start(b.build());
        ctx.logs().append("mqtt-harness: reference broker listening on 127.0.0.1:" + broker.port()
                + (broker.webSocketPort() > 0 ? ", WebSocket on " + broker.webSocketPort() : "")
                + (args.isEmpty() ? "" : " with " + String.join(" ", args)));
        Endpoint ep = EndpointFactory.create(ctx.spec(), "127.0.0.1", broker.port(),
                Math.max(0, broker.webSocketPort()), ctx.env());
        if (user != null) {
            ep = ep.withCredentials(user, password);
        }
        return new EmbeddedInstance(broker, ep, ctx.logs(), !broker.config().faults().isEmpty());
    }

    private static final class EmbeddedInstance implements Instance {
        private final ReferenceBroker broker;
        private final Endpoint endpoint;
        private final LogBuffer logs;
        private final CompletableFuture<String> exited = new CompletableFuture<>();
        private final boolean faulty;

        EmbeddedInstance(ReferenceBroker broker, Endpoint endpoint, LogBuffer logs, boolean faulty) {
            this.broker = broker;
            this.endpoint = endpoint;
            this.logs = logs;
            this.faulty = faulty;
        }

        @Override
        public boolean readyWhenStarted() {
            // a broker with faults may answer the readiness probe wrongly on purpose; it is bound once started
            return faulty;
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
