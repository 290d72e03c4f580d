package dev.mqttharness.cli;

import dev.mqttharness.reports.ReportFiles;
import dev.mqttharness.suite.framework.ResultsListener;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Renders report.html and junit.xml each time the suite rewrites report.json, on one background
 * thread, keeping only the newest report: scenario threads never wait for a rendering, and a
 * burst of rewrites costs one rendering.
 */
final class AsyncRenderer implements Consumer<ResultsListener.ReportWritten> {
    private final AtomicReference<ResultsListener.ReportWritten> latest = new AtomicReference<>();
    private final Thread worker;
    private volatile boolean stopped;

    AsyncRenderer() {
        worker = new Thread(this::loop, "mqtt-harness-report-renderer");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void accept(ResultsListener.ReportWritten w) {
        if (!stopped) {
            latest.set(w);
            synchronized (this) {
                notifyAll();
            }
        }
    }

    private void loop() {
        while (!stopped) {
            ResultsListener.ReportWritten w = latest.getAndSet(null);
            if (w == null) {
                synchronized (this) {
                    try {
                        if (latest.get() == null && !stopped) {
                            wait(500);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                continue;
            }
            try {
                ReportFiles.writeRenderings(w.report(), w.dir());
            } catch (Exception | LinkageError e) {
                System.err.println("mqtt-harness: cannot render the report: " + e);
            }
        }
    }

    /** Stops rendering and waits (bounded) for a rendering in progress, so that a final write is not overwritten. */
    void stop() {
        stopped = true;
        latest.set(null);
        synchronized (this) {
            notifyAll();
        }
        try {
            worker.join(TimeUnit.SECONDS.toMillis(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
