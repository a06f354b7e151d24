"""活動報告 and 保険 on the desk: a month's activity report (活動報告書) as PDF or CSV, and the insurer's
advance list of accepted visits (only while OTAGAI_INSURANCE=on): the documents `otagai report` and
`otagai insurance visits` write, from the same functions."""

from __future__ import annotations

import re
from datetime import datetime

from flask import Response, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue

from bot.desk import blueprint
from bot.desk.auth import current_account, now, unit_of_work
from bot.roster import write_csv
from db import activity
from db.places import place_numbers
from db.reports import month_bounds
from handlers import insurance

MONTH = re.compile(r"\d{4}-\d{2}")


def month_arg() -> str:
    """?month=YYYY-MM, else this month in the organisation's time zone (a bad month is a 400)."""
    zone = current_app.extensions["otagai.settings"].timezone
    month = request.args.get("month") or now().astimezone(zone).strftime("%Y-%m")
    if not MONTH.fullmatch(month):
        abort(400)
    return month


def _bounds(month: str) -> tuple[datetime, datetime]:
    try:
        return month_bounds(month, current_app.extensions["otagai.settings"].timezone)
    except ValueError:
        abort(400)


def _visits(month: str) -> list[activity.Visit]:
    start, end = _bounds(month)
    with unit_of_work() as db:
        current_account(db)
        return list(activity.visits(db, start, end, current_app.extensions["otagai.settings"].timezone))


@blueprint.get("/reports")
def reports() -> ResponseReturnValue:
    month = month_arg()
    found = _visits(month)
    return render_template(
        "desk/reports.html",
        month=month,
        visits=len(found),
        supporters=len({v.supporter_id for v in found}),
        minutes=sum(v.minutes or 0 for v in found),
    )


@blueprint.get("/reports.pdf")
def report_pdf() -> ResponseReturnValue:
    # Imported when a PDF is asked for: fpdf2 and its fonts would slow every web worker's start.
    from bot.activity_report import visits_pdf

    month = month_arg()
    settings = current_app.extensions["otagai.settings"]
    start, end = _bounds(month)
    with unit_of_work() as db:
        current_account(db)
        places = place_numbers(db, start, end)
    data = visits_pdf(
        month, _visits(month), organisation=settings.organisation_name, with_fees=settings.fees, places=places
    )
    return _download(data, "application/pdf", f"activity-{month}.pdf")


@blueprint.get("/reports.csv")
def report_csv() -> ResponseReturnValue:
    from bot.activity_report import visits_csv

    month = month_arg()
    return _download(visits_csv(month, _visits(month)), "text/csv", f"activity-{month}.csv")


def _insurance_on() -> None:
    if not current_app.extensions["otagai.settings"].insurance:
        abort(404)


def _advance_list(month: str) -> list[insurance.Visit]:
    start, end = _bounds(month)
    with unit_of_work() as db:
        current_account(db)
        return list(insurance.visits(db, start, end, current_app.extensions["otagai.settings"].timezone))


@blueprint.get("/insurance")
def insurance_page() -> ResponseReturnValue:
    _insurance_on()
    month = month_arg()
    return render_template("desk/insurance.html", month=month, visits=_advance_list(month))


@blueprint.get("/insurance.csv")
def insurance_csv() -> ResponseReturnValue:
    _insurance_on()
    month = month_arg()
    body = write_csv(insurance.VISIT_HEADER, insurance.visit_rows(_advance_list(month)))
    return _download(body, "text/csv", f"insurance-visits-{month}.csv")


def _download(data: bytes, mimetype: str, name: str) -> Response:
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={name}"})
