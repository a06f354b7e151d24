"""The numbers for the committee: a month's requests by kind and outcome, time to accept, requests never
accepted, active supporters and hours of help, as SVG charts and CSV (the figures of `otagai report`)."""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue

from bot.desk import blueprint, texts
from bot.desk.auth import current_account, now, unit_of_work
from bot.desk.charts import bar_chart
from bot.roster import write_csv
from db.credits import credits
from db.reports import MonthReport, month_report
from matching import category_label

OUTCOMES = ("done", "matched", "open", "cancelled", "expired")


def _month() -> str:
    """?month=YYYY-MM, or this month in the organisation's time zone."""
    zone = current_app.extensions["otagai.settings"].timezone
    return request.args.get("month") or now().astimezone(zone).strftime("%Y-%m")


def _report(month: str) -> MonthReport:
    zone = current_app.extensions["otagai.settings"].timezone
    with unit_of_work() as db:
        current_account(db)
        try:
            return month_report(db, month, zone)
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
    return _csv(body, f"requests-{month}.csv")


@blueprint.get("/credits.csv")
def credits_csv() -> ResponseReturnValue:
    month = _month()
    report = _report(month)
    rows = [[line.name, credits(line.given), credits(line.received)] for line in report.ledger]
    return _csv(write_csv(["名前", "手伝った時間", "手伝ってもらった時間"], rows), f"credits-{month}.csv")


def _csv(body: bytes, name: str) -> Response:
    return Response(
        body, mimetype="text/csv", headers={"Content-Disposition": f"attachment; filename={name}"}
    )
