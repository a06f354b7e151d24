"""`otagai requests`: what waits for a coordinator, each request's story, and a first visit together."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import click
from sqlalchemy.orm import Session

from bot.cli.audit import audit
from bot.cli.support import database_session, one_member, operator_context, person_label, settings_or_fail
from db import followups as followup_repo
from db import lifecycle
from db import requests as request_repo
from db.models import HelpRequest, Proposal, RequestStatus
from handlers import first_visit as first_visit_flow
from matching import category_label

# The desk's inbox by default: requests still in play that the bot has handed to a person.
ACTIVE = (RequestStatus.OPEN.value, RequestStatus.MATCHED.value)
LISTED_STATUSES = [s.value for s in RequestStatus if s != RequestStatus.DRAFT]


@click.group()
def requests() -> None:
    """The requests: what waits for a coordinator, and each one's story."""


@requests.command("list")
@click.option(
    "--status",
    "statuses",
    type=click.Choice(LISTED_STATUSES),
    multiple=True,
    help="Only these states (repeatable); default: open and matched.",
)
@click.option("--all", "everything", is_flag=True, help="Also the ones not waiting for a coordinator.")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
def list_requests(statuses: tuple[str, ...], everything: bool, limit: int, as_json: bool) -> None:
    """Requests waiting for a coordinator (nobody took them, a no-show, no answer), newest first."""
    settings = settings_or_fail()
    with database_session(settings) as session:
        found = request_repo.for_desk(
            session,
            statuses=[RequestStatus(s) for s in statuses or ACTIVE],
            flagged_only=not everything,
            limit=limit,
        )
        asked = request_repo.proposals_by_request(session, [request.id for request in found])
        rows = [_summary(request, asked[request.id], settings.timezone) for request in found]
    if as_json:
        click.echo(json.dumps({"requests": rows}, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("nothing waiting for a coordinator" if not everything else "no requests")
        return
    for row in rows:
        flag = "要対応 " if row["needs_coordinator"] else ""
        answers = ", ".join(f"{k} {v}" for k, v in row["answers"].items()) or "nobody asked"
        click.echo(
            f"#{row['id']} {flag}[{row['status']}] {row['category_label']} · {row['area'] or '-'} · "
            f"{row['wanted']} · {row['resident']} → {row['supporter'] or '-'} ({answers})"
        )


@requests.command("show")
@click.argument("request_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
def show_request(request_id: int, as_json: bool) -> None:
    """One request in full: text, place, who was asked and what they answered, what is still to come."""
    settings = settings_or_fail()
    with database_session(settings) as session:
        request = _request(session, request_id)
        detail = _detail(session, request, settings.timezone)
    if as_json:
        click.echo(json.dumps(detail, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"#{detail['id']} [{detail['status']}] {detail['category_label']}"
        + ("  要対応" if detail["needs_coordinator"] else "")
    )
    click.echo(f"text: {detail['text']}")
    click.echo(f"resident: {detail['resident']} ({detail['resident_line_user_id'] or 'no LINE'})")
    click.echo(f"place: {detail['address'] or '-'} ({detail['area'] or '-'})")
    click.echo(f"when: {detail['wanted']}; asked for {detail['opened_at']}")
    click.echo(f"supporter: {detail['supporter'] or '-'}")
    for asked in detail["proposals"]:
        click.echo(
            f"  asked {asked['supporter']} (round {asked['round']}, {asked['distance_km']} km) "
            f"at {asked['asked_at']}: {asked['status']}"
        )
    for step in detail["followups"]:
        click.echo(f"  next: {step['kind']} at {step['due_at']}")


@requests.command("resolve")
@click.argument("request_id", type=int)
def resolve_request(request_id: int) -> None:
    """A coordinator has it in hand: take it off the desk's list (the request itself is unchanged)."""
    with database_session(settings_or_fail()) as session:
        if not lifecycle.take_off_desk(session, _request(session, request_id)):
            click.echo(f"request #{request_id} was not waiting for a coordinator")
            return
        click.echo(f"request #{request_id} is off the list")


def _request(session: Session, request_id: int) -> HelpRequest:
    request = session.get(HelpRequest, request_id)
    if request is None or request.status == RequestStatus.DRAFT:
        raise click.ClickException(f"there is no request #{request_id}")
    return request


def _summary(request: HelpRequest, proposals: list[Proposal], zone: ZoneInfo) -> dict[str, Any]:
    answers = Counter(p.status.value for p in proposals)
    return {
        "id": request.id,
        "status": request.status.value,
        "needs_coordinator": request.needs_coordinator,
        "category": request.category,
        "category_label": category_label(request.category) if request.category else "-",
        "area": request.area,
        "wanted": "いつでも" if request.wanted_at is None else _local(request.wanted_at, zone),
        "resident": request.requester.display_name or "-",
        "supporter": request.accepted_by.display_name if request.accepted_by else None,
        "answers": dict(sorted(answers.items())),
    }


def _detail(session: Session, request: HelpRequest, zone: ZoneInfo) -> dict[str, Any]:
    proposals = request_repo.proposals_by_request(session, [request.id])[request.id]
    pending = followup_repo.pending_of(session, request.id)
    return {
        **_summary(request, proposals, zone),
        "text": request.text,
        "address": request.address,
        "resident_line_user_id": request.requester.line_user_id,
        "opened_at": _local(request.opened_at or request.created_at, zone),
        "proposals": [
            {
                "supporter": p.supporter.display_name or "-",
                "status": p.status.value,
                "round": p.match_round,
                "distance_km": round(p.distance_km, 2),
                "asked_at": _local(p.asked_at, zone),
            }
            for p in proposals
        ],
        "followups": [{"kind": f.kind.value, "due_at": _local(f.due_at, zone)} for f in pending],
    }


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


# --- 顔合わせ: a first visit together -------------------------------------------------------------------


@requests.command("first-visit")
@click.argument("request_id", type=int)
@click.argument("coordinator")
@click.option("--off", is_flag=True, help="The coordinator no longer goes along.")
def first_visit(request_id: int, coordinator: str, off: bool) -> None:
    """Mark REQUEST_ID as 顔合わせ: COORDINATOR (LINE display name or user id) goes along the first time,
    and gets its reminders and relay messages too."""
    now = datetime.now(UTC)
    settings = settings_or_fail()
    with database_session(settings) as session:
        request = session.get(HelpRequest, request_id)
        if request is None:
            raise click.ClickException(f"there is no request #{request_id}")
        person = one_member(session, coordinator)
        ctx = operator_context(session, settings, now)
        if off:
            first_visit_flow.unmark(ctx, request)
            audit(session, "first_visit_off", now, request_id=request_id, note=person_label(person))
            click.echo(f"#{request_id}: {person_label(person)} no longer goes along")
            return
        try:
            first_visit_flow.mark(ctx, request, person)
        except first_visit_flow.NoVisit as exc:
            raise click.ClickException(
                f"request #{request_id} is {request.status.value}: nobody visits any more"
            ) from exc
        except first_visit_flow.NotCoordinator as exc:
            raise click.ClickException(
                f"{person_label(person)} is not a coordinator (`otagai coordinators add` first)"
            ) from exc
        audit(session, "first_visit", now, request_id=request_id, note=person_label(person))
    click.echo(
        f"#{request_id} is a 顔合わせ: {person_label(person)} goes along and gets its reminders and messages"
    )
