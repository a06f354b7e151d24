"""Finding the community's places in chat: 「近くのこども食堂」「今日やってる食堂」, or a location sent.

Food offers (「野菜が余ってます」「お米を寄付したい」) take the same path: the offer is kept for the
coordinators (`otagai places food`), and the giver is shown the nearest drop-off or cafeteria that
accepts that food, with its next opening; a place that said it needs that food this week
(`otagai places needs`, the desk) comes first, its needs on the card.

The nearest places of the kinds asked for come as a carousel with their next opening; 行き方 sends the
place as a LINE location message. Without a registered place the bot asks where first.

stateDiagram-v2
    [*] --> show: search, registered place known
    [*] --> WHERE: search, no place known
    WHERE --> show: location / typed town or 郵便番号
    WHERE --> WHERE: place not understood (asked again)
    WHERE --> [*]: やめる
    [*] --> WHERE: food offer, no place known (data: gift id)
    show --> [*]
"""

from __future__ import annotations

from datetime import datetime, timedelta

from db import conversations
from db.models import CommunityPlace, Conversation, FoodGift, PlaceNeed
from db.places import NearPlace, nearest, needs_now
from handlers import postback, texts, ui
from handlers.common import cancel_button, main_menu
from handlers.context import Context
from handlers.flow import Flow
from handlers.places import (
    SAME_NAME,
    Place,
    home_unknown,
    place_from_home,
    read_typed_place,
    remember_home,
    same_name_question,
)
from matching.community import FoodOffer, PlaceQuery, accepts, kind_label
from matching.geocode import SameName
from matching.opening import JST

FLOW = "find_place"
SEARCH_KM = 15.0
SHOWN = 5


def start(ctx: Context, query: PlaceQuery) -> None:
    home = place_from_home(ctx.sender)
    if home is not None:
        show(ctx, home, query)
        return
    conversations.set_state(
        ctx.session,
        ctx.sender.id,
        FLOW,
        "where",
        {"kinds": list(query.kinds), "today": query.today},
        now=ctx.now,
    )
    ctx.reply(ask_where())


def ask_where() -> ui.Message:
    return ui.text(texts.PLACES_ASK_WHERE, [ui.location_action(texts.PLACES_SEND_LOCATION), cancel_button()])


FOOD_KINDS = ("food_dropoff", "kodomo_shokudo", "chiiki_shokudo")


def start_food(ctx: Context, text: str, offer: FoodOffer) -> None:
    """Keep the offer for the coordinators, then point to where it can go."""
    gift = FoodGift(member_id=ctx.sender.id, text=text[:1000], foods=list(offer.foods), created_at=ctx.now)
    ctx.session.add(gift)
    ctx.session.flush()
    home = place_from_home(ctx.sender)
    if home is not None:
        show_food(ctx, home, gift)
        return
    data = {"kinds": list(FOOD_KINDS), "today": False, "gift": gift.id}
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, "where", data, now=ctx.now)
    foods = texts.KIND_SEPARATOR.join(offer.foods)
    ctx.reply(
        ui.text(
            texts.FOOD_ASK_WHERE.format(foods=foods),
            [ui.location_action(texts.PLACES_SEND_LOCATION), cancel_button()],
        )
    )


def show_food(ctx: Context, place: Place, gift: FoodGift) -> None:
    found = nearest(ctx.session, place.lat, place.lon, ctx.now, FOOD_KINDS, limit=30, max_km=SEARCH_KM)
    foods = tuple(str(f) for f in gift.foods)
    needs = needs_now(ctx.session, ctx.now)

    def needed(near: NearPlace) -> bool:
        need = needs.get(near.place.id)
        return need is not None and bool(set(foods) & {str(f) for f in need.foods})

    taking = [near for near in found if needed(near) or accepts(near.place.accepts_food, foods)]
    # Open at all first; then a place that needs this food this week; then a drop-off before a cafeteria
    # at the same distance band (it is what the place is for).
    taking.sort(
        key=lambda near: (
            near.opens is None,
            not needed(near),
            near.place.kind != "food_dropoff",
            round(near.km),
        )
    )
    label = texts.KIND_SEPARATOR.join(foods)
    if not taking:
        ctx.reply(ui.text(texts.FOOD_NO_PLACE.format(foods=label), main_menu(ctx)))
        return
    gift.place_id = taking[0].place.id
    shown = taking[:3]
    names = texts.LIST_SEPARATOR.join(near.place.name for near in shown)
    bubbles = [_bubble(near, ctx.now, needs.get(near.place.id)) for near in shown]
    lead = texts.FOOD_THANKS_NEEDED if needed(taking[0]) else texts.FOOD_THANKS
    ctx.reply(
        ui.text(lead.format(foods=label, place=taking[0].place.name)),
        ui.flex(texts.PLACES_ALT.format(names=names), ui.carousel(bubbles), main_menu(ctx)),
    )


def _gift_of(ctx: Context, state: Conversation) -> FoodGift | None:
    gift_id = state.data.get("gift")
    return ctx.session.get(FoodGift, gift_id) if isinstance(gift_id, int) else None


def _query_of(state: Conversation) -> PlaceQuery:
    kinds = state.data.get("kinds") or []
    return PlaceQuery(tuple(str(k) for k in kinds), bool(state.data.get("today")))


def on_location(ctx: Context, state: Conversation, place: Place | None) -> None:
    if place is None:
        ctx.reply(ask_where())
        return
    conversations.clear_state(ctx.session, ctx.sender.id)
    remember_home(ctx.sender, place)  # one tap less next time, as for a 困りごと
    _answer(ctx, state, place)


def _answer(ctx: Context, state: Conversation, place: Place) -> None:
    gift = _gift_of(ctx, state)
    if gift is not None:
        show_food(ctx, place, gift)
    else:
        show(ctx, place, _query_of(state))


def on_text(ctx: Context, state: Conversation, text: str) -> None:
    if home_unknown(ctx.sender, text):
        buttons = [ui.location_action(texts.PLACES_SEND_LOCATION), cancel_button()]
        ctx.reply(ui.text(texts.PLACE_NO_HOME, buttons))
        return
    found = read_typed_place(ctx, text, state.data.get(SAME_NAME))
    buttons = [ui.location_action(texts.PLACES_SEND_LOCATION), cancel_button()]
    if isinstance(found, SameName):
        data = {**state.data, SAME_NAME: found.name}  # 「自由が丘」 alone: the 区 or 市 is asked for
        conversations.set_state(ctx.session, ctx.sender.id, FLOW, state.step, data, now=ctx.now)
        ctx.reply(ui.text(same_name_question(found), buttons))
        return
    if found is None:
        ctx.reply(ui.text(texts.PLACES_WHERE_UNKNOWN, buttons))
        return
    conversations.clear_state(ctx.session, ctx.sender.id)
    _answer(ctx, state, Place(found.lat, found.lon, found.label, found.label))


def any_near(ctx: Context, place: Place) -> bool:
    """Whether a location sent outside any flow has places near it (then it is read as a search)."""
    return bool(nearest(ctx.session, place.lat, place.lon, ctx.now, limit=1, max_km=SEARCH_KM))


def show(ctx: Context, place: Place, query: PlaceQuery) -> None:
    found = nearest(
        ctx.session, place.lat, place.lon, ctx.now, query.kinds, limit=SHOWN * 3, max_km=SEARCH_KM
    )
    quick = [ui.location_action(texts.PLACES_OTHER_PLACE), *main_menu(ctx)]
    if not found:
        ctx.reply(ui.text(texts.PLACES_NONE.format(km=f"{SEARCH_KM:g}"), quick))
        return
    where = place.area or place.address or texts.PLACES_HOME
    if query.today:
        today = [near for near in found if near.opens is not None and _same_day(near.opens, ctx.now)]
        lead = texts.PLACES_FOUND_TODAY.format(where=where) if today else texts.PLACES_NONE_TODAY
        found = today or found
    else:
        lead = texts.PLACES_FOUND.format(where=where)
    found = found[:SHOWN]
    names = texts.LIST_SEPARATOR.join(near.place.name for near in found)
    bubbles = [_bubble(near, ctx.now) for near in found]
    ctx.reply(ui.text(lead), ui.flex(texts.PLACES_ALT.format(names=names), ui.carousel(bubbles), quick))


def _bubble(near: NearPlace, now: datetime, need: PlaceNeed | None = None) -> dict[str, object]:
    place = near.place
    rows = [
        (texts.PLACES_KIND, kind_label(place.kind)),
        (texts.PLACES_DISTANCE, distance_text(near.km)),
        (texts.PLACES_NEXT, next_text(near.opens, near.closes, now)),
        (texts.PLACES_HOURS, place.opening_text),
    ]
    if need is not None:
        wanted = "・".join(str(f) for f in need.foods)
        rows.append((texts.PLACES_NEEDS, " ".join(part for part in (wanted, need.note) if part)))
    if place.price:
        rows.append((texts.PLACES_PRICE, place.price))
    if place.audience:
        rows.append((texts.PLACES_WHO, place.audience))
    go = ui.postback(texts.PLACES_GO, postback.encode("plgo", p=place.id), texts.PLACES_GO, flex=True)
    return ui.card(place.name, rows, [go], note=place.note or None)


def distance_text(km: float) -> str:
    if km < 1:
        return texts.PLACES_M.format(m=max(100, round(km * 10) * 100))
    return texts.PLACES_KM.format(km=f"{km:.1f}")


def next_text(opens: datetime | None, closes: datetime | None, now: datetime) -> str:
    if opens is None or closes is None:
        return texts.PLACES_NOT_SCHEDULED
    start, end = opens.astimezone(JST), closes.astimezone(JST)
    hours = {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}
    here = now.astimezone(JST)
    if start <= here:
        return texts.PLACES_OPEN_NOW.format(end=hours["end"])
    if start.date() == here.date():
        return texts.PLACES_TODAY.format(**hours)
    if start.date() == here.date() + timedelta(days=1):
        return texts.PLACES_TOMORROW.format(**hours)
    return texts.PLACES_ON_DAY.format(
        month=start.month, day=start.day, weekday=texts.WEEKDAYS[start.weekday()], **hours
    )


def _same_day(moment: datetime, now: datetime) -> bool:
    return moment.astimezone(JST).date() <= now.astimezone(JST).date()


def on_directions(ctx: Context, fields: dict[str, str]) -> None:
    """行き方: the place as a LINE location message (the phone opens its map from it)."""
    place_id = postback.int_field(fields, "p")
    place = None if place_id is None else ctx.session.get(CommunityPlace, place_id)
    if place is None:
        ctx.reply(ui.text(texts.PLACES_GONE, main_menu(ctx)))
        return
    ctx.reply(ui.location(place.name, place.address, place.lat, place.lon))


# Asking for another kind of place, or offering food, while asked where: that starts afresh.
CONVERSATION = Flow(
    FLOW, on_text=on_text, on_location=on_location, lets_through=frozenset({"find-place", "food-offer"})
)
