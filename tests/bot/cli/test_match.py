"""`otagai match`: who would be asked and why, against a real database with an imported roster."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.orm import Session

from tests.bot.cli.commands import SATO, roster, run


def test_import_then_match_explains_the_ranking(
    database_url: str, tmp_path: Path, db_session: Session
) -> None:
    code, out, err = run(database_url, "supporters", "import", str(roster(tmp_path)))
    assert code == 0, err
    assert out.strip() == "imported 4 supporters (4 new, 0 updated)"
    code, out, _ = run(
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
    code, table, _ = run(
        database_url, "match", "電球が切れた", "--lat", "35.6466", "--lon", "139.6532", "--top", "1"
    )
    assert code == 0 and "佐藤一郎" in table and "鈴木花子" not in table


def test_match_flags_emergencies_and_bad_places(database_url: str, tmp_path: Path) -> None:
    run(database_url, "supporters", "import", str(roster(tmp_path)))
    code, out, _ = run(
        database_url, "match", "母が倒れて息が苦しい", "--lat", "35.6466", "--lon", "139.6532", "--json"
    )
    report = json.loads(out)
    assert code == 0 and report["flag"] == "emergency" and report["candidates"] == []
    code, out, _ = run(
        database_url, "match", "通帳を預かってほしい", "--lat", "35.6466", "--lon", "139.6532", "--json"
    )
    assert json.loads(out)["flag"] == "not_allowed"
    for lat, lon in (("0", "0"), ("95", "139"), ("51.5", "-0.12")):
        code, out, _ = run(database_url, "match", "電球が切れた", "--lat", lat, "--lon", lon, "--json")
        report = json.loads(out)
        assert code == 0 and report["reason"] == "bad_location" and report["candidates"] == []
    for text in ("", "😀😀", "a" * 5000):
        code, out, _ = run(database_url, "match", text, "--lat", "35.6466", "--lon", "139.6532", "--json")
        assert code == 0 and json.loads(out)["candidates"] == []


def test_match_shows_the_text_as_cards_show_it(database_url: str, tmp_path: Path) -> None:
    """An operator pasting a phoned-in request sees what a supporter would: no name, room or phone."""
    run(database_url, "supporters", "import", str(roster(tmp_path)))
    text = "コーポ青葉201の山本です。電球が切れた。090-1234-5678"
    args = ["match", text, "--lat", "35.6466", "--lon", "139.6532"]
    code, out, _ = run(database_url, *args, "--json")
    assert code == 0
    shown = json.loads(out)["text"]
    assert "電球が切れた" in shown
    assert [s for s in ("青葉", "201", "山本", "1234") if s in shown] == []
    code, out, _ = run(database_url, *args)
    assert code == 0 and out.startswith("text (as cards show it): ＊＊＊") and "山本" not in out
