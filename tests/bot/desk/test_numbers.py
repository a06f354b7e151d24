"""bot/desk/numbers.py over HTTP: the numbers page draws the report's figures and offers CSV."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.bot.desk_support import add_account, sign_in
from tests.support import Chat, FakeClock


def test_numbers_page_draws_the_reports_figures_and_offers_csv(
    app: Flask, chat: Chat, client: FlaskClient, clock: FakeClock, db_session: Session
) -> None:
    from tests.handlers.cycle import at, jst, matched
    from tests.handlers.dialogue import tap_label

    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(26, 16))
    tap_label(chat, match.resident, "完了した")
    tap_label(chat, match.supporter, "1時間半")
    add_account(db_session)
    db_session.commit()
    sign_in(client)
    page = client.get("/desk/numbers?month=2026-11").get_data(as_text=True)
    for figure in (
        "送られた依頼</dt><dd>1件",
        "完了</dt><dd>1件",
        "1.5時間（1人）",
        "0分",
        "返事をしたサポーター</dt><dd>1人",
    ):
        assert figure in page, figure
    assert page.count("<svg") == 3 and 'role="img"' in page and "電球・修理" in page and ">1件</text>" in page
    assert "佐藤一郎" in page and ">1.5時間</text>" in page
    requests_csv = client.get("/desk/numbers.csv?month=2026-11")
    assert requests_csv.data.startswith(b"\xef\xbb\xbf")
    lines = requests_csv.data.decode("utf-8-sig").splitlines()
    assert lines[0] == "種類,依頼,完了,決まりました,さがしています,取り消し,期限切れ"
    assert lines[1:] == ["電球・修理,1,1,0,0,0,0", "合計,1,1,0,0,0,0"]
    ledger = client.get("/desk/credits.csv?month=2026-11").data.decode("utf-8-sig").splitlines()
    assert ledger == ["名前,手伝った時間,手伝ってもらった時間", "佐藤一郎,1.5,0.0", "山田花子,0.0,1.5"]
    assert client.get("/desk/numbers?month=2026-13").status_code == 400
    empty = client.get("/desk/numbers?month=2025-01").get_data(as_text=True)
    assert "データがありません" in empty
    # A chosen period, both days included: the request was sent on 25 November.
    period = client.get("/desk/numbers?from=2026-11-20&to=2026-11-25").get_data(as_text=True)
    assert "2026-11-20〜2026-11-25の数字" in period and "送られた依頼</dt><dd>1件" in period
    assert "/desk/numbers.csv?from=2026-11-20&amp;to=2026-11-25" in period
    after = client.get("/desk/numbers?from=2026-11-26&to=2026-11-30").get_data(as_text=True)
    assert "データがありません" in after
    period_csv = client.get("/desk/numbers.csv?from=2026-11-20&to=2026-11-25")
    assert period_csv.data.decode("utf-8-sig").splitlines()[-1] == "合計,1,1,0,0,0,0"
    assert client.get("/desk/numbers?from=2026-11-25&to=2026-11-20").status_code == 400
    assert client.get("/desk/numbers?from=2026-11-xx&to=2026-11-20").status_code == 400
