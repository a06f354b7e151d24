"""`otagai supporters import` and `otagai match` against a real database."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cli import main
from bot.dev.line_stub import user_id_for
from db.models import Member, SupporterRecord, SupporterStatus

HEADER = "name,line_user_id,skills,latitude,longitude,radius_km\n"
SATO = user_id_for("sato")


def _write(tmp_path: Path, rows: str, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def _run(database_url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": database_url})
    return result.exit_code, result.stdout, result.stderr


def _roster(tmp_path: Path) -> Path:
    return _write(
        tmp_path,
        f"佐藤一郎,{SATO},電球の交換、家具の組み立て,35.6500,139.6580,3\n"
        "鈴木花子,,repair;digital,35.6590,139.6600,5\n"
        "田中三郎,,草むしり,35.6480,139.6550,3\n"
        "遠藤四郎,,電球の交換,35.7100,139.6900,1\n",
    )


def test_import_then_match_explains_the_ranking(
    database_url: str, tmp_path: Path, db_session: Session
) -> None:
    code, out, err = _run(database_url, "supporters", "import", str(_roster(tmp_path)))
    assert code == 0, err
    assert out.strip() == "imported 4 supporters (4 new, 0 updated)"
    code, out, _ = _run(
        database_url, "match", "電気がつかなくなっちゃって", "--lat", "35.6466", "--lon", "139.6532", "--json"
    )
    assert code == 0
    report = json.loads(out)
    assert report["category"] == "repair" and report["flag"] is None
    names = [c["name"] for c in report["candidates"]]
    assert names[:2] == ["佐藤一郎", "鈴木花子"] and "田中三郎" not in names and "遠藤四郎" not in names
    first = report["candidates"][0]
    assert first["line_user_id"] == SATO and set(first["parts"]) >= {
        "category",
        "text",
        "distance",
        "fairness",
    }
    assert report["candidates"][1]["line_user_id"] is None
    code, table, _ = _run(
        database_url, "match", "電球が切れた", "--lat", "35.6466", "--lon", "139.6532", "--top", "1"
    )
    assert code == 0 and "佐藤一郎" in table and "鈴木花子" not in table


def test_reimport_updates_instead_of_duplicating(
    database_url: str, tmp_path: Path, db_session: Session
) -> None:
    roster = _roster(tmp_path)
    _run(database_url, "supporters", "import", str(roster))
    code, out, _ = _run(database_url, "supporters", "import", str(roster))
    assert code == 0 and "(0 new, 4 updated)" in out
    assert db_session.scalar(select(func.count()).select_from(Member)) == 4
    # A coordinator who lists people on the roster has met them: approved, not applicants.
    statuses = db_session.scalars(select(SupporterRecord.status)).all()
    assert statuses == [SupporterStatus.APPROVED] * 4
    code, out, _ = _run(database_url, "supporters", "list")
    assert code == 0 and out.count("  approved  ") == 4 and "佐藤一郎" in out


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(
    database_url: str, tmp_path: Path, db_session: Session
) -> None:
    roster = _write(
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
    code, _, err = _run(database_url, "supporters", "import", str(roster))
    assert code != 0
    for line in range(3, 10):
        assert f"roster.csv:{line}:" in err, line
    assert "roster.csv:2:" not in err
    assert "何も取り込んでいません（問題 7 件）" in err
    assert db_session.scalar(select(func.count()).select_from(Member)) == 0


def test_wrong_header_or_unreadable_encoding_is_explained(database_url: str, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("氏名,ID\n佐藤,\n", encoding="utf-8")
    code, _, err = _run(database_url, "supporters", "import", str(wrong))
    assert (
        code != 0 and "見出しに「LINEユーザーID」「できること」「緯度」「経度」「半径km」がありません" in err
    )
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(HEADER.encode() + b"\x81\x20\xff\xfe,,\n")
    code, _, err = _run(database_url, "supporters", "import", str(garbage))
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
        code, _, err = _run(database_url, "supporters", "import", str(path))
        assert code == 0, (name, err)
    people = db_session.scalars(select(Member)).all()
    assert [p.display_name for p in people] == ["髙橋①"]
    assert {s.category for s in people[0].skills} >= {"repair", "garden"}


def test_every_problem_of_every_row_is_listed(database_url: str, tmp_path: Path, db_session: Session) -> None:
    roster = _write(tmp_path, ",not-an-id,なにもできない,北,139.65,99\n")
    code, _, err = _run(database_url, "supporters", "import", str(roster))
    problems = [line for line in err.splitlines() if line.startswith(f"{roster}:2:")]
    assert code != 0 and len(problems) == 5, err
    for words in ("名前が空", "LINEユーザーID", "できること「なにもできない」", "緯度「北」", "半径km"):
        assert any(words in line for line in problems), words
    assert "何も取り込んでいません（問題 5 件）" in err
    assert db_session.scalar(select(func.count()).select_from(Member)) == 0


def test_match_flags_emergencies_and_bad_places(database_url: str, tmp_path: Path) -> None:
    _run(database_url, "supporters", "import", str(_roster(tmp_path)))
    code, out, _ = _run(
        database_url, "match", "母が倒れて息が苦しい", "--lat", "35.6466", "--lon", "139.6532", "--json"
    )
    report = json.loads(out)
    assert code == 0 and report["flag"] == "emergency" and report["candidates"] == []
    code, out, _ = _run(
        database_url, "match", "通帳を預かってほしい", "--lat", "35.6466", "--lon", "139.6532", "--json"
    )
    assert json.loads(out)["flag"] == "not_allowed"
    for lat, lon in (("0", "0"), ("95", "139"), ("51.5", "-0.12")):
        code, out, _ = _run(database_url, "match", "電球が切れた", "--lat", lat, "--lon", lon, "--json")
        report = json.loads(out)
        assert code == 0 and report["reason"] == "bad_location" and report["candidates"] == []
    for text in ("", "😀😀", "a" * 5000):
        code, out, _ = _run(database_url, "match", text, "--lat", "35.6466", "--lon", "139.6532", "--json")
        assert code == 0 and json.loads(out)["candidates"] == []


def test_match_shows_the_text_as_cards_show_it(database_url: str, tmp_path: Path) -> None:
    """An operator pasting a phoned-in request sees what a supporter would: no name, room or phone."""
    _run(database_url, "supporters", "import", str(_roster(tmp_path)))
    text = "コーポ青葉201の山本です。電球が切れた。090-1234-5678"
    args = ["match", text, "--lat", "35.6466", "--lon", "139.6532"]
    code, out, _ = _run(database_url, *args, "--json")
    assert code == 0
    shown = json.loads(out)["text"]
    assert "電球が切れた" in shown
    assert [s for s in ("青葉", "201", "山本", "1234") if s in shown] == []
    code, out, _ = _run(database_url, *args)
    assert code == 0 and out.startswith("text (as cards show it): ＊＊＊") and "山本" not in out
