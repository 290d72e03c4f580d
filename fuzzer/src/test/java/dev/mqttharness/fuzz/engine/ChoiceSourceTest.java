package dev.mqttharness.fuzz.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChoiceSourceTest {

    private static List<Long> draw(ChoiceSource s) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            s.start("step");
            out.add(s.draw(i % 7 + 1));
            out.add((long) s.between(3, 9));
            out.add(s.chance(40) ? 1L : 0L);
            s.end();
        }
        return out;
    }

    @Test
    void the_same_seed_draws_the_same_values() {
        assertThat(draw(ChoiceSource.seeded(42))).isEqualTo(draw(ChoiceSource.seeded(42)));
        assertThat(draw(ChoiceSource.seeded(42))).isNotEqualTo(draw(ChoiceSource.seeded(43)));
    }

    @Test
    void replaying_the_recorded_choices_draws_the_same_values() {
        ChoiceSource s = ChoiceSource.seeded(7);
        List<Long> first = draw(s);
        assertThat(draw(ChoiceSource.replay(s.choices()))).isEqualTo(first);
    }

    @Test
    void replay_clamps_to_each_bound_and_continues_with_zeros() {
        ChoiceSource s = ChoiceSource.replay(Choices.of(99, 2));
        assertThat(s.draw(5)).isEqualTo(5);
        assertThat(s.draw(5)).isEqualTo(2);
        assertThat(s.draw(5)).isZero();
        assertThat(s.chance(50)).isFalse(); // zero shrinks toward false
        assertThat(s.weighted(1, 2, 3)).isZero();
        assertThat(s.choices()).isEqualTo(Choices.of(5, 2, 0, 0, 0));
    }

    @Test
    void a_bound_of_zero_consumes_no_choice() {
        ChoiceSource s = ChoiceSource.seeded(1);
        assertThat(s.draw(0)).isZero();
        assertThat(s.size()).isZero();
    }

    @Test
    void spans_cover_the_choices_of_each_part() {
        ChoiceSource s = ChoiceSource.seeded(3);
        s.start("a");
        s.draw(10);
        s.draw(10);
        s.end();
        s.start("b");
        s.draw(10);
        s.end();
        assertThat(s.spans()).containsExactly(new Span(0, 2, "a"), new Span(2, 3, "b"));
    }

    @Test
    void shortlex_order_prefers_fewer_then_smaller_choices() {
        assertThat(Choices.of(1, 1).simplerThan(Choices.of(0, 0, 0))).isTrue();
        assertThat(Choices.of(0, 5).simplerThan(Choices.of(1, 0))).isTrue();
        assertThat(Choices.of(1, 0).simplerThan(Choices.of(1, 0))).isFalse();
    }
}
