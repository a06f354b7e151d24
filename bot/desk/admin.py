"""The administrators' pages: desk accounts and their roles per area, and the scheme's settings (the
rules supporters agree to, and what the environment switches on). Every change goes to the audit log."""

from __future__ import annotations

from datetime import tzinfo

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from bot.desk import blueprint, texts
from bot.desk.access import EVERY_AREA, ROLE_LABELS, Access
from bot.desk.auth import access, current_account, now, require_administrator, unit_of_work
from db import desk as desk_repo
from db.models import Area, DeskAccount, DeskRoleKind
from handlers import agreement

ALL_AREAS = "all"
NO_ROLE = "none"


@blueprint.get("/accounts")
def accounts() -> ResponseReturnValue:
    require_administrator()
    with unit_of_work() as db:
        me = current_account(db)
        mine = access()
        areas = [(ALL_AREAS, EVERY_AREA)] if mine.administers_area(None) else []
        areas += [(str(a.id), a.name) for a in desk_repo.areas(db) if mine.administers_area(a.id)]
        rows = [
            {
                "id": a.id,
                "login": a.login,
                "active": a.active,
                "roles": Access.of(a).summary,
                "last": a.last_sign_in_at.astimezone(_zone()).strftime("%Y-%m-%d %H:%M")
                if a.last_sign_in_at
                else "-",
                "mine": a.id == me.id,
            }
            for a in desk_repo.accounts(db)
        ]
    roles = [(r.value, ROLE_LABELS[r]) for r in DeskRoleKind] + [(NO_ROLE, "なし（この地域では使えない）")]
    return render_template("desk/accounts.html", rows=rows, areas=areas, roles=roles)


@blueprint.post("/accounts/<int:account_id>/role")
def account_role(account_id: int) -> ResponseReturnValue:
    require_administrator()
    area_value, role_value = request.form.get("area", ""), request.form.get("role", "")
    try:
        role = None if role_value == NO_ROLE else DeskRoleKind(role_value)
    except ValueError:
        abort(400)
    with unit_of_work() as db:
        me = current_account(db)
        target = db.get(DeskAccount, account_id)
        if target is None:
            abort(404)
        area = None
        if area_value != ALL_AREAS:
            area = db.get(Area, int(area_value)) if area_value.isdigit() else None
            if area is None:
                abort(400)
        if not access().administers_area(area.id if area else None):
            abort(403)
        if target.id == me.id:
            # Nobody takes their own powers away by a slip: another administrator does it.
            flash(texts.ROLE_NOT_OWN, "error")
            return redirect(url_for("desk.accounts"))
        before, after = desk_repo.set_role(db, target, area, role)
        if before != after:
            note = desk_repo.role_note(target.login, area, before, after)
            desk_repo.record(db, me, "role_change", now(), note=note)
        flash(texts.ROLE_CHANGED.format(name=target.login), "info")
    return redirect(url_for("desk.accounts"))


@blueprint.route("/settings", methods=["GET", "POST"])
def settings_page() -> ResponseReturnValue:
    require_administrator()
    settings = current_app.extensions["otagai.settings"]
    with unit_of_work() as db:
        me = current_account(db)
        draft = None
        if request.method == "POST":
            draft = request.form.get("agreement", "").replace("\r\n", "\n")
            try:
                version, new = agreement.publish(db, draft, now(), by=me.login)
            except agreement.AgreementTooLong:
                flash(texts.AGREEMENT_TOO_LONG.format(limit=agreement.LIMIT), "error")
            except ValueError:
                flash(texts.AGREEMENT_EMPTY, "error")
            else:
                if new:
                    desk_repo.record(db, me, "agreement_published", now(), note=f"version {version}")
                    flash(texts.AGREEMENT_PUBLISHED.format(version=version), "info")
                else:
                    flash(texts.AGREEMENT_UNCHANGED.format(version=version), "info")
                return redirect(url_for("desk.settings_page"))
        version, body = agreement.current(db)
        areas = [(a.name, a.radius_km) for a in desk_repo.areas(db)]
    switches = [
        ("面談・説明会のあとで承認（OTAGAI_VETTING）", "する" if settings.vetting else "しない"),
        ("ボランティア保険の確認（OTAGAI_INSURANCE）", "する" if settings.insurance else "しない"),
        ("利用券で利用料（OTAGAI_FEES）", "使う" if settings.fees else "使わない"),
        ("時間のポイント（OTAGAI_TIME_CREDITS）", "使う" if settings.time_credits else "使わない"),
        ("団体の名前（OTAGAI_ORGANISATION_NAME）", settings.organisation_name),
    ]
    if settings.fees:
        switches.append(("1時間の利用料", f"{settings.fee_hourly_yen:,}円"))
        switches.append(("サポーターの取り分", f"{settings.fee_helper_percent}%"))
    return render_template(
        "desk/settings.html",
        switches=switches,
        areas=areas,
        version=version,
        body=draft if draft is not None else body,
        limit=agreement.LIMIT,
    ), (400 if draft is not None else 200)


def _zone() -> tzinfo:
    return current_app.extensions["otagai.settings"].timezone
