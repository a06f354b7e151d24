"""GET /privacy: the Japanese privacy notice the greeting links to, with the periods in force."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from handlers.settings import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(erase_after_unfollow_days=45, anonymise_after_days=90)


def test_the_notice_says_what_is_kept_why_how_long_and_how_to_erase_it(client: FlaskClient) -> None:
    page = client.get("/privacy")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    headings = (
        "お預かりする情報",
        "使う目的",
        "だれが見るか",
        "保存する期間",
        "見たいとき・消してほしいとき",
    )
    for heading in headings:
        assert f"<h2>{heading}</h2>" in html
    assert "依頼が終わってから 90 日で消します" in html
    assert "45 日後に、すべて消します" in html
    assert "「登録情報」" in html and "「退会」" in html
