"""Fees paid in prepaid tickets (利用券), when the organisation charges (OTAGAI_FEES=on).

After the resident's 完了した, the supporter gives the time (as for time credits), then travel and
materials at cost; the visit is charged once, the resident's tickets are used, and both are told the
amount in plain words. A resident who cancels a matched request on its own day pays one hour.

stateDiagram-v2
    [*] --> EXTRAS: time recorded (かかった時間)
    EXTRAS --> [*]: なし, or 「交通費300円 材料費500円」 typed (charged, both told)
    EXTRAS --> [*]: やめる (charged with no extras)
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import holidays

from db import conversations
from db import fees as fee_repo
from db.models import Conversation, HelpRequest, Member, RequestStatus
from db.outbox import PRIORITY_NORMAL
from handlers import postback, texts, ui
from handlers.common import label_of, main_menu, name_of
from handlers.context import Context
from handlers.flow import Flow

if TYPE_CHECKING:
    from handlers.settings import Settings

FLOW = "fee"
MAX_EXTRA_YEN = 100_000  # a typing slip (an extra zero or three) is asked again, not charged


class Step(enum.StrEnum):
    EXTRAS = "extras"


@dataclass(frozen=True)
class Tariff:
    """The organisation's rates: per hour, at night or on a public holiday, and the helper's share."""

    hourly_yen: int
    night_holiday_yen: int
    night_start: time
    night_end: time
    helper_percent: int

    @classmethod
    def of(cls, settings: Settings) -> Tariff:
        return cls(
            hourly_yen=settings.fee_hourly_yen,
            night_holiday_yen=settings.fee_night_holiday_yen or settings.fee_hourly_yen,
            night_start=settings.fee_night_start,
            night_end=settings.fee_night_end,
            helper_percent=settings.fee_helper_percent,
        )

    def rate_at(self, local: datetime) -> int:
        """The hourly rate for a visit starting at this local time."""
        return (
            self.night_holiday_yen
            if is_night(local.time(), self) or is_holiday(local.date())
            else self.hourly_yen
        )


def is_night(moment: time, tariff: Tariff) -> bool:
    start, end = tariff.night_start, tariff.night_end
    if start == end:
        return False
    return start <= moment < end if start < end else moment >= start or moment < end


@lru_cache(maxsize=8)
def _japanese_holidays(year: int) -> holidays.HolidayBase:
    # One read-only table per year, shared by web threads (a lazily growing one would be written to).
    return holidays.country_holidays("JP", years=year)


def is_holiday(day: date) -> bool:
    """Japanese public holidays (祝日・振替休日), from the maintained `holidays` package."""
    return day in _japanese_holidays(day.year)


@dataclass(frozen=True)
class Price:
    minutes: int
    hourly_yen: int
    labour_yen: int
    travel_yen: int
    materials_yen: int
    helper_yen: int
    org_yen: int

    @property
    def total_yen(self) -> int:
        return self.labour_yen + self.travel_yen + self.materials_yen


def price(
    minutes: int, hourly_yen: int, helper_percent: int, travel_yen: int = 0, materials_yen: int = 0
) -> Price:
    """Labour by the minute (rounded to the yen), the helper's share of it, and extras passed on at cost."""
    labour = (minutes * hourly_yen + 30) // 60
    helper_labour = (labour * helper_percent + 50) // 100
    return Price(
        minutes=minutes,
        hourly_yen=hourly_yen,
        labour_yen=labour,
        travel_yen=travel_yen,
        materials_yen=materials_yen,
        helper_yen=helper_labour + travel_yen + materials_yen,
        org_yen=labour - helper_labour,
    )


def yen(amount: int) -> str:
    return texts.YEN.format(amount=amount)


def estimate_text(settings: Settings) -> str:
    """What the resident reads on the confirmation card before sending a request."""
    tariff = Tariff.of(settings)
    if tariff.night_holiday_yen != tariff.hourly_yen:
        return texts.FEE_ESTIMATE_NIGHT.format(
            hourly=yen(tariff.hourly_yen), night=yen(tariff.night_holiday_yen)
        )
    return texts.FEE_ESTIMATE.format(hourly=yen(tariff.hourly_yen))


def cost_answer(settings: Settings) -> str:
    """What help costs, for a resident who asks mid-step: free, or the organisation's price."""
    if not settings.fees:
        return texts.COST_FREE
    return texts.COST_FEES.format(estimate=estimate_text(settings))


# --- after the time is recorded --------------------------------------------------------------------


def fee_of(ctx: Context, request: HelpRequest) -> object | None:
    return fee_repo.fee_of(ctx.session, request.id)


def ask_extras(ctx: Context, request: HelpRequest, minutes: int, recorded: str) -> None:
    """The time is in: travel and materials next (なし, or typed amounts)."""
    data = {"request_id": request.id, "minutes": minutes}
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, Step.EXTRAS, data, now=ctx.now)
    ctx.reply(ui.text(f"{recorded}\n{texts.FEE_ASK_EXTRAS}", _extras_buttons(request.id)))


def _extras_buttons(request_id: int) -> list[ui.Action]:
    return [ui.postback(texts.FEE_NO_EXTRAS, postback.encode("fee", r=request_id), texts.FEE_NO_EXTRAS)]


def on_postback(ctx: Context, fields: dict[str, str]) -> None:
    """なし: no travel or materials."""
    state = conversations.get_state(ctx.session, ctx.sender.id)
    request_id = postback.int_field(fields, "r")
    if state is None or state.flow != FLOW or state.data.get("request_id") != request_id:
        ctx.reply(ui.text(texts.FEE_ALREADY, main_menu(ctx)))
        return
    _finish(ctx, state, 0, 0)


_TRAVEL = re.compile(r"(交通費?|こうつうひ?|電車|バス|ガソリン|駐車)[^\d]*(\d+)")
_MATERIALS = re.compile(r"(材料費?|ざいりょうひ?|部品|道具|買い物|電球)[^\d]*(\d+)")
_ANY_AMOUNT = re.compile(r"(\d+)")
_NONE = re.compile(r"^(なし|無し|ない|ありません|ないです|0|０|0円)$")


def parse_extras(text: str) -> tuple[int, int] | None:
    """(travel, materials) in yen from 「交通費300円 材料費480円」; a lone amount is travel; None: unclear."""
    plain = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "").replace("、", "")
    if _NONE.match(plain):
        return 0, 0
    travel = _TRAVEL.search(plain)
    materials = _MATERIALS.search(plain)
    if travel or materials:
        found = (int(travel.group(2)) if travel else 0, int(materials.group(2)) if materials else 0)
    else:
        amounts = _ANY_AMOUNT.findall(plain)
        if len(amounts) != 1:
            return None
        found = (int(amounts[0]), 0)
    return found if all(0 <= amount <= MAX_EXTRA_YEN for amount in found) else None


def on_text(ctx: Context, state: Conversation, text: str) -> None:
    extras = parse_extras(text)
    if extras is None:
        ctx.reply(ui.text(texts.FEE_EXTRAS_UNCLEAR, _extras_buttons(int(state.data["request_id"]))))
        return
    _finish(ctx, state, *extras)


def reprompt(ctx: Context, state: Conversation) -> None:
    ctx.reply(ui.text(texts.FEE_ASK_EXTRAS, _extras_buttons(int(state.data["request_id"]))))


def cancel(ctx: Context, state: Conversation) -> None:
    """Leaving the step still charges the visit, without extras: the time was given."""
    _finish(ctx, state, 0, 0, quiet=True)


def _finish(ctx: Context, state: Conversation, travel: int, materials: int, *, quiet: bool = False) -> None:
    conversations.clear_state(ctx.session, ctx.sender.id)
    request = ctx.session.get(HelpRequest, int(state.data["request_id"]))
    if request is None or request.status != RequestStatus.DONE or request.accepted_by_id != ctx.sender.id:
        if not quiet:
            ctx.reply(ui.text(texts.FEE_ALREADY, main_menu(ctx)))
        return
    start = request.wanted_at or ctx.now
    tariff = Tariff.of(ctx.settings)
    cost = price(
        int(state.data["minutes"]),
        tariff.rate_at(ctx.local(start)),
        tariff.helper_percent,
        travel,
        materials,
    )
    if not charge(ctx, request, ctx.sender, cost, "visit"):
        if not quiet:
            ctx.reply(ui.text(texts.FEE_ALREADY, main_menu(ctx)))
        return
    if not quiet:
        ctx.reply(
            ui.text(
                texts.FEE_RECORDED_SUPPORTER.format(total=yen(cost.total_yen), share=yen(cost.helper_yen)),
                main_menu(ctx),
            )
        )
    left = fee_repo.balance(ctx.session, request.requester_id)
    ctx.push(
        [request.requester.line_user_id],
        [ui.text(resident_text(request, ctx.sender, cost, left))],
        priority=PRIORITY_NORMAL,
    )


def charge(ctx: Context, request: HelpRequest, supporter: Member, cost: Price, kind: str) -> bool:
    return fee_repo.charge(ctx.session, fee_values(request, supporter, cost, kind, ctx.now))


def fee_values(
    request: HelpRequest, supporter: Member, cost: Price, kind: str, now: datetime
) -> dict[str, Any]:
    """The visit_fees row for a charge (visit, same-day cancel, or the resident absent)."""
    return {
        "request_id": request.id,
        "resident_id": request.requester_id,
        "supporter_id": supporter.id,
        "kind": kind,
        "minutes": cost.minutes,
        "hourly_yen": cost.hourly_yen,
        "labour_yen": cost.labour_yen,
        "travel_yen": cost.travel_yen,
        "materials_yen": cost.materials_yen,
        "helper_yen": cost.helper_yen,
        "org_yen": cost.org_yen,
        "charged_at": now,
    }


def balance_text(left: int) -> str:
    if left >= 0:
        return texts.FEE_BALANCE_LEFT.format(left=yen(left))
    return texts.FEE_BALANCE_SHORT.format(short=yen(-left))


def breakdown(cost: Price) -> str:
    parts = [
        texts.FEE_PART_LABOUR.format(duration=texts.duration_text(cost.minutes), amount=yen(cost.labour_yen))
    ]
    if cost.travel_yen:
        parts.append(texts.FEE_PART_TRAVEL.format(amount=yen(cost.travel_yen)))
    if cost.materials_yen:
        parts.append(texts.FEE_PART_MATERIALS.format(amount=yen(cost.materials_yen)))
    return texts.LIST_SEPARATOR.join(parts)


def resident_text(request: HelpRequest, supporter: Member, cost: Price, left: int) -> str:
    """The amount in plain words, and what is left on the tickets (or what is owed)."""
    head = texts.FEE_RESIDENT.format(
        category=label_of(request.category),
        name=name_of(request, supporter),
        total=yen(cost.total_yen),
        breakdown=breakdown(cost),
    )
    tail = (
        texts.FEE_BALANCE_LEFT.format(left=yen(left))
        if left >= 0
        else texts.FEE_BALANCE_SHORT.format(short=yen(-left))
    )
    return f"{head}\n{tail}"


# --- a same-day cancellation ------------------------------------------------------------------------


def same_day_cancel_fee(ctx: Context, request: HelpRequest) -> Price | None:
    """One hour at the visit's rate when a matched request is cancelled on its own day (None: free)."""
    if not ctx.settings.fees or request.status != RequestStatus.MATCHED or request.wanted_at is None:
        return None
    if ctx.local(request.wanted_at).date() != ctx.local(ctx.now).date():
        return None
    tariff = Tariff.of(ctx.settings)
    return price(60, tariff.rate_at(ctx.local(request.wanted_at)), tariff.helper_percent)


def charge_cancellation(ctx: Context, request: HelpRequest, supporter: Member, cost: Price) -> str:
    """Charge the cancellation; the line the resident reads about it."""
    charge(ctx, request, supporter, cost, "cancel")
    left = fee_repo.balance(ctx.session, request.requester_id)
    tail = (
        texts.FEE_BALANCE_LEFT.format(left=yen(left))
        if left >= 0
        else texts.FEE_BALANCE_SHORT.format(short=yen(-left))
    )
    return f"{texts.FEE_CANCEL_CHARGED.format(amount=yen(cost.total_yen))}\n{tail}"


SETTLEMENT_HEADER = ("区分", "名前", "件数", "利用料", "交通費", "材料費", "金額", "利用券残高")
SETTLEMENT_ROLES = {"resident": "利用者（支払）", "helper": "サポーター（受取）", "scheme": "団体（受取）"}


def settlement_rows(lines: Sequence[fee_repo.SettlementLine]) -> list[tuple[Any, ...]]:
    """A month's settlement as the CSV has it, one row per person (`otagai fees settle` and the desk)."""
    return [
        (
            SETTLEMENT_ROLES[line.role],
            line.name or ("団体" if line.role == "scheme" else "（名前なし）"),
            line.visits,
            line.labour_yen,
            line.travel_yen,
            line.materials_yen,
            line.amount_yen,
            "" if line.balance_yen is None else line.balance_yen,
        )
        for line in lines
    ]


CONVERSATION = Flow(FLOW, cancel=cancel, on_text=on_text, reprompt=reprompt)
