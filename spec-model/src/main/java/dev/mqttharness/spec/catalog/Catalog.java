package dev.mqttharness.spec.catalog;

import dev.mqttharness.spec.MqttVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The normative statements of MQTT 3.1.1 and 5.0, loaded from the project's own catalog resources
 * ({@code catalog/mqtt-3.1.1.tsv}, {@code catalog/mqtt-5.0.tsv}).
 */
public final class Catalog {
    private static final String[] HEADER =
            {"id", "section", "section_title", "level", "actor", "testability", "summary", "note"};

    private static volatile Catalog instance;

    private final Map<MqttVersion, Map<String, Statement>> byVersion = new EnumMap<>(MqttVersion.class);
    private final Map<MqttVersion, Set<String>> sections = new EnumMap<>(MqttVersion.class);

    private Catalog() {
        load(MqttVersion.V3_1_1, "mqtt-3.1.1.tsv");
        load(MqttVersion.V5, "mqtt-5.0.tsv");
    }

    /** The catalog, loaded once. */
    public static Catalog get() {
        Catalog c = instance;
        if (c == null) {
            synchronized (Catalog.class) {
                c = instance;
                if (c == null) {
                    c = new Catalog();
                    instance = c;
                }
            }
        }
        return c;
    }

    /** All statements of a version, in document order. */
    public List<Statement> statements(MqttVersion version) {
        return List.copyOf(byVersion.get(version.catalogVersion()).values());
    }

    public Optional<Statement> find(MqttVersion version, String id) {
        return Optional.ofNullable(byVersion.get(version.catalogVersion()).get(id));
    }

    public Optional<Statement> find(StatementKey key) {
        return find(key.version(), key.id());
    }

    public Statement statement(MqttVersion version, String id) {
        return find(version, id).orElseThrow(() -> new IllegalArgumentException(
                "no statement " + id + " in MQTT " + version.catalogVersion().label()));
    }

    /**
     * True if {@code id} names something in this version: a numbered statement of the catalog, or
     * a section reference ({@code §4.9}) to a section that holds statements or is a known parent of
     * one (requirements without a number are named by section).
     */
    public boolean exists(MqttVersion version, String id) {
        MqttVersion v = version.catalogVersion();
        if (StatementIds.isNumbered(id)) {
            return byVersion.get(v).containsKey(id);
        }
        if (StatementIds.isSectionRef(id)) {
            String section = StatementIds.sectionOf(id);
            for (String s : sections.get(v)) {
                if (s.equals(section) || s.startsWith(section + ".")) {
                    return true;
                }
            }
            return SectionIndex.get(v).contains(section);
        }
        return false;
    }

    /** Sections (as numbered in the catalog) holding at least one statement, sorted. */
    public Set<String> sections(MqttVersion version) {
        return Collections.unmodifiableSet(sections.get(version.catalogVersion()));
    }

    private void load(MqttVersion version, String file) {
        Map<String, Statement> map = new LinkedHashMap<>();
        Set<String> secs = new TreeSet<>(StatementIds::compare);
        // relative to this class: the TSVs sit in this package (dev/mqttharness/spec/catalog/)
        String resource = file;
        try (InputStream in = Catalog.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("catalog resource missing: " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String header = r.readLine();
            if (header == null || !List.of(header.split("\t")).equals(List.of(HEADER))) {
                throw new IllegalStateException(resource + ": unexpected header " + header);
            }
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != HEADER.length) {
                    throw new IllegalStateException(resource + ":" + lineNo + ": expected "
                            + HEADER.length + " fields, found " + f.length);
                }
                Statement s = new Statement(version, f[0], f[1], f[2], f[3], Level.strongestOf(f[3]),
                        f[4], Testability.fromCode(f[5]), f[6], f[7]);
                if (map.put(s.id(), s) != null) {
                    throw new IllegalStateException(resource + ":" + lineNo + ": duplicate id " + s.id());
                }
                secs.add(s.section());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byVersion.put(version, Collections.unmodifiableMap(map));
        sections.put(version, secs);
    }

    /** Every statement of both versions. */
    public List<Statement> all() {
        List<Statement> out = new ArrayList<>(statements(MqttVersion.V3_1_1));
        out.addAll(statements(MqttVersion.V5));
        return out;
    }
}
