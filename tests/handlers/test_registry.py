"""handlers/registry.py: every flow the bot has is registered once, with limits and words that exist."""

from __future__ import annotations

from datetime import timedelta

from handlers import (
    after_send,
    commands,
    community_places,
    offer,
    relay,
    request_flow,
    routes,
    safety,
    supporter_flow,
    thanks,
)
from handlers.registry import FLOWS


def test_every_flow_name_stored_by_a_module_is_registered() -> None:
    for module in (request_flow, supporter_flow, offer, safety, community_places, after_send, relay):
        assert FLOWS.by_name[module.FLOW].name == module.FLOW
    assert FLOWS.by_name[thanks.THANKS_FLOW].on_message is not None


def test_each_flow_ends_by_its_own_limit() -> None:
    limits = {name: flow.idle_limit for name, flow in FLOWS.by_name.items()}
    assert limits["request"] == limits["supporter"] == limits["offer"] == timedelta(hours=24)
    assert limits["relay"] == limits["thanks"] == limits["safety"] == timedelta(minutes=30)
    assert limits["away"] is None  # kept until they come back


def test_a_flows_buttons_are_its_own_and_no_button_works_everywhere_too() -> None:
    assert FLOWS.owning("rq") is FLOWS["request"]
    assert FLOWS.owning("sup") is FLOWS["supporter"]
    everywhere = set(routes.POSTBACK_ACTIONS) | set(routes.PICKER_ACTIONS) | {"cancel"}
    assert not everywhere & set(FLOWS.by_code)


def test_what_a_flow_names_exists() -> None:
    """Route names in lets_through and command names in passes_on are real (a typo would be silent)."""
    route_names = {route.name for route in routes.ROUTES}
    command_names = {command.name for command in commands.COMMANDS.values()}
    for flow in FLOWS.by_name.values():
        assert flow.lets_through <= route_names, flow.name
        assert flow.passes_on <= command_names, flow.name
        assert not (flow.passes_on and flow.on_message is None), flow.name
