package dev.mqttharness.reports;

import dev.mqttharness.reports.model.RunReport;
import dev.mqttharness.reports.model.StatementResult;
import dev.mqttharness.reports.model.TargetReport;
import dev.mqttharness.spec.verdict.Verdict;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Figures of a run: verdict counts, regressions, whether the environment failed. */
public final class RunStats {
    /** Verdicts in the order reports show them, worst first. */
    public static final List<Verdict> ORDER = List.of(Verdict.FAIL, Verdict.ERROR, Verdict.NON_STRICT, Verdict.PASS,
            Verdict.INFO, Verdict.UNSUPPORTED, Verdict.NOT_TESTED);

    private RunStats() {
    }

    /** Count of statements per verdict (every verdict present, possibly 0). */
    public static Map<Verdict, Integer> counts(List<StatementResult> statements) {
        Map<Verdict, Integer> m = new EnumMap<>(Verdict.class);
        for (Verdict v : Verdict.values()) {
            m.put(v, 0);
        }
        for (StatementResult s : statements) {
            m.merge(s.verdict() == null ? Verdict.NOT_TESTED : s.verdict(), 1, Integer::sum);
        }
        return m;
    }

    public static Map<Verdict, Integer> counts(TargetReport t, String version) {
        List<StatementResult> l = new ArrayList<>();
        for (StatementResult s : t.statements()) {
            if (version == null || version.equals(s.version())) {
                l.add(s);
            }
        }
        return counts(l);
    }

    /** The target could not be launched or reached: nothing was judged against the broker. */
    public static boolean down(TargetReport t) {
        return "ERROR".equals(t.status());
    }

    /** True if any target could not be launched or reached. */
    public static boolean environmentFailed(RunReport r) {
        return r.targets().stream().anyMatch(RunStats::down);
    }

    /** Statements whose verdict is worse than the baseline (PASS when none is listed). */
    public static List<StatementResult> regressions(TargetReport t) {
        List<StatementResult> out = new ArrayList<>();
        for (StatementResult s : t.statements()) {
            if (s.regression()) {
                out.add(s);
            }
        }
        return out;
    }

    public static int regressionCount(RunReport r) {
        int n = 0;
        for (TargetReport t : r.targets()) {
            n += regressions(t).size();
        }
        return n;
    }

    /** "12 PASS, 1 FAIL, 128 NOT_TESTED" (verdicts with a zero count left out). */
    public static String line(Map<Verdict, Integer> counts) {
        StringBuilder sb = new StringBuilder();
        for (Verdict v : ORDER) {
            int n = counts.getOrDefault(v, 0);
            if (n > 0) {
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(n).append(' ').append(v);
            }
        }
        return sb.length() == 0 ? "no statements" : sb.toString();
    }
}
