"""The fit's cache key: two threshold settings with the same key must decide every description the same way."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bench.fit_route_reader import GRID, _valid, _what_the_thresholds_decide
from pathways.route_reader import READER_ROUTES, outweighs_possible_red_flags, read_answers
from tests.pathways.test_route_reader import Preset, probabilities

CAUTIOUS = {"emergency_yes": 1.01, "emergency_unsure": 1.01, "statutory_possible": 0.5, "rule_out_at": 1.01,
            "rule_out_max_statutory": 0.05, "possible_outweighed_below": 0.0, "negated_possible_outweighed_below": 0.0,
            "said_rule_out_max_statutory": 0.2}
grid_points = st.fixed_dictionaries({name: st.sampled_from(options) for name, options in GRID.items()})


@settings(max_examples=500, deadline=None)
@given(probs=probabilities, first=grid_points, second=grid_points, route=st.sampled_from(READER_ROUTES),
       said=st.booleans(), negated=st.booleans())
@example(probs={"emergency": 0.0, "mash": 0.1, "early_help": 0.45, "universal": 0.4, "unclear": 0.05},
         first={**CAUTIOUS, "rule_out_at": 0.8}, second={**CAUTIOUS, "rule_out_at": 0.9}, route="unclear",
         said=True, negated=False)
def test_equal_keys_mean_equal_readings(probs, first, second, route, said, negated):
    a, b = _valid(first), _valid(second)
    if _what_the_thresholds_decide(a, probs) != _what_the_thresholds_decide(b, probs):
        return
    ruled_out = ("no marks",) if said else ()
    reading_a = read_answers(Preset(probs, a), probs, route, (), ruled_out)
    reading_b = read_answers(Preset(probs, b), probs, route, (), ruled_out)
    assert (reading_a.raise_answers, reading_a.fill_answers) == (reading_b.raise_answers, reading_b.fill_answers)
    assert outweighs_possible_red_flags(Preset(probs, a), probs, negated) == \
        outweighs_possible_red_flags(Preset(probs, b), probs, negated)
