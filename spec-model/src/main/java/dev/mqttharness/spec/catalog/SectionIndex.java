package dev.mqttharness.spec.catalog;

import dev.mqttharness.spec.MqttVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The section numbers and titles of each standard ({@code catalog/sections-*.tsv}), so that a
 * requirement without a statement number can be named by its section and shown with its title.
 */
public final class SectionIndex {
    private static final Map<MqttVersion, SectionIndex> CACHE = new EnumMap<>(MqttVersion.class);

    private final Map<String, String> titles;

    private SectionIndex(Map<String, String> titles) {
        this.titles = Collections.unmodifiableMap(titles);
    }

    public static synchronized SectionIndex get(MqttVersion version) {
        return CACHE.computeIfAbsent(version.catalogVersion(), SectionIndex::load);
    }

    public boolean contains(String section) {
        return titles.containsKey(section);
    }

    public String title(String section) {
        return titles.getOrDefault(section, "");
    }

    public Map<String, String> all() {
        return titles;
    }

    private static SectionIndex load(MqttVersion version) {
        // relative to this class: the TSVs sit in this package (dev/mqttharness/spec/catalog/)
        String resource = "sections-" + version.label() + ".tsv";
        Map<String, String> map = new LinkedHashMap<>();
        try (InputStream in = SectionIndex.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("section index missing: " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    map.put(line.substring(0, tab), line.substring(tab + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SectionIndex(map);
    }
}
