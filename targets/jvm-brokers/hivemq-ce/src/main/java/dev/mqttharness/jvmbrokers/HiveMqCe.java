package dev.mqttharness.jvmbrokers;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs HiveMQ CE (embedded API) for the harness:
 * {@code HiveMqCe --port N [--host 127.0.0.1] [--ws-port N --ws-path /mqtt] --dir DIR}.
 *
 * <p>Writes a config.xml with a TCP listener (and a WebSocket listener if asked), in-memory
 * persistence and no usage statistics, and registers an allow-all authenticator: without a
 * security extension HiveMQ CE refuses every CONNECT.
 */
public final class HiveMqCe {
    private HiveMqCe() {
    }

    public static void main(String[] args) throws Exception {
        LauncherArgs a = new LauncherArgs(args);
        String host = a.getOrDefault("host", "127.0.0.1");
        int port = Integer.parseInt(a.require("port"));
        Path dir = Path.of(a.getOrDefault("dir", Files.createTempDirectory("hivemq-ce").toString()));
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Path data = Files.createDirectories(dir.resolve("data"));
        Path extensions = Files.createDirectories(dir.resolve("extensions"));

        StringBuilder xml = new StringBuilder();
        xml.append("<?xml version=\"1.0\"?>\n<hivemq>\n  <listeners>\n")
                .append("    <tcp-listener><port>").append(port).append("</port><bind-address>").append(host)
                .append("</bind-address></tcp-listener>\n");
        if (a.get("ws-port") != null) {
            xml.append("    <websocket-listener><port>").append(a.get("ws-port")).append("</port><bind-address>")
                    .append(host).append("</bind-address><path>").append(a.getOrDefault("ws-path", "/mqtt"))
                    .append("</path><name>websocket</name><subprotocols><subprotocol>mqttv3.1</subprotocol>")
                    .append("<subprotocol>mqtt</subprotocol></subprotocols><allow-extensions>true</allow-extensions>")
                    .append("</websocket-listener>\n");
        }
        xml.append("  </listeners>\n")
                .append("  <persistence><mode>in-memory</mode></persistence>\n")
                .append("  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>\n")
                .append("</hivemq>\n");
        Files.writeString(conf.resolve("config.xml"), xml, StandardCharsets.UTF_8);

        EmbeddedExtension allowAll = EmbeddedExtension.builder()
                .withId("mqtt-harness-allow-all")
                .withName("mqtt-harness allow all")
                .withVersion("1")
                .withAuthor("mqtt-harness")
                .withPriority(0)
                .withStartPriority(1000)
                .withExtensionMain(new ExtensionMain() {
                    @Override
                    public void extensionStart(ExtensionStartInput in, ExtensionStartOutput out) {
                        Services.securityRegistry().setAuthenticatorProvider(
                                input -> (SimpleAuthenticator) (i, o) -> o.authenticateSuccessfully());
                    }

                    @Override
                    public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) {
                    }
                })
                .build();

        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .withEmbeddedExtension(allowAll)
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                hivemq.stop().join();
            } finally {
                stopped.countDown();
            }
        }, "hivemq-stop"));
        hivemq.start().join();
        System.out.println("mqtt-harness: HiveMQ CE listening on " + host + ":" + port + " (pid=" + ProcessHandle.current().pid() + ")");
        stopped.await();
    }
}
