"""利用券 and 月の精算 on the desk (only while OTAGAI_FEES=on): residents' ticket balances, selling and
refunding, and a month's settlement (who owes, who is owed) with its CSV: `otagai fees settle`'s figures."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from bot.desk import blueprint, texts
from bot.desk.auth import access, current_account, now, require_acting, unit_of_work
from bot.desk.reports import month_arg
from bot.desk.views import place_of
from bot.roster import write_csv
from db import desk as desk_repo
from db import fees as fee_repo
from db.models import Member
from db.reports import month_bounds
from handlers import fees

MAX_YEN = 1_000_000
LISTED = 500


def _fees_on() -> None:
    """A feature switched off has no pages."""
    if not current_app.extensions["otagai.settings"].fees:
        abort(404)


@blueprint.get("/tickets")
def tickets() -> ResponseReturnValue:
    _fees_on()
    mine = access()
    with unit_of_work() as db:
        current_account(db)
        people = fee_repo.ticket_people(db, LISTED)
        places = {m.id: place_of(db, m) for m in people}
        rows = [
            {
                "id": m.id,
                "name": m.display_name or "-",
                "line": bool(m.line_user_id),
                "balance": fee_repo.balance(db, m.id),
                "may_act": mine.acts(*places[m.id]),
            }
            for m in people
            if mine.sees(*places[m.id])
        ]
    return render_template("desk/tickets.html", rows=rows, max_yen=MAX_YEN)


@blueprint.post("/tickets")
def tickets_entry() -> ResponseReturnValue:
    _fees_on()
    kind = request.form.get("kind", "")
    member_id = request.form.get("member_id", type=int)
    yen = request.form.get("yen", type=int)
    note = request.form.get("note", "").strip()[:200]
    if kind not in (fee_repo.SOLD, fee_repo.REFUNDED) or member_id is None:
        abort(400)
    if yen is None or not 0 < yen <= MAX_YEN:
        flash(texts.YEN_INVALID.format(limit=MAX_YEN), "error")
        return redirect(url_for("desk.tickets"))
    with unit_of_work() as db:
        account = current_account(db)
        person = db.get(Member, member_id)
        if person is None or not access().sees(*place_of(db, person)):
            abort(404)
        require_acting(*place_of(db, person))
        moment = now()
        name = person.display_name or "-"
        try:
            if kind == fee_repo.SOLD:
                left = fee_repo.sell(db, person.id, yen, moment, by=account.login, note=note)
            else:
                left = fee_repo.refund(db, person.id, yen, moment, by=account.login, note=note)
        except fee_repo.NotEnoughTickets as exc:
            flash(texts.REFUND_TOO_MUCH.format(name=name, left=exc.left), "error")
            return redirect(url_for("desk.tickets"))
        signed = yen if kind == fee_repo.SOLD else -yen
        note_text = f"{signed} {note}".strip()
        desk_repo.record(db, account, f"tickets_{kind}", moment, member_id=person.id, note=note_text)
    done = texts.TICKETS_SOLD if kind == fee_repo.SOLD else texts.TICKETS_REFUNDED
    flash(done.format(name=name, yen=yen, left=left), "info")
    return redirect(url_for("desk.tickets"))


def _settlement(month: str) -> tuple[list[fee_repo.SettlementLine], int]:
    zone = current_app.extensions["otagai.settings"].timezone
    try:
        start, end = month_bounds(month, zone)
    except ValueError:
        abort(400)
    with unit_of_work() as db:
        current_account(db)
        return fee_repo.settlement(db, start, end), fee_repo.tickets_used(db, start, end)


@blueprint.get("/settlement")
def settlement() -> ResponseReturnValue:
    _fees_on()
    month = month_arg()
    lines, used = _settlement(month)
    groups = [
        (label, [line for line in lines if line.role == role])
        for role, label in fees.SETTLEMENT_ROLES.items()
    ]
    totals = {
        role: sum(line.amount_yen for line in lines if line.role == role) for role in fees.SETTLEMENT_ROLES
    }
    return render_template(
        "desk/settlement.html", month=month, groups=groups, totals=totals, used=used, has_lines=bool(lines)
    )


@blueprint.get("/settlement.csv")
def settlement_csv() -> ResponseReturnValue:
    _fees_on()
    month = month_arg()
    lines, _ = _settlement(month)
    body = write_csv(fees.SETTLEMENT_HEADER, fees.settlement_rows(lines))
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=settlement-{month}.csv"},
    )
