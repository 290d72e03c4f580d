package dev.mqttharness.suite.selfcheck;

import dev.mqttharness.reports.model.SelfCheck;
import java.util.List;
import java.util.Locale;

/** The self-check as Markdown: the score, the survivors with their reasons, and the collateral table. */
public final class SelfCheckMarkdown {
    private SelfCheckMarkdown() {
    }

    /** One line: "123 of 130 mutants killed (94.6 %) in 85.2 s; 3.1.1: ..., 5.0: ...". */
    public static String summary(SelfCheck sc) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%d of %d mutants killed (%s) in %.1f s", sc.killed(),
                sc.total(), percent(sc.killed(), sc.total()), sc.wallMillis() / 1000.0));
        for (SelfCheck.Score s : sc.byVersion()) {
            sb.append(String.format(Locale.ROOT, "; MQTT %s: %d of %d", s.group(), s.killed(), s.total()));
        }
        return sb.toString();
    }

    static String percent(int killed, int total) {
        return total == 0 ? "—" : String.format(Locale.ROOT, "%.1f %%", 100.0 * killed / total);
    }

    public static String render(SelfCheck sc, String command, String subset) {
        StringBuilder md = new StringBuilder();
        md.append("## Result\n\n");
        md.append("Command: `").append(command).append("` (faults: ").append(subset).append(")\n\n");
        md.append(String.format(Locale.ROOT, "Score: **%d of %d mutants killed (%s)**, wall time %.1f s.%n%n",
                sc.killed(), sc.total(), percent(sc.killed(), sc.total()), sc.wallMillis() / 1000.0));
        md.append("| version | killed | total | score |\n|---|---|---|---|\n");
        for (SelfCheck.Score s : sc.byVersion()) {
            md.append("| ").append(s.group()).append(" | ").append(s.killed()).append(" | ").append(s.total()).append(" | ")
                    .append(percent(s.killed(), s.total())).append(" |\n");
        }
        md.append("\n### Per spec section\n\n| section | killed | total |\n|---|---|---|\n");
        for (SelfCheck.Score s : sc.bySection()) {
            md.append("| ").append(s.group()).append(" | ").append(s.killed()).append(" | ").append(s.total()).append(" |\n");
        }
        List<SelfCheck.Mutant> survivors = sc.mutants().stream().filter(m -> !m.killed()).toList();
        md.append("\n### Surviving mutants\n\n");
        if (survivors.isEmpty()) {
            md.append("None.\n");
        } else {
            md.append("| fault | version | statements | scenarios that should catch it | why not |\n|---|---|---|---|---|\n");
            for (SelfCheck.Mutant m : survivors) {
                md.append("| `").append(m.fault()).append("` | ").append(m.version()).append(" | ")
                        .append(String.join(", ", m.statements())).append(" | ")
                        .append(m.scenarios().isEmpty() ? "none" : cell(String.join(", ", m.scenarios()))).append(" | ")
                        .append(cell(m.reason())).append(" |\n");
            }
        }
        md.append("\n### Collateral\n\nOther statements whose verdict, in the same scenario, differs from the fault-free run.\n\n");
        boolean any = false;
        for (SelfCheck.Mutant m : sc.mutants()) {
            for (String c : m.collateral()) {
                if (!any) {
                    md.append("| fault | version | statement: fault-free -> with the fault, in scenario |\n|---|---|---|\n");
                    any = true;
                }
                md.append("| `").append(m.fault()).append("` | ").append(m.version()).append(" | ").append(cell(c)).append(" |\n");
            }
        }
        if (!any) {
            md.append("None.\n");
        }
        return md.toString();
    }

    private static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }
}
