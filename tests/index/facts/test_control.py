"""A placebo named as one kind of control among others."""

from index.facts.constraint import make
from index.facts.control import one_kind_of_control


def test_a_placebo_beside_another_control_is_one_kind_of_it() -> None:
    q = "a comparison group that gets normal care or a placebo"
    control = make("control", "has", True, (2, 24))
    placebo = make("placebo", "has", True, (q.index("placebo"), len(q)))
    assert one_kind_of_control(placebo, [control, placebo], q)
    assert not one_kind_of_control(placebo, [placebo], q)  # no control asked for: the placebo is the need
    assert not one_kind_of_control(control, [control, placebo], q)  # only a placebo is read so
    sham = "a control group given a sham or a placebo"
    placebo = make("placebo", "has", True, (sham.index("placebo"), len(sham)))
    assert not one_kind_of_control(placebo, [control, placebo], sham)  # a sham is a placebo still
