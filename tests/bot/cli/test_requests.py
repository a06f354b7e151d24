"""`otagai coordinators` and `otagai requests`: the coordinators' desk, against a real database and bot."""

from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import main
from bot.dev.line_stub import events as ev
from db.models import HelpRequest
from tests.handlers.cycle import matched
from tests.handlers.dialogue import submit_request
from tests.support import Chat


def _run(database_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": database_url})
    return result.exit_code, result.output


def test_a_coordinator_added_by_name_hears_of_unmatched_requests_and_works_the_list(
    chat: Chat, database_url: str, db_session: Session
) -> None:
    coordinator = chat.user("coord", "鈴木ゆき")
    chat.follow(coordinator)
    code, out = _run(database_url, "coordinators", "add", "鈴木ゆき")
    assert code == 0 and f"鈴木ゆき ({coordinator}) is a coordinator" in out, out

    resident = chat.user("yamada", "山田花子")
    submit_request(chat, resident, "犬の散歩をお願いしたい")
    notice = chat.new_texts(coordinator)
    assert len(notice) == 1 and notice[0].startswith("【要対応】")
    request = db_session.scalar(select(HelpRequest))
    assert request is not None

    code, out = _run(database_url, "requests", "list")
    assert code == 0 and out.startswith(f"#{request.id} 要対応 [open] ペット"), out
    assert "山田花子" in out and "nobody asked" in out
    code, out = _run(database_url, "requests", "list", "--json")
    listed = json.loads(out)["requests"]
    assert [(r["id"], r["needs_coordinator"], r["wanted"]) for r in listed] == [
        (request.id, True, "いつでも")
    ]

    code, out = _run(database_url, "requests", "show", str(request.id))
    assert code == 0 and "text: 犬の散歩をお願いしたい" in out and "resident: 山田花子" in out, out
    place = next(line for line in out.splitlines() if line.startswith("place: "))
    assert "東京都世田谷区" in place and "next: reask at 2026-11-25 12:00" in out

    code, out = _run(database_url, "requests", "resolve", str(request.id))
    assert code == 0 and "off the list" in out
    assert _run(database_url, "requests", "list") == (0, "nothing waiting for a coordinator\n")
    code, out = _run(database_url, "requests", "list", "--all")
    assert out.startswith(f"#{request.id} [open]"), out
    db_session.expire_all()
    assert not db_session.get(HelpRequest, request.id).needs_coordinator  # type: ignore[union-attr]

    assert _run(database_url, "coordinators", "list")[1] == f"鈴木ゆき  {coordinator}\n"
    code, out = _run(database_url, "coordinators", "remove", coordinator)
    assert code == 0 and "no longer a coordinator" in out
    assert "no coordinators yet" in _run(database_url, "coordinators", "list")[1]


def test_show_tells_who_was_asked_what_they_answered_and_what_comes_next(
    chat: Chat, database_url: str
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    code, out = _run(database_url, "requests", "show", str(match.request_id), "--json")
    assert code == 0, out
    detail = json.loads(out)
    assert detail["status"] == "matched" and detail["supporter"] == "佐藤一郎"
    assert detail["wanted"] == "2026-11-26 14:00"  # in OTAGAI_TIMEZONE, as the resident chose it
    assert [(p["supporter"], p["status"]) for p in detail["proposals"]] == [("佐藤一郎", "accepted")]
    assert [f["kind"] for f in detail["followups"]][:3] == ["remind_eve", "remind_hour", "checkin"]
    # Matched and going well: not on the desk's list, but there with --all.
    assert _run(database_url, "requests", "list")[1] == "nothing waiting for a coordinator\n"
    assert f"#{match.request_id} [matched]" in _run(database_url, "requests", "list", "--all")[1]


def test_the_desk_explains_what_it_cannot_do(chat: Chat, database_url: str) -> None:
    code, out = _run(database_url, "coordinators", "add", "誰か")
    assert code == 1 and "nobody called '誰か' has added the bot yet" in out
    twins = [chat.user(f"twin{i}", "田中") for i in range(2)]
    for twin in twins:
        chat.follow(twin)
    code, out = _run(database_url, "coordinators", "add", "田中")
    assert code == 1 and "2 people are called '田中'" in out and twins[0] in out and twins[1] in out
    chat.send(ev.unfollow_event(twins[0]))
    code, out = _run(database_url, "coordinators", "add", twins[0])
    assert code == 1 and "has blocked or removed the bot" in out
    assert _run(database_url, "coordinators", "add", twins[1])[0] == 0

    code, out = _run(database_url, "requests", "show", "999")
    assert code == 1 and "there is no request #999" in out
    code, out = _run(database_url, "requests", "list", "--status", "finished")
    assert code == 2 and "Invalid value for '--status'" in out
