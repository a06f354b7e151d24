"""`otagai members`: show, export and erase one person's data; block and unblock, on a real database."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import main
from db.models import HelpRequest, Member, OutboundMessage, RequestStatus
from tests.handlers.cycle import matched
from tests.handlers.dialogue import RESIDENT_ADDRESS, RESIDENT_HOME
from tests.privacy_scan import leftovers
from tests.support import Chat


def _run(database_url: str, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": database_url}, input=stdin)
    return result.exit_code, result.output


def test_show_and_export_everything_kept_about_one_person(
    chat: Chat, database_url: str, tmp_path: Path
) -> None:
    match = matched(chat)
    chat.say(match.resident, "子ども食堂で料理を手伝ってみたい")
    chat.say(match.resident, "お米が余ってます")  # a food offer (no place nearby: kept for coordinators)

    code, out = _run(database_url, "members", "show", "山田花子")
    assert code == 0, out
    assert f"山田花子 ({match.resident})" in out
    assert f"#{match.request_id} [matched] repair: 電球が切れて替えられない @ {RESIDENT_ADDRESS}" in out
    assert "子ども食堂で料理を手伝ってみたい" in out

    exported = tmp_path / "yamada.json"
    code, out = _run(database_url, "members", "export", match.resident, "--output", str(exported))
    assert code == 0 and out == f"wrote {exported} (json)\n", out
    record = json.loads(exported.read_text(encoding="utf-8"))
    assert record["member"]["display_name"] == "山田花子"
    assert [r["text"] for r in record["requests"]] == ["電球が切れて替えられない"]
    assert record["requests"][0]["lat"] == RESIDENT_HOME[0]
    assert [o["text"] for o in record["offers"]] == ["子ども食堂で料理を手伝ってみたい"]
    assert [(g["text"], g["foods"]) for g in record["food_offers"]] == [("お米が余ってます", ["米"])]
    assert record["messages_received"], "the messages still kept for them are listed"

    # The supporter's export lists the visit he took on, not the resident's words or address.
    supporter = tmp_path / "sato.csv"
    code, out = _run(
        database_url, "members", "export", "佐藤一郎", "--output", str(supporter), "--format", "csv"
    )
    assert code == 0, out
    with supporter.open(encoding="utf-8") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["section", "item", "field", "value"]
    assert ["member", "", "display_name", "佐藤一郎"] in rows
    assert ["accepted_requests", "1", "status", "matched"] in rows
    # (the card he received, with its text, is among the messages kept for him for 7 days)
    assert not any("電球が切れて替えられない" in row[3] for row in rows if row[0] != "messages_received")


def test_erase_tells_the_other_side_and_leaves_nothing(
    chat: Chat, database_url: str, db_session: Session
) -> None:
    match = matched(chat)
    chat.say(match.resident, "メッセージを送る")
    chat.say(match.resident, "玄関の鍵はあけておきます")
    chat.new_texts(match.supporter)
    member = db_session.scalar(select(Member).where(Member.line_user_id == match.resident))
    assert member is not None

    code, out = _run(database_url, "members", "erase", str(member.id), stdin="n\n")
    assert code == 1 and "Aborted" in out
    code, out = _run(database_url, "members", "erase", str(member.id), "--yes")
    assert code == 0, out
    assert out.startswith(f"member {member.id} erased: 1 requests blanked, 0 offers, 0 relay photos, ")
    # The worker delivers the notice the command queued (the command runs on the wall clock).
    notices = db_session.scalars(select(OutboundMessage).where(OutboundMessage.status == "pending")).all()
    assert [(n.recipients, n.messages[0]["text"]) for n in notices] == [
        (
            [match.supporter],
            "【電球・修理】の依頼は、依頼した方の都合で取り消されました。\nありがとうございました。",
        )
    ]
    needles = [
        "山田花子",
        match.resident,
        "電球が切れて替えられない",
        RESIDENT_ADDRESS,
        "玄関の鍵はあけておきます",
    ]
    assert leftovers(db_session, needles, RESIDENT_HOME) == []
    request = db_session.get(HelpRequest, match.request_id)
    assert request is not None and request.status == RequestStatus.CANCELLED
    assert _run(database_url, "members", "erase", str(member.id), "--yes") == (
        0,
        f"member {member.id} was already erased\n",
    )


def test_block_and_unblock(chat: Chat, database_url: str) -> None:
    user = chat.user("alice", "伊藤")
    chat.follow(user)
    assert _run(database_url, "members", "block", "伊藤") == (0, "member 1 (伊藤) is blocked\n")
    assert chat.say(user, "使い方") == [
        "ごめんなさい。今はこのサービスをお使いいただけません。\nコーディネーターにご連絡ください。"
    ]
    assert _run(database_url, "members", "unblock", user) == (0, "member 1 (伊藤) is no longer blocked\n")
    assert chat.say(user, "使い方")[0].startswith("使い方です。")


def test_unknown_or_ambiguous_people_get_a_clear_error(chat: Chat, database_url: str) -> None:
    for name in ("alice", "bob"):
        chat.follow(chat.user(name, "伊藤"))
    code, out = _run(database_url, "members", "show", "だれか")
    assert code == 1 and "nobody matches 'だれか'" in out
    code, out = _run(database_url, "members", "erase", "伊藤", "--yes")
    assert code == 1 and "2 people are called '伊藤' (member ids 1, 2): give the id" in out
    code, out = _run(database_url, "members", "export", "1", "--output", "/nonexistent/dir/x.json")
    assert code == 1 and "could not write /nonexistent/dir/x.json" in out
