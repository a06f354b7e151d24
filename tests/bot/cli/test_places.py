"""`otagai places import|list|close|needs` against a real database: all or nothing, every encoding of the
roster; a need names food a place can take."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cli import main
from db.models import CommunityPlace
from tests.handlers.places_town import seed_town

HEADER = "kind,name,address,latitude,longitude,opening,note\n"
GOOD = (
    "こども食堂,たいしどう こども食堂,世田谷区太子堂2丁目,35.6436,139.6710,"
    "毎週水曜 17:00-19:00、祝日は休み,中学生まで無料\n"
    "chiiki_shokudo,三茶みんな食堂,世田谷区三軒茶屋1丁目,,,毎月第2・第4土曜 11:30～13:30,\n"
    "フードドライブ,まちの食品受付,世田谷区下馬,35.6380,139.6750,平日 10:00-16:00,\n"
)


def _run(database_url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": database_url})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_import_reads_each_encoding_and_places_an_address_without_coordinates(
    database_url: str, tmp_path: Path, db_session: Session, encoding: str
) -> None:
    path = tmp_path / "places.csv"
    path.write_bytes((HEADER + GOOD).encode(encoding))
    code, out, err = _run(database_url, "places", "import", str(path))
    assert code == 0, err
    assert "imported 3 places (3 new, 0 updated)" in out
    places = {p.name: p for p in db_session.scalars(select(CommunityPlace))}
    assert places["三茶みんな食堂"].kind == "chiiki_shokudo"
    assert places["三茶みんな食堂"].openings == [
        {"rule": "FREQ=MONTHLY;BYDAY=+2SA,+4SA", "start": "11:30", "end": "13:30"}
    ]
    assert abs(places["三茶みんな食堂"].lat - 35.64) < 0.02  # from the town lookup
    assert places["たいしどう こども食堂"].closed_on_holidays is True
    again_code, again, _ = _run(database_url, "places", "import", str(path))
    assert again_code == 0 and "(0 new, 3 updated)" in again


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(
    database_url: str, tmp_path: Path, db_session: Session
) -> None:
    path = tmp_path / "places.csv"
    path.write_text(
        HEADER
        + GOOD
        + "レストラン,だめな種類,世田谷区太子堂,35.64,139.67,毎週水曜 17:00-19:00,\n"
        + "こども食堂,,世田谷区太子堂,35.64,139.67,毎週水曜 17:00-19:00,\n"
        + "こども食堂,時間なし,世田谷区太子堂,35.64,139.67,毎週水曜,\n"
        + "こども食堂,場所なし,ほげほげ村,,,毎週水曜 17:00-19:00,\n"
        + "こども食堂,海の上,,10,100,毎週水曜 17:00-19:00,\n",
        encoding="utf-8",
    )
    code, _, err = _run(database_url, "places", "import", str(path))
    assert code != 0
    for line in range(5, 10):
        assert f"places.csv:{line}:" in err, line
    assert "places.csv:2:" not in err
    assert "種類「レストラン」がわかりません" in err
    assert "何も取り込んでいません（問題 5 件）" in err
    assert db_session.scalar(select(func.count()).select_from(CommunityPlace)) == 0


def test_missing_header_and_closing_a_day(database_url: str, tmp_path: Path, db_session: Session) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,opening\nx,毎週水曜 17:00-19:00\n", encoding="utf-8")
    code, _, err = _run(database_url, "places", "import", str(bad))
    assert code != 0 and "見出し" in err
    good = tmp_path / "places.csv"
    good.write_text(HEADER + GOOD, encoding="utf-8")
    assert _run(database_url, "places", "import", str(good))[0] == 0
    place_id = db_session.scalar(
        select(CommunityPlace.id).where(CommunityPlace.name == "たいしどう こども食堂")
    )
    code, out, _ = _run(database_url, "places", "close", str(place_id), "2026-12-23")
    assert code == 0 and "2026-12-23" in out
    db_session.expire_all()
    assert db_session.get(CommunityPlace, place_id).closed_days == ["2026-12-23"]  # type: ignore[union-attr]
    code, out, _ = _run(database_url, "places", "list")
    assert code == 0 and "三茶みんな食堂" in out
    assert _run(database_url, "places", "close", "9999", "2026-12-23")[0] != 0


def test_needs_need_a_food_a_place_can_take(database_url: str, db_session: Session) -> None:
    seed_town(db_session)
    result = CliRunner().invoke(main, ["places", "needs", "1", "ほげ"], env={"DATABASE_URL": database_url})
    assert result.exit_code == 2 and "野菜、米、果物" in result.output
