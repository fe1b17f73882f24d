"""The figures of an area kept as one row of sums (reports.metrics.Figures)."""

import pytest

from reports.metrics import KEYS, METRICS, SLOT, Figures, Value, empty_row


def test_it_reads_every_figure_of_the_catalogue_in_order_with_no_cumulative_for_a_stock():
    row = empty_row()
    row[SLOT["stage_1"] : SLOT["stage_1"] + 3] = [4, 3, 0]
    row[SLOT["move_entry"] : SLOT["move_entry"] + 3] = [2, 1, 9]
    figures = Figures(row)
    assert list(figures) == list(METRICS) == KEYS
    assert figures["stage_1"] == Value(4, 3, None)
    assert figures["move_entry"] == Value(2, 1, 9)
    assert figures["groups_formed"] == Value(0, 0, 0)
    assert len(figures) == len(METRICS)


def test_a_figure_set_is_read_back_and_nothing_else_changes():
    figures = Figures()
    figures["aid_total_amount"] = Value(current=12_500, previous=9_000, cumulative=40_000)
    figures["pending"] = Value(current=3, previous=5)
    assert figures["aid_total_amount"] == Value(12_500, 9_000, 40_000)
    assert figures["pending"] == Value(3, 5, None)
    assert dict(figures) == {**dict(Figures()), "aid_total_amount": Value(12_500, 9_000, 40_000),
                             "pending": Value(3, 5, None)}  # fmt: skip


def test_it_refuses_an_unknown_figure_and_removing_one():
    figures = Figures()
    with pytest.raises(KeyError):
        figures["no_such_figure"]
    with pytest.raises(TypeError):
        del figures["stage_1"]
