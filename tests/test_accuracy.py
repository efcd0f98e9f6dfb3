"""The accuracy ratchet: each gold set scores exactly what tests/accuracy.json records."""
import pytest

from evaluation.ratchet import GOLD_SETS, UPDATE_COMMAND, current_scores, differences, recorded_scores


@pytest.mark.parametrize("name", GOLD_SETS)
def test_scores_equal_the_record(name):
    gold_set = GOLD_SETS[name]
    if not gold_set.gold.is_dir():
        pytest.skip(f"no {name} gold at {gold_set.gold}: the shared development gold is not on this machine "
                    "(NEWSFACTS_DEV_GOLD names another folder)")
    drops, rises = differences(recorded_scores()[name], current_scores(gold_set))
    assert not drops, f"{name} gold: accuracy dropped below the record:\n" + "\n".join(drops)
    assert not rises, (f"{name} gold: accuracy rose above the record; record it with `{UPDATE_COMMAND}`:\n"
                       + "\n".join(rises))


def test_drops_and_rises_are_named():
    drops, rises = differences({"a.f1": 0.9, "b.f1": 0.5, "c.accuracy": 0.7, "d.f1": 1.0},
                               {"a.f1": 0.8, "b.f1": 0.6, "c.accuracy": None, "d.f1": 1.0, "e.f1": 0.1})
    assert drops == ["a.f1: 0.9 -> 0.8", "c.accuracy: 0.7 -> None"]
    assert rises == ["b.f1: 0.5 -> 0.6", "e.f1: None -> 0.1"]
