"""bot/desk/members.py over HTTP: the supporters' roster: import, export, edit and block."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.bot.desk_support import add_account, csrf_from, post, sign_in
from tests.support import Chat


def test_roster_page_import_export_edit_and_block(
    chat: Chat, client: FlaskClient, db_session: Session
) -> None:
    from db.models import Member

    add_account(db_session)
    db_session.commit()
    sign_in(client)
    good = (
        "名前,LINEユーザーID,できること,緯度,経度,半径km\r\n"
        "髙橋①,,電球の交換、草むしり,35.65,139.65,3\r\n"
        "=HYPERLINK(1),,買い物,35.65,139.65,2\r\n"
    ).encode("cp932")
    bad = ("名前,LINEユーザーID,できること,緯度,経度,半径km\r\n,,なにもできない,北,139.65,99\r\n").encode(
        "cp932"
    )

    def upload(data: bytes) -> tuple[int, str]:
        import io

        token = csrf_from(client, "/desk/members")
        response = client.post(
            "/desk/members/import",
            data={"csrf_token": token, "file": (io.BytesIO(data), "meibo.csv")},
            content_type="multipart/form-data",
            follow_redirects=True,
        )
        return response.status_code, response.get_data(as_text=True)

    status, page = upload(bad)
    assert status == 400 and "何も取り込んでいません" in page and "2行目" in page
    assert "名前が空です" in page and "緯度「北」が数字ではありません" in page
    assert db_session.scalars(select(Member)).all() == []
    status, page = upload(good)
    assert status == 200 and "名簿を取り込みました：2人（新しく2人・更新0人）" in page and "髙橋①" in page

    exported = client.get("/desk/members.csv")
    assert exported.mimetype == "text/csv" and exported.data.startswith(b"\xef\xbb\xbf")
    text = exported.data.decode("utf-8-sig")
    assert text.startswith("名前,LINEユーザーID,できること,緯度,経度,半径km,お休み中")
    assert "'=HYPERLINK(1)" in text  # never run as a formula by Excel
    # What was exported imports again as the same people.
    status, page = upload(exported.data)
    assert status == 200 and "2人（新しく0人・更新2人）" in page

    takahashi = db_session.scalars(select(Member).where(Member.display_name == "髙橋①")).one()
    path = f"/desk/members/{takahashi.id}"
    page = post(
        client,
        path,
        {"name": "髙橋①", "skills": "電球の交換", "radius_km": "5", "paused": "1", "blocked": "1"},
        page=path,
    )
    assert "保存しました" in page
    db_session.expire_all()
    takahashi = db_session.get(Member, takahashi.id)  # type: ignore[assignment]
    assert takahashi.paused and takahashi.blocked and takahashi.radius_km == 5
    from db.models import Area

    db_session.add(Area(name="三軒茶屋ハブ", lat=35.65, lon=139.65, radius_km=2))
    db_session.commit()
    roster = client.get("/desk/members").get_data(as_text=True)
    assert "利用停止" in roster and "<td>三軒茶屋ハブ</td>" in roster
