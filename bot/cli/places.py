"""`otagai places`: import the community's places from CSV, list them with their next opening, close a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import click
from sqlalchemy.orm import Session

from bot.cli.support import database_session, file_problems, require_database, settings_or_fail
from bot.place_import import read_places
from bot.roster import RosterError
from db import shifts as shift_repo
from db.models import CommunityPlace, FoodGift
from db.places import (
    SHIFT_ROLES,
    all_gifts,
    all_places,
    close_on,
    hours_of,
    needs_now,
    post_shift,
    save_places,
    set_needs,
    waiting_gifts,
)
from matching.community import accepts, food_kind_names, food_kinds, kind_label
from matching.opening import next_opening
from matching.privacy import mask_personal


@click.group()
def places() -> None:
    """The community's places: こども食堂, 地域食堂, みんなのおうち, サロン, food drop-offs."""


@places.command("import")
@click.argument("csv_file", type=click.Path(path_type=Path, dir_okay=False))
def import_places(csv_file: Path) -> None:
    """Create or update places from CSV_FILE (kind,name,address,latitude,longitude,opening,note);
    nothing is imported if any row is bad."""
    settings = settings_or_fail()
    require_database(settings)
    try:
        rows = read_places(csv_file)
    except RosterError as exc:
        raise file_problems(csv_file, exc) from exc
    with database_session(settings) as session:
        created, updated = save_places(session, rows)
    click.echo(f"imported {len(rows)} places ({created} new, {updated} updated)")


@places.command("list")
def list_places() -> None:
    """Every place with its opening times and next opening."""
    settings = settings_or_fail()
    now = datetime.now(UTC)
    with database_session(settings) as session:
        for place in all_places(session):
            window = next_opening(hours_of(place), now)
            upcoming = window[0].strftime("%Y-%m-%d %H:%M") if window else "-"
            click.echo(
                f"{place.id}\t{kind_label(place.kind)}\t{place.name}\t{place.opening_text}\tnext {upcoming}"
            )


@places.command("close")
@click.argument("place_id", type=int)
@click.argument("day", metavar="YYYY-MM-DD")
def close_place(place_id: int, day: str) -> None:
    """Close PLACE_ID on one day (a one-off closure); the chat then shows its next opening after it."""
    try:
        closed = date.fromisoformat(day)
    except ValueError as exc:
        raise click.BadParameter(f"{day!r} is not a date such as 2026-12-24", param_hint="DAY") from exc
    with database_session(settings_or_fail()) as session:
        place = session.get(CommunityPlace, place_id)
        if place is None:
            raise click.ClickException(f"no place with id {place_id} (see `otagai places list`)")
        close_on(place, closed)
        click.echo(f"{place.name} is closed on {closed.isoformat()}")


@places.command("food")
@click.option("--all", "show_all", is_flag=True, help="Also the offers already passed on.")
def food_offers(show_all: bool) -> None:
    """Food offered in chat (「野菜が余ってます」) waiting to be passed on, oldest first."""
    settings = settings_or_fail()
    with database_session(settings) as session:
        gifts = all_gifts(session) if show_all else waiting_gifts(session)
        if not gifts:
            click.echo("no food offers waiting")
        for gift in gifts:
            place = session.get(CommunityPlace, gift.place_id) if gift.place_id else None
            when = gift.created_at.astimezone(settings.timezone).strftime("%Y-%m-%d %H:%M")
            state = "passed on" if gift.passed_on_at else "waiting"
            pointed = place.name if place else "(no place nearby)"
            foods = "・".join(str(f) for f in gift.foods)
            click.echo(f"{gift.id}\t{when}\t{state}\t{foods}\t{pointed}\t{mask_personal(gift.text)}")


@places.command("food-done")
@click.argument("gift_id", type=int)
def food_done(gift_id: int) -> None:
    """Mark food offer GIFT_ID as passed on (it then counts in the monthly report)."""
    with database_session(settings_or_fail()) as session:
        gift = session.get(FoodGift, gift_id)
        if gift is None:
            raise click.ClickException(f"no food offer with id {gift_id} (see `otagai places food`)")
        if gift.passed_on_at is None:
            gift.passed_on_at = datetime.now(UTC)
        click.echo(f"food offer {gift_id} passed on")


ROLES = SHIFT_ROLES


@places.command("shift")
@click.argument("place_id", type=int)
@click.option(
    "--at", "at", required=True, metavar="ISO8601", help="Start, e.g. 2026-12-02T16:00 (local time)."
)
@click.option("--hours", default=2.0, show_default=True, type=click.FloatRange(0.5, 12))
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--people", type=click.IntRange(1, 50), required=True, help="How many people are needed.")
@click.option("--note", default="", help="What to bring, who to ask for.")
def add_shift(place_id: int, at: str, hours: float, role: str, people: int, note: str) -> None:
    """Post help PLACE_ID needs at a time; people sign up in chat with 「お手伝いの募集」."""
    settings = settings_or_fail()
    require_database(settings)  # before the values: fix the setup first
    try:
        start = datetime.fromisoformat(at)
    except ValueError as exc:
        raise click.BadParameter(f"{at!r} is not a time such as 2026-12-02T16:00", param_hint="--at") from exc
    if start.tzinfo is None:
        start = start.replace(tzinfo=settings.timezone)
    with database_session(settings) as session:
        place = session.get(CommunityPlace, place_id)
        if place is None:
            raise click.ClickException(f"no place with id {place_id} (see `otagai places list`)")
        shift = post_shift(session, place, start, hours, role, people, note)
        click.echo(f"shift {shift.id}: {place.name} {role} x{people} at {start.isoformat()}")


@places.command("shifts")
@click.option("--all", "show_all", is_flag=True, help="Also shifts already over.")
def list_shifts(show_all: bool) -> None:
    """Coming shifts and who is coming to each (for the place's coordinator)."""
    settings = settings_or_fail()
    ending_after = None if show_all else datetime.now(UTC)
    with database_session(settings) as session:
        shifts = shift_repo.all_shifts(session, ending_after)
        found = False
        for shift in shifts:
            found = True
            place = session.get(CommunityPlace, shift.place_id)
            names = shift_repo.coming_names(session, shift.id)
            start = shift.starts_at.astimezone(settings.timezone).strftime("%Y-%m-%d %H:%M")
            coming = "、".join(n or "?" for n in names) or "-"
            name = place.name if place else "?"
            click.echo(f"{shift.id}\t{start}\t{name}\t{shift.role}\t{shift.taken}/{shift.needed}\t{coming}")
        if not found:
            click.echo("no coming shifts")


@places.command("needs")
@click.argument("place_id", type=int, required=False)
@click.argument("words", nargs=-1)
@click.option("--note", default="", help="A word for givers, e.g. 「お米は10kgまで」.")
@click.option("--clear", is_flag=True, help="The place needs nothing in particular this week.")
@click.option("--week", metavar="YYYY-MM-DD", help="Any day of another week (e.g. next week's needs ahead).")
def place_needs(
    place_id: int | None, words: tuple[str, ...], note: str, clear: bool, week: str | None
) -> None:
    """What PLACE_ID needs this week (e.g. `needs 3 野菜 お米 調味料`); without PLACE_ID, every place's needs
    this week and the food offers waiting that fit them."""
    settings = settings_or_fail()
    require_database(settings)
    now = datetime.now(UTC)
    if week is not None:
        try:
            day = date.fromisoformat(week)
        except ValueError as exc:
            raise click.BadParameter(
                f"{week!r} is not a date such as 2026-12-07", param_hint="--week"
            ) from exc
        now = datetime.combine(day, datetime.min.time(), tzinfo=settings.timezone) + timedelta(hours=12)
    with database_session(settings) as session:
        if place_id is None:
            _show_needs(session, now)
            return
        place = session.get(CommunityPlace, place_id)
        if place is None:
            raise click.ClickException(f"no place with id {place_id} (see `otagai places list`)")
        foods = () if clear else food_kinds(" ".join(words))
        if not foods and not clear and not note:
            raise click.BadParameter(
                f"name the food this week: {'、'.join(food_kind_names())}", param_hint="WORDS"
            )
        set_needs(session, place, foods, "" if clear else note, now)
        click.echo(f"{place.name} needs this week: {'・'.join(foods) or '-'} {note}".rstrip())


def _show_needs(session: Session, now: datetime) -> None:
    needs = needs_now(session, now)
    if not needs:
        click.echo("no place has said what it needs this week")
    gifts = waiting_gifts(session)
    for place_id, need in needs.items():
        place = session.get(CommunityPlace, place_id)
        wanted = tuple(str(f) for f in need.foods)
        fitting = [g for g in gifts if wanted and accepts("、".join(wanted), tuple(str(f) for f in g.foods))]
        offers = ", ".join(str(g.id) for g in fitting) or "-"
        name = place.name if place else "?"
        click.echo(
            f"{place_id}\t{name}\t{'・'.join(wanted) or '-'}\t{need.note}\tfood offers waiting: {offers}"
        )
