"""登録情報 and 退会 in chat: what is kept, and erasure while a request is open, accepted and mid-relay; and
protection from abuse: requests per day, blocking, reporting a visit, and not being asked again; and
leaving (退会, `otagai members erase`, the purge after unfollow) frees a class seat, classes, a shift seat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import main
from bot.dev.line_stub import events as ev
from bot.jobs.retention import Retention
from db.models import (
    ClassSeat,
    CommunityPlace,
    CoordinatorNotice,
    HelpRequest,
    MasterClass,
    MatchExclusion,
    Member,
    OutboundMessage,
    PlaceShift,
    ProblemReport,
    RelayMedia,
    RequestStatus,
)
from db.reports import month_report
from handlers.settings import Settings
from tests.handlers.cycle import at, jst, make_coordinator, matched, run_due, submit
from tests.handlers.dialogue import (
    MID,
    NEAR,
    RESIDENT_ADDRESS,
    RESIDENT_HOME,
    class_with_two_seats_and_one_waiting,
    register_supporter,
    submit_request,
    tap_label,
)
from tests.handlers.places_town import seed_town
from tests.privacy_scan import leftovers
from tests.support import Chat, FakeClock

PUBLIC_URL = "https://otagai.example.org"
SATO_HOME = "東京都世田谷区桜3丁目5-8 サトウハイツ"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(public_url=PUBLIC_URL)


def _member(db_session: Session, user: str) -> Member:
    db_session.expire_all()
    member = db_session.scalar(select(Member).where(Member.line_user_id == user))
    assert member is not None
    return member


def test_my_data_says_what_is_kept_and_for_how_long(chat: Chat) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    chat.say(sato, "子ども食堂で料理を手伝ってみたい")
    shown, keep = chat.say(sato, "登録情報")
    assert shown.splitlines() == [
        "「お互いさま」が記録している、あなたの情報です。",
        "・お名前：佐藤一郎（LINEの名前）",
        "・使い方：依頼する人・サポーター",
        "・サポーターの場所：東京都世田谷区のあたり（3km以内）",
        "・できること：電球・修理",
        "・依頼：今0件、これまで0件",
        "・やってみたい：1件",
        "　「子ども食堂で料理を手伝ってみたい」",
        "・お手伝いの時間：した時間 0分、してもらった時間 0分",
    ]
    assert keep == (
        "記録の期間：\n"
        "・依頼の文章と場所は、依頼が終わってから180日で消します。\n"
        "・相手と送り合ったメッセージは、7日で消します。\n"
        "・友だちをやめると、30日後に、すべて消します。\n"
        "消してほしいときは「退会」を送ってください。\n"
        f"お預かりする情報について：{PUBLIC_URL}/privacy"
    )


def test_help_offers_my_data_report_and_leave(chat: Chat) -> None:
    user = chat.user("alice", "山田花子")
    chat.follow(user)
    chat.say(user, "使い方")
    labels = [a["label"] for a in chat.actions_received(user)[-9:]]
    assert labels[-3:] == ["登録情報", "困ったことを報告", "退会"]


def test_the_greeting_links_the_privacy_notice(chat: Chat) -> None:
    user = chat.user("alice", "山田花子")
    assert chat.follow(user)[0].endswith(f"お預かりする情報について：{PUBLIC_URL}/privacy")


def test_saying_no_keeps_everything(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice", "山田花子")
    chat.follow(user)
    assert chat.say(user, "退会") == [
        "退会すると、お名前・場所・依頼の文章・メッセージなど、記録している情報をすべて消します。\n"
        "元には戻せません。\n本当に退会しますか？"
    ]
    assert tap_label(chat, user, "退会しない") == [
        "わかりました。退会はしません。\nこれからも、よろしくお願いします。"
    ]
    assert _member(db_session, user).display_name == "山田花子"


def test_resident_leaving_with_requests_open_accepted_and_mid_relay(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = matched(chat)  # 山田花子's 電球 request, accepted by 佐藤一郎
    suzuki = register_supporter(chat, "suzuki", "鈴木次郎", "草むしり", MID)
    yamada = match.resident
    chat.say(yamada, "子ども食堂で料理を手伝ってみたい")
    chat.say(yamada, "庭の草むしりをお願いしたい")
    chat.location(yamada, *RESIDENT_HOME, address=RESIDENT_ADDRESS)
    tap_label(chat, yamada, "いつでも")
    tap_label(chat, yamada, "依頼する")
    run_due(app, clock)  # a card the webhook had no time left to send (a loaded machine) goes now
    assert chat.new_texts(suzuki)[-1].startswith("お手伝いのお願い：庭・草むしり")
    # Mid-relay: both have written, and a photo went across.
    chat.say(yamada, "メッセージを送る")
    chat.say(yamada, "玄関の鍵はあけておきます")
    photo = ev.image_event(yamada, chat.token(yamada))
    chat.stub.add_content(photo["message"]["id"], b"\xff\xd8jpeg", "image/jpeg")
    chat.send(photo)
    tap_label(chat, match.supporter, "返事を送る")
    chat.say(match.supporter, "14時少し前に着きます")
    assert db_session.scalar(select(RelayMedia)) is not None
    for user in (yamada, match.supporter, suzuki):
        chat.new_texts(user)

    assert chat.say(yamada, "退会") == [
        "退会すると、お名前・場所・依頼の文章・メッセージなど、記録している情報をすべて消します。\n"
        "元には戻せません。\n"
        "・出している依頼2件は、取り消します。サポーターにはお知らせします。\n"
        "本当に退会しますか？"
    ]
    assert tap_label(chat, yamada, "退会する") == [
        "退会しました。\n記録していた情報は、すべて消しました。\n"
        "これまで、ありがとうございました。\nまた使うときは、いつでもメッセージを送ってください。"
    ]
    # The other side is told kindly, without the name of the one who left.
    run_due(app, clock)
    assert chat.new_texts(match.supporter) == [
        "【電球・修理】の依頼は、依頼した方の都合で取り消されました。\nありがとうございました。"
    ]
    assert chat.new_texts(suzuki)[-1] == (
        "【庭・草むしり】の依頼は、依頼した方の都合で取り消されました。\nありがとうございました。"
    )
    run_due(app, clock)

    needles = ["山田花子", yamada, "電球が切れて替えられない", "庭の草むしりをお願いしたい", RESIDENT_ADDRESS]
    needles += ["玄関の鍵はあけておきます", "子ども食堂で料理を手伝ってみたい", "世田谷4丁目21-27"]
    assert leftovers(db_session, needles, RESIDENT_HOME) == []
    requests = db_session.scalars(select(HelpRequest)).all()
    assert {r.status for r in requests} == {RequestStatus.CANCELLED}
    # The committee's numbers still count both requests.
    assert month_report(db_session, "2026-11", ZoneInfo("Asia/Tokyo")).by_status == {"cancelled": 2}
    tombstone = db_session.get(Member, requests[0].requester_id)
    assert tombstone is not None and tombstone.erased_at is not None and not tombstone.active
    # The supporter's relay ends: nothing more reaches anyone.
    assert chat.say(match.supporter, "まだいますか") == [
        "この依頼は取り消されたので、メッセージは送れません。"
    ]


def test_supporter_leaving_mid_relay_hands_the_visit_back(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換や棚の修理", NEAR, address=SATO_HOME)
    yamada = chat.user("yamada", "山田花子")
    chat.follow(yamada)
    submit(chat, yamada, "電球が切れて替えられない", "2026-11-26T14:00")
    tap_label(chat, sato, "引き受ける")
    register_supporter(chat, "suzuki", "鈴木次郎", "電球の交換", MID)
    chat.say(sato, "メッセージを送る")
    chat.say(sato, "脚立を持っていきます")
    chat.new_texts(yamada)

    assert chat.say(sato, "退会")[0].endswith(
        "・引き受けている依頼1件は、ほかのサポーターをさがします。依頼した方にはお知らせします。\n"
        "本当に退会しますか？"
    )
    tap_label(chat, sato, "退会する")
    run_due(app, clock)
    assert chat.new_texts(yamada) == [
        "引き受けていたサポーターが、都合でやめることになりました。\n【電球・修理】の依頼を、もう一度さがします。\n"
        "近くのサポーター1人に、お知らせしました。\n決まったら、お知らせします。"
    ]
    run_due(app, clock)
    needles = ["佐藤一郎", sato, SATO_HOME, "脚立を持っていきます", "電球の交換や棚の修理"]
    assert leftovers(db_session, needles, NEAR) == []
    request = db_session.scalar(select(HelpRequest))
    assert request is not None and request.status == RequestStatus.OPEN and request.accepted_by_id is None


def test_someone_who_left_and_writes_again_starts_afresh(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice", "山田花子")
    chat.follow(user)
    chat.say(user, "退会")
    tap_label(chat, user, "退会する")
    assert chat.say(user, "使い方")[0].startswith("使い方です。")
    assert _member(db_session, user).erased_at is None


# --- protection from abuse ---------------------------------------------------------------------------

LIMIT_REACHED = (
    "ごめんなさい。1日に出せる依頼は2件までです。\n"
    "また明日、送ってください。\n急ぐときは、コーディネーターにご連絡ください。"
)


def _block(db_session: Session, user: str, blocked: bool = True) -> None:
    _member(db_session, user).blocked = blocked
    db_session.commit()


def test_requests_per_day_are_limited_kindly(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    processor = app.extensions["otagai.processor"]
    processor.settings = processor.settings.with_overrides(requests_per_day=2)
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    submit_request(chat, resident, "電球が切れて替えられない")
    submit_request(chat, resident, "庭の草むしりをお願いしたい")
    assert chat.say(resident, "犬の散歩をお願いしたい") == [LIMIT_REACHED]
    assert len(db_session.scalars(select(HelpRequest)).all()) == 2  # no draft was started
    clock.advance(hours=24, minutes=1)
    assert chat.say(resident, "犬の散歩をお願いしたい")[0].startswith("「犬の散歩をお願いしたい」ですね。")


def test_a_blocked_member_gets_a_polite_answer_and_is_never_matched(chat: Chat, db_session: Session) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", MID)
    _block(db_session, sato)
    blocked = "ごめんなさい。今はこのサービスをお使いいただけません。\nコーディネーターにご連絡ください。"
    assert chat.say(sato, "電球が切れた") == [blocked]
    # They may still see and erase their own data.
    assert chat.say(sato, "登録情報")[0].startswith("「お互いさま」が記録している、あなたの情報です。")
    resident = chat.user("yamada", "山田花子")
    submit_request(chat, resident, "電球が切れて替えられない")
    assert chat.new_texts(sato) == []
    _block(db_session, sato, blocked=False)
    assert chat.say(sato, "使い方")[0].startswith("使い方です。")


def test_a_blocked_members_offer_is_not_shown_to_others(chat: Chat, db_session: Session) -> None:
    alice = chat.user("alice", "伊藤")
    chat.follow(alice)
    chat.say(alice, "子ども食堂で料理を手伝ってみたい")
    bob = chat.user("bob", "加藤")
    chat.follow(bob)
    assert "手伝ってみたい" in "\n".join(chat.say(bob, "子ども食堂で料理を作ってみたい"))
    _block(db_session, alice)
    assert "手伝ってみたい" not in "\n".join(chat.say(bob, "子ども食堂で料理を作ってみたい"))


def test_the_resident_reports_a_problem_and_coordinators_get_it_with_the_request(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    coordinator = make_coordinator(chat, db_session)
    match = matched(chat)
    chat.new_texts(coordinator)
    assert chat.say(match.resident, "困ったことを報告") == ["どの依頼のことですか？\n下から選んでください。"]
    assert tap_label(chat, match.resident, "電球・修理 11月26日(木)") == [
        "コーディネーターに伝えました。\n担当の人から、連絡することがあります。\n相手の方には、伝えていません。"
    ]
    run_due(app, clock)
    assert chat.new_texts(coordinator) == [
        f"【要対応】依頼番号{match.request_id}（電球・修理・東京都世田谷区世田谷・11月26日(木) 14:00）"
        "について、"
        "依頼した方から「困ったこと」の報告がありました。\n"
        "依頼した方：山田花子さん\nサポーター：佐藤一郎さん\n話を聞いてください。"
    ]
    assert chat.new_texts(match.supporter) == []  # the other side is not told
    listed = chat.say(coordinator, "要対応")[0]
    assert f"依頼番号{match.request_id}" in listed
    assert db_session.scalar(select(ProblemReport)) is not None
    # The notice kept for the web desk loses her name (and the request's words) when she leaves.
    chat.say(match.resident, "退会")
    tap_label(chat, match.resident, "退会する")
    notice = db_session.scalar(select(CoordinatorNotice).order_by(CoordinatorNotice.id.desc()))
    assert notice is not None and notice.text.startswith(f"【要対応】依頼番号{match.request_id}")
    assert "依頼した方：＊＊＊さん\nサポーター：佐藤一郎さん" in notice.text
    assert leftovers(db_session, ["山田花子", match.resident, "電球が切れて替えられない"]) == []


def test_nothing_to_report_without_a_visit(chat: Chat) -> None:
    user = chat.user("alice", "山田花子")
    chat.follow(user)
    assert chat.say(user, "困ったことを報告")[0].startswith("報告できる依頼が見つかりませんでした。")


def test_a_supporter_is_never_asked_by_that_resident_again_and_she_is_not_told(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = matched(chat)
    chat.say(match.supporter, "困ったことを報告")
    answer = tap_label(chat, match.supporter, "電球・修理 11月26日(木)")
    assert answer[0].endswith("この方からの依頼を、もう受けたくないときは、下のボタンを押してください。")
    assert tap_label(chat, match.supporter, "この方からの依頼はもう受けない") == [
        "わかりました。この方からの依頼は、もうお知らせしません。\nこのことは、相手の方には伝わりません。"
    ]
    assert db_session.scalar(select(MatchExclusion)) is not None
    chat.new_texts(match.resident)
    # Her next request reaches nobody else's card but never his; she hears nothing of it.
    submit(chat, match.resident, "電球が切れて替えられない", None)
    assert chat.new_texts(match.supporter) == []
    # Another resident's request still reaches him.
    other = chat.user("ito", "伊藤")
    submit_request(chat, other, "電球が切れて替えられない")
    run_due(app, clock)
    assert chat.new_texts(match.supporter)[-1].startswith("お手伝いのお願い：電球・修理")


def test_the_typed_command_lists_his_visits(chat: Chat, clock: FakeClock) -> None:
    match = matched(chat)
    clock.advance(days=40)
    assert chat.say(match.supporter, "この方からの依頼はもう受けない") == [
        "どの依頼の方ですか？\n下から選んでください。"
    ]
    assert chat.say(match.resident, "この方からの依頼はもう受けない") == [
        "引き受けた依頼が見つかりませんでした。"
    ]


def test_a_coordinator_blocks_and_unblocks_from_the_report_notice(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    coordinator = make_coordinator(chat, db_session)
    match = matched(chat)
    chat.say(match.supporter, "困ったことを報告")
    tap_label(chat, match.supporter, "電球・修理 11月26日(木)")
    run_due(app, clock)
    assert chat.new_texts(coordinator)[-1].startswith("【要対応】")
    # Nobody but a coordinator can use the button.
    block_data = next(
        a["data"] for a in chat.actions_received(coordinator) if a.get("label") == "依頼した方をブロック"
    )
    assert chat.tap(match.supporter, block_data)[0].startswith("ごめんなさい")
    assert tap_label(chat, coordinator, "依頼した方をブロック")[0].startswith(
        "山田花子さんをブロックしました。"
    )
    assert chat.say(match.resident, "使い方") == [
        "ごめんなさい。今はこのサービスをお使いいただけません。\nコーディネーターにご連絡ください。"
    ]
    assert tap_label(chat, coordinator, "ブロックを解除") == ["山田花子さんのブロックを解除しました。"]
    assert chat.say(match.resident, "使い方")[0].startswith("使い方です。")


# --- leaving frees what one held at the community's places ------------------------------------------

SEAT_GIVEN = "【キャンセル待ちの方へ】\n「しめ縄づくりの教室」に席があきました！"


def _leave(chat: Chat, user: str) -> None:
    chat.say(user, "退会")
    assert tap_label(chat, user, "退会する")[0].startswith("退会しました。")


def test_a_seat_freed_by_leaving_goes_to_the_first_one_waiting_who_is_told(
    app: Flask, chat: Chat, db_session: Session, clock: FakeClock
) -> None:
    seed_town(db_session)
    master, aki, ben, chie = class_with_two_seats_and_one_waiting(chat, clock)

    _leave(chat, aki)

    told = chat.new_texts(chie)
    assert len(told) == 1 and told[0].startswith(SEAT_GIVEN)
    assert chat.new_texts(ben) == []
    lesson = db_session.scalar(select(MasterClass))
    assert lesson is not None
    db_session.refresh(lesson)
    assert lesson.taken == 2
    assert sorted(s.status for s in db_session.scalars(select(ClassSeat))) == ["cancelled", "seat", "seat"]
    # The master's reminder names who comes now.
    at(app, clock, jst(27, 18))
    assert chat.new_texts(master)[-1].endswith("2人が申し込んでいます：勉、千恵")


def test_a_member_erased_by_the_operator_gives_their_seat_on_too(
    chat: Chat, db_session: Session, clock: FakeClock, database_url: str
) -> None:
    seed_town(db_session)
    _master, _aki, _ben, chie = class_with_two_seats_and_one_waiting(chat, clock)
    # The command runs on the wall clock: the class is moved a month past it.
    lesson = db_session.scalar(select(MasterClass))
    assert lesson is not None
    later = datetime.now(UTC) + timedelta(days=30)
    lesson.starts_at, lesson.ends_at = later, later + timedelta(hours=2)
    db_session.commit()

    result = CliRunner().invoke(
        main, ["members", "erase", "亜紀", "--yes"], env={"DATABASE_URL": database_url}
    )

    assert result.exit_code == 0, result.output
    # The worker delivers what the command queued.
    queued = db_session.scalars(select(OutboundMessage).where(OutboundMessage.status == "pending")).all()
    assert [(row.recipients, row.messages[0]["text"][: len(SEAT_GIVEN)]) for row in queued] == [
        ([chie], SEAT_GIVEN)
    ]


def test_the_purge_after_unfollow_gives_the_seat_on_and_tells(
    app: Flask, chat: Chat, db_session: Session, clock: FakeClock
) -> None:
    seed_town(db_session)
    _master, aki, _ben, chie = class_with_two_seats_and_one_waiting(chat, clock)
    lesson = db_session.scalar(select(MasterClass))
    assert lesson is not None
    chat.send(ev.unfollow_event(aki))
    # The class is a month later, so it is still coming when the departed member's data goes.
    lesson.starts_at, lesson.ends_at = (
        jst(28, 10).replace(month=12, day=30),
        jst(28, 12).replace(month=12, day=30),
    )
    db_session.commit()
    clock.advance(days=30, minutes=1)
    processor = app.extensions["otagai.processor"]
    assert Retention(processor.session_factory, settings=processor.settings).run(clock()).members == 1
    run_due(app, clock)  # the worker delivers what the purge queued
    assert chat.new_texts(chie)[0].startswith(SEAT_GIVEN)


def test_a_master_who_leaves_calls_their_classes_off_and_everyone_is_told(
    app: Flask, chat: Chat, db_session: Session, clock: FakeClock
) -> None:
    seed_town(db_session)
    master, aki, ben, chie = class_with_two_seats_and_one_waiting(chat, clock)

    _leave(chat, master)

    for person in (aki, ben, chie):
        assert chat.new_texts(person)[0].startswith("【教室の中止】\n「しめ縄づくりの教室」")
    assert chat.say(aki, "教室")[0].startswith("いまひらく予定の教室は、ありません。")
    assert at(app, clock, jst(27, 18)).classes == 0


def test_a_shift_seat_is_free_again_and_a_short_shift_reaches_the_coordinators(
    app: Flask, chat: Chat, db_session: Session, database_url: str, clock: FakeClock
) -> None:
    seed_town(db_session)
    coordinator = make_coordinator(chat, db_session)
    place_id = db_session.scalar(select(CommunityPlace.id).where(CommunityPlace.name == "ひまわりこども食堂"))
    when = ("--at", "2026-11-27T16:00", "--hours", "3")
    args = ["places", "shift", str(place_id), *when, "--role", "調理", "--people", "1"]
    result = CliRunner().invoke(main, args, env={"DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    aki = chat.user("aki", "亜紀")
    chat.say(aki, "お手伝いの募集")
    tap_label(chat, aki, "参加する")
    at(app, clock, jst(26, 17))  # the day before: aki reminded; the shift is full, nobody else told
    chat.new_texts(coordinator)

    _leave(chat, aki)

    shift = db_session.scalar(select(PlaceShift))
    assert shift is not None
    db_session.refresh(shift)
    assert shift.taken == 0
    assert chat.new_texts(coordinator) == [
        "【要対応】ひまわりこども食堂の「調理」（11月27日（金） 16:00〜19:00）が、まだ足りません：0/1人。"
    ]
    ben = chat.user("ben", "勉")
    assert chat.say(ben, "お手伝いの募集")[0].startswith("場所からの、お手伝いの募集です。")
    assert tap_label(chat, ben, "参加する")[0].startswith("ありがとうございます！")
