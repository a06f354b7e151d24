"""`otagai areas`: a local committee or hub each; desk accounts of an area see its requests and people."""

from __future__ import annotations

import click

from bot.cli.support import database_session, require_database, settings_or_fail
from db import desk as desk_repo
from db.models import Area
from matching import valid_location


@click.group()
def areas() -> None:
    """Areas (a local committee or hub each): desk accounts of an area see its requests and people."""


@areas.command("add")
@click.argument("name")
@click.option("--lat", type=float, required=True, help="Latitude of the area's centre.")
@click.option("--lon", type=float, required=True, help="Longitude of the area's centre.")
@click.option("--radius-km", type=click.FloatRange(0.1, 100), default=10, show_default=True)
def add_area(name: str, lat: float, lon: float, radius_km: float) -> None:
    """Add or move an area: everything within RADIUS_KM of the centre belongs to it."""
    settings = settings_or_fail()
    require_database(settings)
    if not valid_location(lat, lon):
        raise click.BadParameter(f"({lat}, {lon}) is not a place in Japan", param_hint="--lat/--lon")
    with database_session(settings) as session:
        area = desk_repo.area_named(session, name.strip()) or Area(name=name.strip()[:100])
        area.lat, area.lon, area.radius_km = lat, lon, radius_km
        session.add(area)
        click.echo(f"area {area.name}: {radius_km:g} km around ({lat}, {lon})")


@areas.command("list")
def list_areas() -> None:
    """Show the areas."""
    with database_session(settings_or_fail()) as session:
        found = desk_repo.areas(session)
        if not found:
            click.echo("no areas yet: every desk account sees everything (add one with `otagai areas add`)")
        for area in found:
            click.echo(f"{area.name}  {area.radius_km:g} km around ({area.lat}, {area.lon})")
