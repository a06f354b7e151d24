"""The scheme's rules (活動のきまり): agreed to at registration, and again at the next accept after a new
version is published with `otagai agreement set`."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import main
from db.models import HelpRequest, Member, RequestStatus, SupporterRecord
from tests.handlers.dialogue import NEAR, last, register_supporter, submit_request, tap_label
from tests.support import Chat, action_data

ACCEPTED = "ありがとうございます！ 引き受けました。"


def otagai(database_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": database_url})
    return result.exit_code, result.output


def agreed_version(db_session: Session, user_id: str) -> int | None:
    db_session.expire_all()
    member = db_session.scalar(select(Member).where(Member.line_user_id == user_id))
    assert member is not None
    record = db_session.get(SupporterRecord, member.id)
    return None if record is None else record.agreement_version


def test_a_new_version_is_asked_for_at_the_next_accept(
    chat: Chat, database_url: str, db_session: Session, tmp_path: Path
) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    assert agreed_version(db_session, sato) == 1
    code, out = otagai(database_url, "agreement", "show")
    assert code == 0 and out.startswith("version 1\n\n【活動のきまり】")

    rules = tmp_path / "rules.txt"
    rules.write_text("【わたしたちのきまり】\n秘密を守ります。\n無理をしません。\n", encoding="utf-8")
    code, out = otagai(database_url, "agreement", "set", str(rules))
    assert code == 0 and out.strip() == "version 2 is in force: supporters agree to it at their next accept"
    assert otagai(database_url, "agreement", "set", str(rules))[1].startswith("unchanged: version 2")

    resident = chat.user("yamada", "山田花子")
    submit_request(chat, resident, "電球が切れて替えられない")
    chat.new_texts(sato)
    asked = tap_label(chat, sato, "引き受ける")
    assert asked == [
        "【わたしたちのきまり】\n秘密を守ります。\n無理をしません。",
        "引き受ける前に、上の「活動のきまり」を読んでください。\n"
        "守っていただけるときは「同意して引き受ける」を押してください。",
    ]
    request = db_session.scalar(select(HelpRequest))
    assert request is not None and request.status == RequestStatus.OPEN  # not accepted before agreeing
    assert tap_label(chat, sato, "同意して引き受ける")[0].startswith(
        "ありがとうございます！ 引き受けました。"
    )
    assert agreed_version(db_session, sato) == 2
    db_session.refresh(request)
    assert request.status == RequestStatus.MATCHED


def test_rules_changed_while_being_read_are_shown_again(
    chat: Chat, database_url: str, db_session: Session, tmp_path: Path
) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    rules = tmp_path / "rules.txt"
    rules.write_text("第2版", encoding="utf-8")
    otagai(database_url, "agreement", "set", str(rules))
    submit_request(chat, chat.user("yamada", "山田花子"), "電球が切れて替えられない")
    tap_label(chat, sato, "引き受ける")
    old_button = action_data(last(chat, sato), "同意して引き受ける")
    rules.write_text("第3版", encoding="utf-8")
    assert otagai(database_url, "agreement", "set", str(rules))[1].startswith("version 3")
    assert chat.tap(sato, old_button)[:2] == [
        "第3版",
        "「活動のきまり」が、さらに新しくなりました。\nもう一度、読んでください。",
    ]
    assert agreed_version(db_session, sato) == 1
    assert tap_label(chat, sato, "同意して引き受ける")[0].startswith(
        "ありがとうございます！ 引き受けました。"
    )
    assert agreed_version(db_session, sato) == 3


def test_a_supporter_who_passes_instead_is_not_recorded_as_agreeing(
    chat: Chat, database_url: str, db_session: Session, tmp_path: Path
) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    rules = tmp_path / "rules.txt"
    rules.write_text("第2版", encoding="utf-8")
    otagai(database_url, "agreement", "set", str(rules))
    submit_request(chat, chat.user("yamada", "山田花子"), "電球が切れて替えられない")
    tap_label(chat, sato, "引き受ける")
    assert tap_label(chat, sato, "見送る")[0].startswith("わかりました。今回は見送ります。")
    assert agreed_version(db_session, sato) == 1


def test_bad_rule_files_are_refused(database_url: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    code, out = otagai(database_url, "agreement", "set", str(empty))
    assert code == 1 and "is empty" in out
    sjis = tmp_path / "sjis.txt"
    sjis.write_bytes("きまり".encode("shift_jis"))
    code, out = otagai(database_url, "agreement", "set", str(sjis))
    assert code == 1 and "is not UTF-8 text" in out
    long = tmp_path / "long.txt"
    long.write_text("あ" * 5000, encoding="utf-8")
    code, out = otagai(database_url, "agreement", "set", str(long))
    assert code == 1 and "keep it under 4500" in out
