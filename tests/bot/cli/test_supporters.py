"""`otagai supporters import` against a real database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Member, SupporterRecord, SupporterStatus
from tests.bot.cli.commands import HEADER, SATO, roster, run, write_roster


def test_reimport_updates_instead_of_duplicating(
    database_url: str, tmp_path: Path, db_session: Session
) -> None:
    csv_file = roster(tmp_path)
    run(database_url, "supporters", "import", str(csv_file))
    code, out, _ = run(database_url, "supporters", "import", str(csv_file))
    assert code == 0 and "(0 new, 4 updated)" in out
    assert db_session.scalar(select(func.count()).select_from(Member)) == 4
    # A coordinator who lists people on the roster has met them: approved, not applicants.
    statuses = db_session.scalars(select(SupporterRecord.status)).all()
    assert statuses == [SupporterStatus.APPROVED] * 4
    code, out, _ = run(database_url, "supporters", "list")
    assert code == 0 and out.count("  approved  ") == 4 and "佐藤一郎" in out


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(
    database_url: str, tmp_path: Path, db_session: Session
) -> None:
    roster = write_roster(
        tmp_path,
        f"佐藤一郎,{SATO},電球の交換,35.65,139.658,3\n"
        ",,電球,35.65,139.65,3\n"
        "鈴木,not-an-id,電球,35.65,139.65,3\n"
        "田中,,なにもできない,35.65,139.65,3\n"
        "伊藤,,電球,91,139.65,3\n"
        "高橋,,電球,35.65,139.65,99\n"
        f"佐藤二郎,{SATO},電球,35.65,139.65,3\n"
        "短い,行\n",
    )
    code, _, err = run(database_url, "supporters", "import", str(roster))
    assert code != 0
    for line in range(3, 10):
        assert f"roster.csv:{line}:" in err, line
    assert "roster.csv:2:" not in err
    assert "何も取り込んでいません（問題 7 件）" in err
    assert db_session.scalar(select(func.count()).select_from(Member)) == 0


def test_wrong_header_or_unreadable_encoding_is_explained(database_url: str, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("氏名,ID\n佐藤,\n", encoding="utf-8")
    code, _, err = run(database_url, "supporters", "import", str(wrong))
    assert (
        code != 0 and "見出しに「LINEユーザーID」「できること」「緯度」「経度」「半径km」がありません" in err
    )
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(HEADER.encode() + b"\x81\x20\xff\xfe,,\n")
    code, _, err = run(database_url, "supporters", "import", str(garbage))
    assert code != 0 and "文字コードが読めません" in err


def test_excel_files_in_every_encoding_import_alike(
    database_url: str, tmp_path: Path, db_session: Session
) -> None:
    """Japanese Excel saves 「CSV」 as Shift_JIS (CP932, with its extra characters such as ① and 髙) and
    「CSV UTF-8」 with a BOM; both, and plain UTF-8, give the same supporters. Japanese headers too."""
    body = (
        "名前,LINEユーザーID,できること,緯度,経度,半径km,メモ\r\n"
        "髙橋①,,電球の交換、草むしり,35.65,139.65,3,\r\n"
    )
    for encoding, name in (("cp932", "sjis.csv"), ("utf-8-sig", "bom.csv"), ("utf-8", "plain.csv")):
        path = tmp_path / name
        path.write_bytes(body.encode(encoding))
        code, _, err = run(database_url, "supporters", "import", str(path))
        assert code == 0, (name, err)
    people = db_session.scalars(select(Member)).all()
    assert [p.display_name for p in people] == ["髙橋①"]
    assert {s.category for s in people[0].skills} >= {"repair", "garden"}


def test_every_problem_of_every_row_is_listed(database_url: str, tmp_path: Path, db_session: Session) -> None:
    roster = write_roster(tmp_path, ",not-an-id,なにもできない,北,139.65,99\n")
    code, _, err = run(database_url, "supporters", "import", str(roster))
    problems = [line for line in err.splitlines() if line.startswith(f"{roster}:2:")]
    assert code != 0 and len(problems) == 5, err
    for words in ("名前が空", "LINEユーザーID", "できること「なにもできない」", "緯度「北」", "半径km"):
        assert any(words in line for line in problems), words
    assert "何も取り込んでいません（問題 5 件）" in err
    assert db_session.scalar(select(func.count()).select_from(Member)) == 0
