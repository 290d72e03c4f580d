package dev.mqttharness.targets.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Stops a process and all its descendants: SIGTERM, a grace period, then SIGKILL. */
public final class ProcessTrees {
    private ProcessTrees() {
    }

    /** Kills {@code root} and its descendants; returns true if none is left. */
    public static boolean kill(ProcessHandle root, Duration grace) {
        List<ProcessHandle> all = tree(root);
        for (ProcessHandle p : all) {
            p.destroy();
        }
        if (!Poll.await(exits(all), grace)) {
            // descendants started in the meantime count too
            for (ProcessHandle p : tree(root).isEmpty() ? all : union(all, tree(root))) {
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
            }
            Poll.await(exits(all), Duration.ofSeconds(5));
        }
        return all.stream().noneMatch(ProcessHandle::isAlive);
    }

    private static List<ProcessHandle> tree(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>();
        if (root.isAlive()) {
            root.descendants().forEach(all::add);
            all.add(root);
        }
        return all;
    }

    private static List<ProcessHandle> union(List<ProcessHandle> a, List<ProcessHandle> b) {
        List<ProcessHandle> u = new ArrayList<>(a);
        for (ProcessHandle p : b) {
            if (!u.contains(p)) {
                u.add(p);
            }
        }
        return u;
    }

    private static CompletableFuture<Void> exits(List<ProcessHandle> all) {
        return CompletableFuture.allOf(all.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new));
    }
}
