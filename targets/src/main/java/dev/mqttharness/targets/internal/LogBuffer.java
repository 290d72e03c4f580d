package dev.mqttharness.targets.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The last lines a broker wrote (process output, container log); older lines are dropped. */
public final class LogBuffer {
    public static final int DEFAULT_CAPACITY = 5_000;

    private final int capacity;
    private final ArrayDeque<String> lines = new ArrayDeque<>();

    public LogBuffer() {
        this(DEFAULT_CAPACITY);
    }

    public LogBuffer(int capacity) {
        this.capacity = capacity;
    }

    public synchronized void append(String line) {
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    /** The last {@code n} lines, oldest first. */
    public synchronized List<String> last(int n) {
        int skip = Math.max(0, lines.size() - Math.max(0, n));
        List<String> out = new ArrayList<>(Math.min(n, lines.size()));
        int i = 0;
        for (String l : lines) {
            if (i++ >= skip) {
                out.add(l);
            }
        }
        return out;
    }

    /** Copies {@code in} line by line into this buffer on a daemon thread until end of stream. */
    public Thread pump(InputStream in, String threadName) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    append(line);
                }
            } catch (IOException e) {
                // the process is gone; its output ends here
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
