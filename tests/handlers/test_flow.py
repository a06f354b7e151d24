"""handlers/flow.py: a flow's idle limit and the registry's lookups, as tables (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from db.models import Conversation
from handlers.flow import DAY, Flow, Registry, clear

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


def _state(flow: str, idle: timedelta) -> Conversation:
    return Conversation(member_id=1, flow=flow, step="s", data={}, updated_at=NOW - idle)


@pytest.mark.parametrize(
    ("limit", "idle", "over"),
    [
        (DAY, timedelta(hours=23, minutes=59), False),
        (DAY, timedelta(hours=24), False),  # at the limit: still going
        (DAY, timedelta(hours=24, seconds=1), True),
        (timedelta(minutes=30), timedelta(minutes=29), False),
        (timedelta(minutes=30), timedelta(minutes=31), True),
        (None, timedelta(days=400), False),  # never ends by itself
    ],
)
def test_a_flow_is_idle_past_its_own_limit(limit: timedelta | None, idle: timedelta, over: bool) -> None:
    assert Flow("f", idle_limit=limit).is_idle(_state("f", idle), NOW) is over


def test_a_flow_declares_only_its_name_by_default() -> None:
    flow = Flow("f")
    assert (flow.idle_limit, flow.cancel) == (DAY, clear)
    assert flow.on_text is flow.on_location is flow.on_postback is flow.reprompt is None
    assert flow.postback_codes == flow.passes_on == flow.lets_through == frozenset()


def test_the_registry_finds_flows_by_name_and_by_their_buttons() -> None:
    a, b = Flow("a", postback_codes=frozenset({"x", "y"})), Flow("b")
    flows = Registry([a, b])
    assert (flows["a"], flows["b"]) == (a, b)
    assert (flows.owning("x"), flows.owning("y"), flows.owning("z")) == (a, a, None)


def test_a_name_no_flow_declares_is_left_plainly() -> None:
    old = Registry([Flow("a")])["gone"]
    assert (old.name, old.cancel, old.on_text) == ("gone", clear, None)


@pytest.mark.parametrize(
    ("flows", "problem"),
    [
        ([Flow("a"), Flow("a")], "two flows named 'a'"),
        ([Flow("a", postback_codes=frozenset({"x"})), Flow("b", postback_codes=frozenset({"x"}))], "'x'"),
        ([Flow("f" * 33)], "longer than the column"),
    ],
)
def test_the_registry_refuses_clashes(flows: list[Flow], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        Registry(flows)
