"""No personal data in logs: a whole dialogue logged at DEBUG has no name, text, place or LINE id at INFO."""

from __future__ import annotations

import logging

import pytest
from flask import Flask

from bot.dev.line_stub import events as ev
from handlers.settings import Settings
from tests.handlers.cycle import at, jst, run_due, submit
from tests.handlers.dialogue import NEAR, RESIDENT_ADDRESS, register_supporter, tap_label
from tests.support import Chat, FakeClock

OUR_LOGGERS = ("bot", "handlers", "db", "matching")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(public_url="https://otagai.example.org")


def test_a_whole_dialogue_logs_no_personal_data(
    app: Flask, chat: Chat, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    for name in OUR_LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    home = "東京都世田谷区桜3丁目5-8"
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR, address=home)
    yamada = chat.user("yamada", "山田花子")
    chat.follow(yamada)
    chat.say(yamada, "子ども食堂で料理を手伝ってみたい")
    submit(chat, yamada, "台所の電球が切れて替えられない", "2026-11-26T14:00")
    tap_label(chat, sato, "引き受ける")
    chat.say(yamada, "メッセージを送る")
    chat.say(yamada, "玄関の鍵はあけておきます")
    place = ev.location_event(
        yamada, chat.token(yamada), 35.64661, 139.65321, address="世田谷区世田谷4-21-27"
    )
    chat.send(place)
    chat.say(yamada, "おわる")
    chat.say(yamada, "登録情報")
    at(app, clock, jst(26, 17))
    tap_label(chat, yamada, "完了した")
    chat.say(yamada, "困ったことを報告")
    chat.say(sato, "退会")
    tap_label(chat, sato, "退会する")
    run_due(app, clock)
    assert any(r.levelno == logging.INFO for r in caplog.records), "the dialogue was logged"

    secrets = [
        "佐藤一郎",
        "山田花子",
        sato,
        yamada,
        "台所の電球",
        "玄関の鍵",
        "子ども食堂",
        "桜3丁目",
        RESIDENT_ADDRESS,
        "4丁目21-27",
        "4-21-27",
        "35.6466",
        "139.6532",
        "35.65",
        "139.658",
    ]
    logged = [
        record.getMessage() + (record.exc_text or "")
        for record in caplog.records
        if record.levelno >= logging.INFO and record.name.split(".")[0] in OUR_LOGGERS
    ]
    leaks = [(secret, line) for line in logged for secret in secrets if secret in line]
    assert leaks == []
