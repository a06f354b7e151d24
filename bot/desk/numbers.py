"""The numbers for the committee: a month's requests by kind and outcome, time to accept, requests never
accepted, active supporters and hours of help, as SVG charts and CSV (the figures of `otagai report`)."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue

from bot.desk import blueprint, texts
from bot.desk.auth import current_account, now, unit_of_work
from bot.desk.charts import bar_chart
from bot.roster import write_csv
from db.credits import credits
from db.reports import MonthReport, month_report, period_bounds, period_report
from matching import category_label

OUTCOMES = ("done", "matched", "open", "cancelled", "expired")


def _month() -> str:
    """The period's name: ?from=YYYY-MM-DD&to=YYYY-MM-DD (both days included), else ?month=YYYY-MM,
    else this month in the organisation's time zone."""
    first, last = request.args.get("from"), request.args.get("to")
    if first and last:
        return f"{first}〜{last}"
    zone = current_app.extensions["otagai.settings"].timezone
    return request.args.get("month") or now().astimezone(zone).strftime("%Y-%m")


def _report(period: str) -> MonthReport:
    zone = current_app.extensions["otagai.settings"].timezone
    with unit_of_work() as db:
        current_account(db)
        try:
            if "〜" in period:
                first, last = (date.fromisoformat(day) for day in period.split("〜"))
                start, end = period_bounds(first, last, zone)
                return period_report(db, start, end, period)
            return month_report(db, period, zone)
        except ValueError:
            abort(400)


def _label(category: str) -> str:
    return "不明" if category == "unknown" else category_label(category)


@blueprint.get("/numbers")
def numbers() -> ResponseReturnValue:
    month = _month()
    report = _report(month)
    median = report.median_minutes_to_accept
    share = report.unmatched_share
    summary = [
        ("送られた依頼", f"{report.received}件"),
        ("完了", f"{report.by_status.get('done', 0)}件"),
        (
            "だれも引き受けなかった",
            f"{report.unmatched}件" + (f"（{share:.0%}）" if share is not None else ""),
        ),
        ("引き受けまでの時間（中央値）", "-" if median is None else f"{median:.0f}分"),
        ("返事をしたサポーター", f"{report.active_supporters}人"),
        ("手伝った時間", f"{credits(report.minutes_given):g}時間（{report.supporters_who_helped}人）"),
        ("来なかった", f"{report.no_shows}件"),
        # The community's places (issue 15).
        ("場所が開いた回数", f"{report.place_openings}回"),
        ("お手伝いの募集（人がそろった）", f"{report.shifts}件（{report.shifts_filled}件）"),
        ("お手伝いに来た人", f"{report.shift_helpers}人"),
        ("ひらいた教室（参加）", f"{report.classes}回（{report.class_seats}人）"),
        ("食品の申し出（渡した）", f"{report.food_offers}件（{report.food_passed_on}件）"),
    ]
    kinds = [(_label(c), float(sum(counts.values()))) for c, counts in report.by_category.items()]
    outcomes = [(texts.STATUS[s], float(report.by_status.get(s, 0))) for s in OUTCOMES]
    hours = [(line.name, credits(line.given)) for line in report.ledger if line.given][:10]
    table = [
        (_label(c), [counts.get(s, 0) for s in OUTCOMES], sum(counts.values()))
        for c, counts in report.by_category.items()
    ]
    return render_template(
        "desk/numbers.html",
        month=month,
        period_args=_period_args(month),
        summary=summary,
        kinds_chart=bar_chart(f"{month} 種類ごとの依頼", kinds, "件"),
        outcomes_chart=bar_chart(f"{month} 依頼のその後", outcomes, "件"),
        hours_chart=bar_chart(f"{month} サポーターが手伝った時間", hours, "時間"),
        outcome_labels=[texts.STATUS[s] for s in OUTCOMES],
        table=table,
    )


@blueprint.get("/numbers.csv")
def numbers_csv() -> ResponseReturnValue:
    month = _month()
    report = _report(month)
    rows: list[list[object]] = [
        [_label(c), sum(counts.values()), *(counts.get(s, 0) for s in OUTCOMES)]
        for c, counts in report.by_category.items()
    ]
    rows.append(["合計", report.received, *(report.by_status.get(s, 0) for s in OUTCOMES)])
    body = write_csv(["種類", "依頼", *(texts.STATUS[s] for s in OUTCOMES)], rows)
    return _csv(body, f"requests-{_file_part(month)}.csv")


@blueprint.get("/credits.csv")
def credits_csv() -> ResponseReturnValue:
    month = _month()
    report = _report(month)
    rows = [[line.name, credits(line.given), credits(line.received)] for line in report.ledger]
    return _csv(
        write_csv(["名前", "手伝った時間", "手伝ってもらった時間"], rows), f"credits-{_file_part(month)}.csv"
    )


def _period_args(period: str) -> dict[str, str]:
    """The query that names the period again (for the CSV links)."""
    if "〜" in period:
        first, last = period.split("〜")
        return {"from": first, "to": last}
    return {"month": period}


def _file_part(period: str) -> str:
    return period.replace("〜", "_")


def _csv(body: bytes, name: str) -> Response:
    return Response(
        body, mimetype="text/csv", headers={"Content-Disposition": f"attachment; filename={name}"}
    )
