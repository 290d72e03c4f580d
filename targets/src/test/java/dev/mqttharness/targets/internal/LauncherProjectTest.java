package dev.mqttharness.targets.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherProjectTest {
    @TempDir
    Path dir;

    private Path project(Instant sources, Instant built, String classpath) throws Exception {
        Path p = Files.createDirectories(dir.resolve("broker"));
        Files.writeString(p.resolve("pom.xml"), "<project/>");
        Path src = Files.createDirectories(p.resolve("src/main/java"));
        Files.writeString(src.resolve("Main.java"), "class Main {}");
        Path cp = Files.createDirectories(p.resolve("target")).resolve("classpath.txt");
        Files.writeString(cp, classpath);
        for (Path f : new Path[] {p.resolve("pom.xml"), src.resolve("Main.java")}) {
            Files.setLastModifiedTime(f, FileTime.from(sources));
        }
        Files.setLastModifiedTime(cp, FileTime.from(built));
        return p;
    }

    @Test
    void up_to_date_when_the_class_path_file_is_newer_than_every_source() throws Exception {
        Path jar = Files.writeString(dir.resolve("a.jar"), "");
        Instant now = Instant.now();
        Path p = project(now.minusSeconds(60), now, jar.toString());
        assertThat(LauncherProject.stale(p, p.resolve("target/classpath.txt"))).isFalse();
    }

    @Test
    void stale_when_a_source_changed_since_the_build() throws Exception {
        Instant now = Instant.now();
        Path p = project(now, now.minusSeconds(60), "");
        assertThat(LauncherProject.stale(p, p.resolve("target/classpath.txt"))).isTrue();
    }

    @Test
    void stale_when_a_jar_is_gone_or_nothing_was_built() throws Exception {
        Instant now = Instant.now();
        Path p = project(now.minusSeconds(60), now, dir.resolve("gone.jar").toString());
        assertThat(LauncherProject.stale(p, p.resolve("target/classpath.txt"))).isTrue();
        assertThat(LauncherProject.stale(p, p.resolve("target/none.txt"))).isTrue();
    }

    @Test
    void stale_when_the_sources_shared_by_every_launcher_changed() throws Exception {
        Path jar = Files.writeString(dir.resolve("a.jar"), "");
        Instant now = Instant.now();
        Path p = project(now.minusSeconds(60), now, jar.toString());
        Path common = Files.createDirectories(dir.resolve("common/src/main/java"));
        Path shared = Files.writeString(common.resolve("LauncherArgs.java"), "class LauncherArgs {}");
        Files.setLastModifiedTime(shared, FileTime.from(now.minusSeconds(30)));
        assertThat(LauncherProject.stale(p, p.resolve("target/classpath.txt"))).isFalse();
        Files.setLastModifiedTime(shared, FileTime.from(now.plusSeconds(30)));
        assertThat(LauncherProject.stale(p, p.resolve("target/classpath.txt"))).isTrue();
    }
}
