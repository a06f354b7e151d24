"""Desk roles per area: every desk route walked as an administrator, an area coordinator, a read-only
account and a coordinator of another area; read-only changes nothing, out-of-area is refused; and
`otagai coordinators add --password` makes a desk account of an area."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.desk.access import Access, Grant
from db import desk as desk_repo
from db.models import (
    Area,
    Base,
    CommunityPlace,
    DeskAccount,
    DeskAction,
    DeskRoleKind,
    HelpRequest,
    Member,
)
from handlers.settings import Settings
from tests.bot.desk_support import PASSWORD, TOKEN, add_account, csrf_from, post, sign_in
from tests.handlers.cycle import submit
from tests.handlers.dialogue import FAR, NEAR, register_supporter
from tests.support import Chat


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Every feature on, so that every page is there to walk."""
    return settings.with_overrides(fees=True, insurance=True)


# Open to anyone by design, or a change only to one's own session.
PUBLIC = {"desk.sign_in", "desk.static", "desk.link_sign_in", "desk.sign_out"}
# What only an administrator opens.
ADMIN_ONLY = {"desk.accounts", "desk.account_role", "desk.settings_page"}
SETAGAYA = (35.6466, 139.6532)
SAPPORO = (43.06, 141.35)


# --- the rules alone ---------------------------------------------------------------------------------


def test_grants_decide_seeing_acting_and_administering() -> None:
    setagaya = Grant(DeskRoleKind.COORDINATOR, 1, "世田谷", *SETAGAYA, 5.0)
    watching = Grant(DeskRoleKind.READ_ONLY, 2, "札幌", *SAPPORO, 5.0)
    mixed = Access((setagaya, watching))
    assert mixed.sees(*NEAR) and mixed.sees(*SAPPORO) and not mixed.sees(34.69, 135.50)  # 大阪
    assert mixed.acts(*NEAR) and not mixed.acts(*SAPPORO)
    # A place that is only a name is everyone's to see, and any coordinator's to act on.
    assert mixed.sees(None, None) and mixed.acts(None, None)
    assert mixed.acts_anywhere and not mixed.administers and not mixed.whole_organisation
    assert mixed.acting() == Access((setagaya,))

    read_only = Access((Grant(DeskRoleKind.READ_ONLY),))
    assert read_only.sees(34.69, 135.50) and not read_only.acts(None, None) and not read_only.acts_anywhere

    area_admin = Access((Grant(DeskRoleKind.ADMINISTRATOR, 1, "世田谷", *SETAGAYA, 5.0),))
    assert area_admin.administers and area_admin.administers_area(1)
    assert not area_admin.administers_area(2) and not area_admin.administers_area(None)
    everywhere = Access((Grant(DeskRoleKind.ADMINISTRATOR),))
    assert everywhere.administers_area(2) and everywhere.administers_area(None)
    assert Access(()).summary == "役割なし" and mixed.summary == "世田谷・コーディネーター、札幌・見るだけ"


# --- the route walk ------------------------------------------------------------------------------------


def snapshot(db: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (sign-in attempts aside: signing in is not a change to the scheme)."""
    db.expire_all()
    tables = {}
    for table in Base.metadata.sorted_tables:
        if table.name == "desk_sign_in_attempts":
            continue
        rows = db.execute(select(table)).all()
        tables[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return tables


def desk_paths(app: Flask, ids: dict[str, int]) -> list[tuple[str, str, set[str]]]:
    """Every desk route from the app's url_map, with a path naming real rows."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("desk.") or rule.endpoint in PUBLIC:
            continue
        path = rule.rule.replace("<path:filename>", "desk.css")
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", str(ids.get(name, 1))).replace(
                f"<{name}>", str(ids.get(name, 1))
            )
        found.append((rule.endpoint, path, set(rule.methods or ()) - {"HEAD", "OPTIONS"}))
    return sorted(found)


def path_args(app: Flask, endpoint: str) -> set[str]:
    return {name for rule in app.url_map.iter_rules() if rule.endpoint == endpoint for name in rule.arguments}


def form_for(endpoint: str, ids: dict[str, int]) -> dict[str, Any]:
    """What the page would send: enough that the action would succeed for someone allowed to do it."""
    samples: dict[str, dict[str, Any]] = {
        "desk.assign": {"member_id": str(ids["member_id"])},
        "desk.change_when": {"when": "2030-01-10T10:00"},
        "desk.change_place": {"address": "世田谷区太子堂"},
        "desk.cancel": {"note": "テスト"},
        "desk.close": {"note": "テスト"},
        "desk.proxy": {
            "name": "電話の方",
            "phone": "03-0000-1111",
            "address": "世田谷区太子堂",
            "anytime": "1",
            "text": "電球が切れて替えられない",
        },
        "desk.member_page": {"name": "書きかえ", "skills": "電球の交換", "radius_km": "2"},
        "desk.offers_message": {"theme": "lights", "message": "こんにちは"},
        "desk.account_role": {"area": "all", "role": "read_only"},
        "desk.settings_page": {"agreement": "新しいきまり"},
        "desk.applicant_decision": {"met_on": "2026-11-24", "how": "interview", "decision": "decline"},
        "desk.tickets_entry": {"member_id": str(ids["resident_id"]), "yen": "1000", "kind": "sold"},
        "desk.mark_first_visit": {"member_id": str(ids["member_id"])},
        "desk.first_visit_message": {"message": "こんにちは"},
    }
    return samples.get(endpoint, {"note": "テスト"})


def town(chat: Chat, db_session: Session) -> dict[str, int]:
    """Two areas, a request and a supporter in 世田谷, a notice, and four desk accounts."""
    setagaya = Area(name="世田谷", lat=SETAGAYA[0], lon=SETAGAYA[1], radius_km=5)
    sapporo = Area(name="札幌", lat=SAPPORO[0], lon=SAPPORO[1], radius_km=5)
    db_session.add_all([setagaya, sapporo])
    db_session.flush()
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    submit(chat, resident, "電球が切れて替えられない", None)
    request_id = db_session.scalars(select(HelpRequest.id)).one()
    supporter_id = db_session.scalars(select(Member.id).where(Member.display_name == "佐藤一郎")).one()
    from datetime import UTC, datetime

    desk_repo.add_notice(db_session, "【要対応】テスト", datetime.now(UTC))
    add_account(db_session, "管理者")
    coordinator = add_account(db_session, "世田谷係", area=setagaya, role=DeskRoleKind.COORDINATOR)
    add_account(db_session, "見る人", role=DeskRoleKind.READ_ONLY)
    add_account(db_session, "札幌係", area=sapporo, role=DeskRoleKind.COORDINATOR)
    place = CommunityPlace(
        kind="kodomo_shokudo", name="ひまわりこども食堂", address="", lat=NEAR[0], lon=NEAR[1], closed_days=[]
    )
    place.opening_text, place.openings, place.closed_on_holidays = "毎週水曜 17:00-19:00", [], False
    db_session.add(place)
    db_session.commit()
    from db.models import CoordinatorNotice

    notice_id = db_session.scalars(select(CoordinatorNotice.id)).one()
    return {
        "resident_id": db_session.scalars(select(Member.id).where(Member.line_user_id == resident)).one(),
        "request_id": request_id,
        "member_id": supporter_id,
        "notice_id": notice_id,
        "account_id": coordinator.id,
        "area_id": setagaya.id,
        "place_id": place.id,
    }


def signed_in(app: Flask, login: str) -> FlaskClient:
    client = app.test_client()
    assert sign_in(client, login) == 302
    return client


def test_every_desk_route_for_every_role(app: Flask, chat: Chat, db_session: Session) -> None:
    ids = town(chat, db_session)
    routes = desk_paths(app, ids)
    assert {"desk.today", "desk.request_page", "desk.accounts", "desk.settings_page"} <= {
        e for e, _, _ in routes
    }
    read_only, elsewhere = signed_in(app, "見る人"), signed_in(app, "札幌係")
    in_area, admin = signed_in(app, "世田谷係"), signed_in(app, "管理者")
    tokens = {c: csrf_from(c, "/desk/") for c in (read_only, elsewhere, in_area, admin)}
    before = snapshot(db_session)

    for endpoint, path, methods in routes:
        if "GET" in methods:
            # Read-only sees every page but the administrators', and no form that would change anything.
            page = read_only.get(path)
            if endpoint in ADMIN_ONLY:
                assert page.status_code == 403, (endpoint, page.status_code)
                assert "この操作はできません" in page.get_data(as_text=True)
            else:
                assert page.status_code == 200, (endpoint, page.status_code)
                if page.mimetype == "text/html":
                    forms = page.get_data(as_text=True).count('method="post"')
                    assert forms == 1, (endpoint, "action forms shown to read-only")  # only ログアウト
            # Another area's coordinator: a request or a person of 世田谷 is not found at all.
            status = elsewhere.get(path).status_code
            if endpoint in ("desk.request_page", "desk.member_page"):
                assert status == 404, (endpoint, status)
            elif endpoint in ADMIN_ONLY:
                assert status == 403, (endpoint, status)
            # The area's own coordinator sees everything but the administrators' pages.
            assert in_area.get(path).status_code == (403 if endpoint in ADMIN_ONLY else 200), endpoint
        if "POST" in methods:
            data = {**form_for(endpoint, ids), "csrf_token": tokens[read_only]}
            refused = read_only.post(path, data=data)
            assert refused.status_code == 403, (endpoint, refused.status_code)
            assert "見るだけ" in refused.get_data(as_text=True)
            # Another area's coordinator: a change to a request or person of 世田谷 is refused.
            scoped = {"request_id", "member_id"} & path_args(app, endpoint)
            if scoped or endpoint in ADMIN_ONLY or endpoint == "desk.tickets_entry":
                data = {**form_for(endpoint, ids), "csrf_token": tokens[elsewhere]}
                status = elsewhere.post(path, data=data).status_code
                assert status in (403, 404), (endpoint, status)
            if endpoint in ADMIN_ONLY:
                data = {**form_for(endpoint, ids), "csrf_token": tokens[in_area]}
                assert in_area.post(path, data=data).status_code == 403, endpoint

    assert snapshot(db_session) == before  # not one row changed

    # The same forms from those allowed do change things: the walk above was refused, not malformed.
    page = post(in_area, f"/desk/requests/{ids['request_id']}/close", {"note": "電話で話した"})
    assert "対応済みにしました" in page
    page = post(admin, f"/desk/accounts/{ids['account_id']}/role", {"area": "all", "role": "read_only"})
    assert "世田谷係さんの役割を変えました" in page
    assert "世田谷・コーディネーター、すべての地域・見るだけ" in page


def test_an_administrator_changes_roles_on_the_desk_and_every_change_is_audited(
    app: Flask, chat: Chat, db_session: Session
) -> None:
    ids = town(chat, db_session)
    admin = signed_in(app, "管理者")
    coordinator = signed_in(app, "世田谷係")
    request_page = f"/desk/requests/{ids['request_id']}"
    assert "できること" in coordinator.get(request_page).get_data(as_text=True)

    page = post(
        admin,
        f"/desk/accounts/{ids['account_id']}/role",
        {"area": str(ids["area_id"]), "role": "read_only"},
        "/desk/accounts",
    )
    assert "世田谷・見るだけ" in page
    # From their next page on, the buttons are gone and a change is refused kindly.
    shown = coordinator.get(request_page).get_data(as_text=True)
    assert "できること" not in shown and "指名する" not in shown
    token = TOKEN.search(shown)
    assert token
    refused = coordinator.post(f"{request_page}/close", data={"note": "x", "csrf_token": token.group(1)})
    assert refused.status_code == 403 and "管理者の方に頼んでください" in refused.get_data(as_text=True)

    # Nobody changes their own role; an area's administrator gives roles only in their area.
    me = db_session.scalars(select(DeskAccount.id).where(DeskAccount.login == "管理者")).one()
    page = post(admin, f"/desk/accounts/{me}/role", {"area": "all", "role": "read_only"}, "/desk/accounts")
    assert "自分の役割は変えられません" in page
    post(
        admin,
        f"/desk/accounts/{ids['account_id']}/role",
        {"area": str(ids["area_id"]), "role": "administrator"},
        "/desk/accounts",
    )
    area_admin = coordinator  # the same person, now administrator of 世田谷
    sapporo = db_session.scalars(select(Area.id).where(Area.name == "札幌")).one()
    target = db_session.scalars(select(DeskAccount.id).where(DeskAccount.login == "見る人")).one()
    token = csrf_from(area_admin, "/desk/accounts")
    denied = area_admin.post(
        f"/desk/accounts/{target}/role",
        data={"area": str(sapporo), "role": "coordinator", "csrf_token": token},
    )
    assert denied.status_code == 403
    post(
        area_admin,
        f"/desk/accounts/{target}/role",
        {"area": str(ids["area_id"]), "role": "coordinator"},
        "/desk/accounts",
    )

    db_session.expire_all()
    notes = [
        (a.who, a.action, a.note) for a in db_session.scalars(select(DeskAction).order_by(DeskAction.id))
    ]
    assert notes == [
        ("管理者", "role_change", "世田谷係（世田谷）：coordinator → read_only"),
        ("管理者", "role_change", "世田谷係（世田谷）：read_only → administrator"),
        ("世田谷係", "role_change", "見る人（世田谷）：なし → coordinator"),
    ]
    listed = area_admin.get("/desk/accounts").get_data(as_text=True)
    assert "すべての地域・見るだけ、世田谷・コーディネーター" in listed


def test_the_settings_page_publishes_a_new_version_of_the_rules(
    app: Flask, chat: Chat, db_session: Session
) -> None:
    from handlers import agreement

    add_account(db_session)
    db_session.commit()
    admin = app.test_client()
    sign_in(admin)
    page = admin.get("/desk/settings").get_data(as_text=True)
    assert "今は第1版" in page and "OTAGAI_VETTING" in page

    def refused(body: str) -> str:
        token = csrf_from(admin, "/desk/settings")
        answer = admin.post("/desk/settings", data={"agreement": body, "csrf_token": token})
        assert answer.status_code == 400
        return answer.get_data(as_text=True)

    assert "活動のきまりが空です" in refused("  ")
    page = post(admin, "/desk/settings", {"agreement": "約束ごと\r\n秘密を守ります"}, "/desk/settings")
    assert "第2版" in page
    page = post(admin, "/desk/settings", {"agreement": "約束ごと\n秘密を守ります"}, "/desk/settings")
    assert "第2版と同じ文なので" in page
    assert "文字までにしてください" in refused("あ" * (agreement.LIMIT + 1))
    db_session.expire_all()
    assert agreement.current(db_session) == (2, "約束ごと\n秘密を守ります")
    assert [(a.action, a.note) for a in db_session.scalars(select(DeskAction))] == [
        ("agreement_published", "version 2")
    ]


def test_coordinators_add_and_role_set_desk_roles_and_audit_them(
    database_url: str, client: FlaskClient, db_session: Session
) -> None:
    from bot.cli import main

    def run(*args: str, typed: str = "") -> tuple[int, str]:
        result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": database_url}, input=typed)
        return result.exit_code, result.output

    run("areas", "add", "世田谷", "--lat", "35.6466", "--lon", "139.6532", "--radius-km", "5")
    typed = f"{PASSWORD}\n{PASSWORD}\n"
    code, out = run(
        "coordinators", "add", "小林", "--password", "--role", "read-only", "--area", "世田谷", typed=typed
    )
    assert code == 0 and "小林: no role → read-only in 世田谷" in out, out
    code, out = run("coordinators", "add", "木村", "--password", typed=typed)
    assert code == 0 and "木村: no role → coordinator in every area" in out, out
    code, out = run("coordinators", "add", "木村", "--password", "--area", "世田谷", typed=typed)
    assert code == 0 and "木村: no role → coordinator in 世田谷" in out, out
    assert sign_in(client, "小林") == 302
    token = csrf_from(client, "/desk/")
    assert client.post("/desk/notices/1/done", data={"csrf_token": token}).status_code == 403

    code, out = run("coordinators", "role", "小林", "coordinator", "--area", "世田谷")
    assert code == 0 and "小林: read-only → coordinator in 世田谷" in out, out
    code, out = run("coordinators", "role", "小林", "coordinator", "--area", "世田谷")
    assert code == 0 and "already" in out
    code, out = run("coordinators", "role", "小林", "none", "--area", "世田谷")
    assert code == 0 and "coordinator → no role" in out
    code, out = run("coordinators", "role", "だれか", "coordinator")
    assert code == 1 and "no desk account" in out
    code, out = run("coordinators", "add", "だれか", "--role", "coordinator")
    assert code == 1 and "--password" in out
    code, out = run("coordinators", "role", "小林", "administrator", "--area", "大阪")
    assert code == 1 and "no area" in out

    code, out = run("audit")
    assert code == 0
    lines = [line for line in out.splitlines() if "role_change" in line]
    assert len(lines) == 5, out
    assert "小林（世田谷）：coordinator → なし" in lines[0]


def test_coordinators_add_with_a_password_makes_a_desk_account_of_an_area(
    database_url: str, client: FlaskClient, chat: Chat, db_session: Session
) -> None:
    from click.testing import CliRunner

    from bot.cli import main

    def run(*args: str, typed: str = "") -> tuple[int, str]:
        result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": database_url}, input=typed)
        return result.exit_code, result.output

    code, out = run("areas", "add", "世田谷", "--lat", "35.6466", "--lon", "139.6532", "--radius-km", "5")
    assert code == 0, out
    run("areas", "add", "札幌", "--lat", "43.06", "--lon", "141.35", "--radius-km", "5")
    code, out = run("coordinators", "add", "鈴木", "--password", "--area", "世田谷", typed="short\nshort\n")
    assert code == 1 and "10文字以上" in out
    typed = f"{PASSWORD}\n{PASSWORD}\n"
    code, out = run("coordinators", "add", "鈴木", "--password", "--area", "世田谷", typed=typed)
    assert code == 0 and "鈴木 can sign in to the desk at /desk/ (area 世田谷)" in out, out
    code, out = run("coordinators", "add", "高橋", "--password", "--area", "札幌", typed=typed)
    assert code == 0, out
    assert PASSWORD not in out

    # A request in Setagaya: the Setagaya coordinator sees it, the Sapporo one does not.
    register_supporter(chat, "endo", "遠藤四郎", "電球の交換", FAR)
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    submit(chat, resident, "電球が切れて替えられない", None)
    request_id = db_session.scalars(select(HelpRequest.id)).one()
    assert sign_in(client, "鈴木") == 302
    assert f"{request_id}番" in client.get("/desk/").get_data(as_text=True)
    sapporo = client.application.test_client()
    assert sign_in(sapporo, "高橋") == 302
    assert f"{request_id}番" not in sapporo.get("/desk/").get_data(as_text=True)
    assert sapporo.get(f"/desk/requests/{request_id}").status_code == 404

    # A new password signs out the sessions made with the old one; remove closes the desk.
    other = "another-long-password"
    run("coordinators", "add", "鈴木", "--password", "--area", "世田谷", typed=f"{other}\n{other}\n")
    assert client.get("/desk/").status_code == 302
    code, out = run("coordinators", "remove", "高橋")
    assert code == 0 and "can no longer sign in" in out
    assert sapporo.get("/desk/").status_code == 302
