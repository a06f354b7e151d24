"""handlers/routes.py: the route table's order, as a table (the dialogue tests show what each route says)."""

from __future__ import annotations

from handlers import routes


def _order() -> list[str]:
    return [route.name for route in routes.ROUTES]


def test_route_names_are_unique() -> None:
    assert len(set(_order())) == len(_order())


def test_the_fallback_is_the_last_route_and_matches_anything() -> None:
    last = routes.ROUTES[-1]
    assert last.name == "ignored"
    assert last.matches(object(), object())  # type: ignore[arg-type]


def test_safety_comes_before_relay_chat_commands_and_free_text() -> None:
    order = _order()
    for later in ("relay", "command", "said-command", "after-send", "text"):
        assert order.index("safety") < order.index(later)


def test_what_routes_come_first() -> None:
    """A follow, an unfollow and a blocked member come before anything; relay chat before commands."""
    order = _order()
    assert order[:4] == ["follow", "unfollow", "blocked", "postback"]
    assert order.index("relay") < order.index("command") < order.index("said-command") < order.index("text")
    assert order.index("text") < order.index("location") < order.index("other-message")
