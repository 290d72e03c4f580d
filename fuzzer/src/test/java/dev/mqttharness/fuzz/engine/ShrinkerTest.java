package dev.mqttharness.fuzz.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShrinkerTest {

    /** A list of up to 20 numbers below 1000, each drawn in its own span after a "more" flag. */
    private static List<Integer> list(ChoiceSource s) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            s.start("element");
            if (!s.chance(90)) {
                s.end();
                break;
            }
            out.add(s.between(0, 999));
            s.end();
        }
        return out;
    }

    private static Shrinker.Attempt run(Choices c, java.util.function.Predicate<List<Integer>> failing) {
        ChoiceSource s = ChoiceSource.replay(c);
        List<Integer> l = list(s);
        return new Shrinker.Attempt(failing.test(l), s.choices(), s.spans());
    }

    @Test
    void shrinks_to_the_smallest_failing_list() {
        java.util.function.Predicate<List<Integer>> failing = l -> l.stream().anyMatch(x -> x >= 500);
        ChoiceSource s = null;
        for (long seed = 0; ; seed++) {
            s = ChoiceSource.seeded(seed);
            List<Integer> l = list(s);
            if (failing.test(l) && l.size() > 5) {
                break;
            }
        }
        Shrinker shrinker = new Shrinker(c -> run(c, failing), 2_000, Duration.ofSeconds(10));
        Shrinker.Result r = shrinker.shrink(s.choices(), s.spans());
        assertThat(list(ChoiceSource.replay(r.choices()))).containsExactly(500);
        assertThat(r.exhausted()).isFalse();
    }

    @Test
    void shrinking_is_bounded_in_attempts() {
        java.util.function.Predicate<List<Integer>> failing = l -> l.size() >= 2;
        ChoiceSource s = ChoiceSource.seeded(5);
        while (!failing.test(list(s))) {
            s = ChoiceSource.seeded(s.size() + 17L);
        }
        int[] calls = {0};
        Shrinker shrinker = new Shrinker(c -> {
            calls[0]++;
            return run(c, failing);
        }, 3, Duration.ofSeconds(10));
        Shrinker.Result r = shrinker.shrink(s.choices(), s.spans());
        assertThat(calls[0]).isLessThanOrEqualTo(3);
        assertThat(r.attempts()).isLessThanOrEqualTo(3);
        assertThat(failing.test(list(ChoiceSource.replay(r.choices())))).isTrue();
    }
}
