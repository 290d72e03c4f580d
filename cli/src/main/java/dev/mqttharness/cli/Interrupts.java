package dev.mqttharness.cli;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C during a run: the first one calls the handler (write a partial report, stop targets,
 * exit 130); a second one quits at once. Uses the JDK's signal API (jdk.unsupported), which is
 * the only way to act before the JVM starts its shutdown.
 */
@SuppressWarnings("removal")
final class Interrupts {
    private static final AtomicBoolean FIRED = new AtomicBoolean();
    private static volatile Runnable handler;
    private static boolean installed;

    private Interrupts() {
    }

    static synchronized void install(Runnable onInterrupt) {
        handler = onInterrupt;
        FIRED.set(false);
        if (installed) {
            return;
        }
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> fire());
            installed = true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // no signal handling here (e.g. under a test runner that owns it): the JVM's default applies
        }
    }

    static synchronized void uninstall() {
        handler = null;
    }

    private static void fire() {
        Runnable h = handler;
        if (h == null || FIRED.getAndSet(true)) {
            System.err.println("\nmqtt-harness: interrupted");
            Runtime.getRuntime().halt(MqttHarness.INTERRUPTED);
        }
        Thread t = new Thread(h, "mqtt-harness-interrupt");
        t.start();
    }
}
