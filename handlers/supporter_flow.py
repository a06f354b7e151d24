"""Supporter registration and settings: skills → place → radius → confirm; pause and resume.

stateDiagram-v2
    [*] --> SKILLS: サポーターになる / 変更する
    SKILLS --> SKILLS: text or category tap adds skills
    SKILLS --> PLACE: 次へ / 「以上です」 (at least one skill)
    PLACE --> RADIUS: location / registered place / typed town or 郵便番号
    PLACE --> PLACE: a town name several places share (the 区 or 市 asked for)
    RADIUS --> CONFIRM: 1 / 3 / 5 / 10 km (or a distance up to 10 km, typed: 「５キロ」「近所だけ」)
    CONFIRM --> AGREE: 登録する / 「はい」 (the rules in force not agreed to yet)
    CONFIRM --> [*]: 登録する / 「はい」 (agreed already: saved)
    AGREE --> [*]: 同意する / 「はい」 (approved at once, or an applicant until a coordinator meets them)
    CONFIRM --> PLACE: 場所を変える
    CONFIRM --> RADIUS: 距離を変える
    SKILLS --> [*]: やめる
    PLACE --> [*]: やめる
    RADIUS --> [*]: やめる
    CONFIRM --> [*]: やめる (nothing saved)
    AGREE --> [*]: やめる (nothing saved)
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from ja_timex.number_normalizer import kansuji2number

from db import conversations
from db import members as member_repo
from db import supporters as supporter_repo
from db.models import Conversation, SupporterStatus
from handlers import agreement, postback, texts, ui
from handlers.common import cancel_button, label_of, main_menu
from handlers.context import Context
from handlers.flow import Flow
from handlers.notify import push_to_coordinators
from handlers.places import (
    SAME_NAME,
    Place,
    home_unknown,
    place_from_home,
    place_said_back,
    read_typed_place,
    same_name_question,
    set_home,
    typed_place,
)
from matching import categories, quick_categories, skills_from_text
from matching.geocode import SameName
from matching.normalize import to_hiragana
from matching.phrases import answer_of, distance_word, said
from matching.words import agrees

FLOW = "supporter"
RADIUS_CHOICES = (1, 3, 5, 10)


class Step(enum.StrEnum):
    SKILLS = "skills"
    PLACE = "place"
    RADIUS = "radius"
    CONFIRM = "confirm"
    AGREE = "agree"


def start(
    ctx: Context, *, skills: frozenset[str] = frozenset(), skill_text: str = "", intro: str = ""
) -> None:
    """Open registration on the skills step; `intro` is a line said first, in the same message (a reply
    holds at most five)."""
    data = {"skills": sorted(skills), "text": skill_text}
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, Step.SKILLS, data, now=ctx.now)
    prompt = (
        texts.SUP_SKILLS_SO_FAR.format(skills=_skill_labels(data["skills"]))
        if skills
        else texts.SUP_ASK_SKILLS
    )
    ctx.reply(ui.text(f"{intro}\n{prompt}" if intro else prompt, _skill_buttons(data["skills"])))


def show_settings(ctx: Context) -> None:
    member = ctx.sender
    applicant = is_applicant(ctx)
    if not member.is_supporter and not applicant:
        ctx.reply(ui.text(texts.SUP_NOT_REGISTERED, main_menu(ctx)))
        return
    state = texts.SUP_STATE_PAUSED if member.paused else texts.SUP_STATE_ACTIVE
    summary = texts.SUP_SETTINGS.format(
        skills=_skill_labels([s.category for s in member.skills]),
        area=member.home_area or texts.UNKNOWN_AREA,
        radius=_km(member.radius_km),
        state=texts.SUP_STATE_APPLICANT if applicant else state,
    )
    if applicant:
        ctx.reply(ui.text(summary, [ui.say(texts.SUP_CHANGE, texts.MENU_SUPPORTER), ui.say(texts.MENU_HELP)]))
        return
    toggle = texts.SUP_RESUME if member.paused else texts.SUP_PAUSE
    ctx.reply(
        ui.text(
            summary,
            [
                ui.say(texts.SUP_CHANGE, texts.MENU_SUPPORTER),
                ui.say(toggle),
                ui.say(texts.SUP_QUIT),
                ui.say(texts.MENU_HELP),
            ],
        )
    )


def set_paused(ctx: Context, paused: bool) -> None:
    if not ctx.sender.is_supporter and is_applicant(ctx):
        ctx.reply(ui.text(texts.SUP_PENDING, main_menu(ctx)))
        return
    if not ctx.sender.is_supporter:
        ctx.reply(ui.text(texts.SUP_NOT_REGISTERED, main_menu(ctx)))
        return
    ctx.sender.paused = paused
    ctx.reply(ui.text(texts.SUP_PAUSED if paused else texts.SUP_RESUMED, main_menu(ctx)))


def on_text(ctx: Context, state: Conversation, text: str) -> None:
    """A typed answer to the step on screen; what is not understood gets one line and the step's buttons."""
    data = dict(state.data)
    if state.step == Step.RADIUS:
        _typed_radius(ctx, data, text)
    elif state.step == Step.CONFIRM:
        answer = answer_of(text, ("yes", "no", "change_place"))
        if answer == "yes":
            _confirmed(ctx, data)  # 「はい」 typed instead of tapping 登録する
        else:
            hint = texts.SUP_CONFIRM_HINT if answer is None else texts.CONFIRM_WHAT_TO_CHANGE
            ctx.reply(ui.text(hint, _change_buttons()))
    elif state.step == Step.AGREE:
        if answer_of(text, ("yes", "no")) == "yes" or agrees(text):
            # 「はい」「同意します」 typed instead of tapping 同意する.
            _register(ctx, data, agreed=agreement.current(ctx.session)[0])
        else:
            ctx.reply(agreement.hint_at_registration(ctx, FLOW))
    elif state.step == Step.PLACE:
        _typed_place(ctx, data, text)
    elif said("next", text) or _done_listing(data, text):
        _to_place(ctx, data)
    elif said("anything", text):
        _anything(ctx, data, text)
    elif data.get("skills") and said("redo", text):
        start(ctx, skill_text=data.get("text", ""))
    else:
        _typed_skills(ctx, data, text)


def _anything(ctx: Context, data: dict[str, Any], text: str) -> None:
    """「なんでもやります」: every quick category, shown back; 「えらびなおす」 empties the list again."""
    data["skills"] = sorted({*data.get("skills", []), *(c.id for c in quick_categories())})
    data["text"] = f"{data.get('text', '')}\n{text}".strip()
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, Step.SKILLS, data, now=ctx.now)
    reset = ui.postback(texts.SUP_CHOOSE_AGAIN, postback.encode("sup", s="reset"), texts.SUP_CHOOSE_AGAIN)
    next_button = ui.postback(texts.NEXT, postback.encode("sup", s="next"), texts.NEXT)
    ctx.reply(
        ui.text(
            texts.SUP_SKILLS_ANYTHING.format(skills=_skill_labels(data["skills"])),
            [next_button, reset, cancel_button()],
        )
    )


def _done_listing(data: dict[str, Any], text: str) -> bool:
    """「はい」「ええよ」 under 「ほかにもあれば…終わったら次へ」, when no new skill is named: that is all."""
    return bool(data.get("skills")) and said("yes", text) and not skills_from_text(text)


def _typed_skills(ctx: Context, data: dict[str, Any], text: str) -> None:
    found = skills_from_text(text)
    if not found:
        hint = texts.SUP_SKILLS_HINT if data.get("skills") else texts.SUP_SKILLS_UNKNOWN
        ctx.reply(ui.text(hint, _skill_buttons(data.get("skills", []))))
        return
    data["skills"] = sorted(set(data.get("skills", [])) | found)
    data["text"] = f"{data.get('text', '')}\n{text}".strip()
    _skills_so_far(ctx, data)


def _to_place(ctx: Context, data: dict[str, Any]) -> None:
    if not data.get("skills"):
        ctx.reply(ui.text(texts.SUP_SKILLS_EMPTY, _skill_buttons([])))
        return
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, Step.PLACE, data, now=ctx.now)
    ctx.reply(_ask_place(ctx))


def _typed_place(ctx: Context, data: dict[str, Any], text: str) -> None:
    home = place_from_home(ctx.sender)
    if said("home", text) and home is not None:
        _set_place(ctx, data, home)
        return
    if home_unknown(ctx.sender, text):
        ctx.reply(ui.text(texts.PLACE_NO_HOME, _place_buttons(ctx)))
        return
    located = read_typed_place(ctx, text, data.pop(SAME_NAME, None))
    if isinstance(located, SameName):
        data[SAME_NAME] = located.name  # 「太子堂」 alone: the 区 or 市 is asked for
        conversations.set_state(ctx.session, ctx.sender.id, FLOW, Step.PLACE, data, now=ctx.now)
        ctx.reply(ui.text(same_name_question(located), _place_buttons(ctx)))
        return
    km = _km_beside(text)
    if located is None and km is not None:
        # 「あるいていけるくらい」: the distance, said before the place; kept, and the place asked again.
        data["radius"] = km
        conversations.set_state(ctx.session, ctx.sender.id, FLOW, Step.PLACE, data, now=ctx.now)
        ctx.reply(ui.text(texts.SUP_RADIUS_KEPT.format(km=km)), _ask_place(ctx))
        return
    if located is None:
        ctx.reply(ui.text(texts.PLACE_NOT_FOUND, _place_buttons(ctx)))
        return
    if km is not None:
        data["radius"] = km  # 「世田谷区太子堂で2キロくらいまで」: the confirmation comes next
    _set_place(ctx, data, typed_place(text, located), said_back=place_said_back(located))


# A distance written beside other words: a number with its unit (a number alone may be a 丁目 or 番地).
_KM_IN_WORDS = re.compile(r"(\d{1,2}(?:\.\d+)?)\s*(?:km|きろ)")


def _km_beside(text: str) -> int | None:
    """A distance up to the largest choice said at the place step, in words or with its unit; else None."""
    words = to_hiragana(unicodedata.normalize("NFKC", text).lower())
    words = _KANJI_NUMBER.sub(lambda m: kansuji2number(m.group()), words)
    found = _KM_IN_WORDS.search(words)
    km = max(1, -int(-float(found.group(1)) // 1)) if found else distance_word(text)
    return km if km is not None and 0 < km <= max(RADIUS_CHOICES) else None


def _typed_radius(ctx: Context, data: dict[str, Any], text: str) -> None:
    km = typed_km(text)
    if km is None:
        km = distance_word(text)
    if km is None:
        ctx.reply(ui.text(texts.SUP_RADIUS_HINT, _radius_buttons()))
    elif km > max(RADIUS_CHOICES):
        ctx.reply(ui.text(texts.SUP_RADIUS_OVER.format(max=max(RADIUS_CHOICES)), _radius_buttons()))
    else:
        _set_radius(ctx, data, km)


def on_postback(ctx: Context, state: Conversation, fields: dict[str, str], _params: dict[str, str]) -> None:
    step, data = fields.get("s", ""), dict(state.data)
    if step == "cat" and state.step == Step.SKILLS and fields.get("c") in {c.id for c in categories()}:
        data["skills"] = sorted({*data.get("skills", []), fields["c"]})
        _skills_so_far(ctx, data)
    elif step == "more" and state.step == Step.SKILLS:
        chosen = data.get("skills", [])
        page = postback.int_field(fields, "p") or 0
        ctx.reply(ui.text(texts.SUP_ASK_SKILLS, _skill_buttons(chosen, page)))
    elif step == "next" and state.step == Step.SKILLS:
        _to_place(ctx, data)
    elif step == "reset" and state.step == Step.SKILLS:
        start(ctx, skill_text=data.get("text", ""))
    elif step == "chp" and state.step == Step.CONFIRM:
        conversations.set_state(ctx.session, ctx.sender.id, FLOW, Step.PLACE, data, now=ctx.now)
        ctx.reply(_ask_place(ctx))
    elif step == "chr" and state.step == Step.CONFIRM:
        conversations.set_state(ctx.session, ctx.sender.id, FLOW, Step.RADIUS, data, now=ctx.now)
        ctx.reply(_ask_radius())
    elif (
        step == "km"
        and state.step == Step.RADIUS
        and fields.get("v", "").isdigit()
        and (int(fields["v"]) in RADIUS_CHOICES)
    ):
        _set_radius(ctx, data, int(fields["v"]))
    elif step == "ok" and state.step == Step.CONFIRM:
        _confirmed(ctx, data)
    elif step == "agree" and state.step == Step.AGREE:
        version = postback.int_field(fields, "v")
        if version != agreement.current(ctx.session)[0]:
            # The organisation changed the rules while they were reading: show the new text.
            ctx.reply(ui.text(texts.AGREEMENT_CHANGED), *agreement.at_registration(ctx, FLOW))
            return
        _register(ctx, data, agreed=version)
    else:
        reprompt(ctx, state)


def on_location(ctx: Context, state: Conversation, place: Place | None) -> None:
    if state.step != Step.PLACE:
        reprompt(ctx, state)
        return
    if place is None:
        ctx.reply(ui.text(texts.REQUEST_ASK_PLACE_AGAIN, _place_buttons(ctx)))
        return
    _set_place(ctx, dict(state.data), place)


def _set_place(ctx: Context, data: dict[str, Any], place: Place, said_back: str | None = None) -> None:
    data.update(lat=place.lat, lon=place.lon, address=place.address, area=place.area)
    data.pop(SAME_NAME, None)
    if "radius" in data:
        _set_radius(ctx, data, data["radius"], said_back)  # the place was changed at the confirmation
        return
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, Step.RADIUS, data, now=ctx.now)
    ctx.reply(*([ui.text(said_back)] if said_back else []), _ask_radius())


_TYPED_KM = re.compile(r"(\d{1,5}(?:\.\d+)?)(km|k|きろ(?:めーとる)?|m|めーとる)?")
_KM_FILLER = re.compile(
    r"[^\w.]|まで|くらい|ぐらい|位|程度|ほど|以内|です|なら|でも|かな|かのう|かの|かね|かいな|やな|じゃな|だな|だべ|やね|じゃ|ばい|かしら|(?:いけ|行け|動け)(?:ます|る)|で(?:お願い|おねがい|頼み|たのみ)(?:します|ます)?"
)
_KANJI_NUMBER = re.compile(r"[〇一二三四五六七八九十百]+")


def typed_km(text: str) -> int | None:
    """A distance typed instead of tapped (「５km」「三キロ」「10」「500m」), rounded up to a whole km."""
    words = to_hiragana(_KM_FILLER.sub("", unicodedata.normalize("NFKC", text).lower()))
    words = _KANJI_NUMBER.sub(lambda m: kansuji2number(m.group()), words)
    found = _TYPED_KM.fullmatch(words)
    if found is None:
        return None
    value = float(found.group(1))
    if found.group(2) in ("m", "めーとる"):
        value /= 1000
    return max(1, -int(-value // 1)) if value > 0 else None


def _set_radius(ctx: Context, data: dict[str, Any], km: int, said_back: str | None = None) -> None:
    data["radius"] = km
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, Step.CONFIRM, data, now=ctx.now)
    ctx.reply(*([ui.text(said_back)] if said_back else []), _confirmation(data))


def reprompt(ctx: Context, state: Conversation) -> None:
    """Anything unexpected mid-flow: say how to go on, and ask the current step again."""
    ctx.reply(ui.text(texts.REQUEST_STEP_HINT))
    ask_step(ctx, state)


def ask_step(ctx: Context, state: Conversation) -> None:
    """The current step's question with its buttons (「もういっぺん」「聞こえんかった」 ask for it)."""
    data = state.data
    if state.step == Step.SKILLS and data.get("skills"):
        ctx.reply(
            ui.text(
                texts.SUP_SKILLS_SO_FAR.format(skills=_skill_labels(data["skills"])),
                _skill_buttons(data["skills"]),
            )
        )
    elif state.step == Step.SKILLS:
        ctx.reply(ui.text(texts.SUP_ASK_SKILLS, _skill_buttons([])))
    elif state.step == Step.PLACE:
        ctx.reply(_ask_place(ctx))
    elif state.step == Step.RADIUS:
        ctx.reply(_ask_radius())
    elif state.step == Step.AGREE:
        ctx.reply(*agreement.at_registration(ctx, FLOW))
    else:
        ctx.reply(_confirmation(data))


def explain_step(ctx: Context, state: Conversation) -> None:
    """「それはなんですか」 asked back: what the step asks for, in other words, then its question again (at
    the rules, their one-line hint and buttons, not the whole rules again)."""
    if state.step == Step.AGREE:
        ctx.reply(agreement.hint_at_registration(ctx, FLOW))
        return
    ctx.reply(ui.text(_EXPLAINED[Step(state.step)]))
    ask_step(ctx, state)


_EXPLAINED = {
    Step.SKILLS: texts.SUP_EXPLAIN_SKILLS,
    Step.PLACE: texts.SUP_EXPLAIN_PLACE,
    Step.RADIUS: texts.SUP_EXPLAIN_RADIUS,
    Step.CONFIRM: texts.SUP_EXPLAIN_CONFIRM,
}


def cancel(ctx: Context, state: Conversation) -> None:
    conversations.clear_state(ctx.session, ctx.sender.id)


def _skills_so_far(ctx: Context, data: dict[str, Any]) -> None:
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, Step.SKILLS, data, now=ctx.now)
    ctx.reply(
        ui.text(
            texts.SUP_SKILLS_SO_FAR.format(skills=_skill_labels(data["skills"])),
            _skill_buttons(data["skills"]),
        )
    )


def _confirmed(ctx: Context, data: dict[str, Any]) -> None:
    """登録する: the scheme's rules first, unless they agreed to this version already."""
    if agreement.has_agreed(ctx):
        _register(ctx, data)
        return
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, Step.AGREE, data, now=ctx.now)
    ctx.reply(*agreement.at_registration(ctx, FLOW))


def _register(ctx: Context, data: dict[str, Any], *, agreed: int | None = None) -> None:
    member = ctx.sender
    member_repo.set_skills(member, data["skills"], data.get("text", ""))
    set_home(member, Place(data["lat"], data["lon"], data.get("address", ""), data.get("area", "")))
    member.radius_km = float(data["radius"])
    member.paused = False
    conversations.clear_state(ctx.session, member.id)
    record, new = supporter_repo.apply(ctx.session, member, ctx.now, vetting=ctx.settings.vetting)
    if agreed is not None:
        agreement.record(ctx, agreed)
    if record.status == SupporterStatus.APPROVED:
        ctx.reply(ui.text(texts.SUP_REGISTERED, main_menu(ctx)))
        return
    ctx.reply(ui.text(texts.SUP_APPLIED if new else texts.SUP_APPLICATION_UPDATED, main_menu(ctx)))
    if new:
        push_to_coordinators(
            ctx,
            texts.COORDINATOR_NEW_APPLICANT.format(
                name=member.display_name or texts.SOMEONE_SUPPORTER,
                area=member.home_area or texts.UNKNOWN_AREA,
                skills=_skill_labels(data["skills"]),
            ),
        )


def is_applicant(ctx: Context) -> bool:
    record = supporter_repo.record_of(ctx.session, ctx.sender)
    return record is not None and record.status == SupporterStatus.APPLICANT


def _skill_labels(skills: Sequence[str]) -> str:
    order = {c.id: i for i, c in enumerate(categories())}
    ordered = sorted(skills, key=lambda s: order.get(s, len(order)))
    return texts.LIST_SEPARATOR.join(label_of(s) for s in ordered) or "-"


SKILL_PAGE = 10  # 次へ + 10 categories + ほかの種類 + やめる = 13 quick replies, LINE's limit


def _skill_buttons(chosen: Sequence[str], page: int = 0) -> list[ui.Action]:
    """Categories not chosen yet, ten at a time, so every category can be tapped."""
    offered = [c for c in categories() if c.id not in chosen]
    pages = max(1, -(-len(offered) // SKILL_PAGE))
    page = page % pages
    head = [ui.postback(texts.NEXT, postback.encode("sup", s="next"), texts.NEXT)] if chosen else []
    cats = [
        ui.postback(c.label, postback.encode("sup", s="cat", c=c.id), c.label)
        for c in offered[page * SKILL_PAGE : (page + 1) * SKILL_PAGE]
    ]
    more = (
        [
            ui.postback(
                texts.SUP_MORE_SKILLS, postback.encode("sup", s="more", p=page + 1), texts.SUP_MORE_SKILLS
            )
        ]
        if pages > 1
        else []
    )
    return [*head, *cats, *more, cancel_button()]


def _place_buttons(ctx: Context) -> list[ui.Action]:
    home = [ui.say(texts.USE_HOME)] if place_from_home(ctx.sender) is not None else []
    return [ui.location_action(texts.SEND_LOCATION), *home, cancel_button()]


def _ask_place(ctx: Context) -> ui.Message:
    return ui.text(f"{texts.SUP_ASK_PLACE}\n{texts.SUP_PLACE_HINT}", _place_buttons(ctx))


def _radius_buttons() -> list[ui.Action]:
    buttons = [
        ui.postback(
            texts.RADIUS_LABEL.format(km=km),
            postback.encode("sup", s="km", v=km),
            texts.RADIUS_SAID.format(km=km),
        )
        for km in RADIUS_CHOICES
    ]
    return [*buttons, cancel_button()]


def _ask_radius() -> ui.Message:
    return ui.text(texts.SUP_ASK_RADIUS, _radius_buttons())


def _change_buttons() -> list[ui.Action]:
    return [
        ui.postback(texts.SUP_CONFIRM_YES, postback.encode("sup", s="ok"), texts.SUP_CONFIRM_YES),
        ui.postback(texts.CHANGE_PLACE, postback.encode("sup", s="chp"), texts.CHANGE_PLACE),
        ui.postback(texts.CHANGE_RADIUS, postback.encode("sup", s="chr"), texts.CHANGE_RADIUS),
        cancel_button(),
    ]


def _confirmation(data: dict[str, Any]) -> ui.Message:
    bubble = ui.card(
        texts.SUP_CONFIRM_TITLE,
        [
            (texts.LABEL_SKILLS, _skill_labels(data.get("skills", []))),
            (texts.LABEL_PLACE, data.get("area") or texts.UNKNOWN_AREA),
            (texts.LABEL_RADIUS, f"{data.get('radius', '-')}km"),
        ],
        [
            ui.postback(
                texts.SUP_CONFIRM_YES, postback.encode("sup", s="ok"), texts.SUP_CONFIRM_YES, flex=True
            ),
            ui.postback(texts.CHANGE_PLACE, postback.encode("sup", s="chp"), texts.CHANGE_PLACE, flex=True),
            ui.postback(texts.CHANGE_RADIUS, postback.encode("sup", s="chr"), texts.CHANGE_RADIUS, flex=True),
            cancel_button(flex=True, flow=FLOW),
        ],
    )
    return ui.flex(texts.SUP_CONFIRM_TITLE, bubble)


def _km(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def on_old_button(ctx: Context, fields: dict[str, str]) -> None:
    """A second tap on 登録する, or a button of a registration already finished."""
    if ctx.sender.is_supporter or is_applicant(ctx):
        ctx.reply(ui.text(texts.SUP_ALREADY_REGISTERED, main_menu(ctx)))
    else:
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))


CONVERSATION = Flow(
    FLOW,
    cancel=cancel,
    on_text=on_text,
    on_location=on_location,
    postback_codes=frozenset({"sup"}),
    on_postback=on_postback,
    on_old_postback=on_old_button,
    reprompt=reprompt,
    ask_step=ask_step,
    explain_step=explain_step,
    on_media=reprompt,
    only_emergencies=True,
)
