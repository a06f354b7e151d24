"""Finding a 名人・達人 in chat (「しめ縄を教えてくれる人」) and asking to hear from them.

Before a master agrees, a resident sees only the skill, the town, the distance, where and how often
(where masked like request cards); 話を聞きたい tells the master, who answers 受ける / 見送る. Only on
受ける are the two names passed on, and the coordinators asked (on the desk) to connect them.
"""

from __future__ import annotations

import re

from db import desk as desk_repo
from db import lifecycle
from db import masters as master_repo
from db.models import Master, MasterAsk, Member, Offer
from db.outbox import PRIORITY_NORMAL
from handlers import postback, texts, ui
from handlers.common import main_menu, redact
from handlers.community_places import distance_text
from handlers.context import Context
from handlers.places import place_from_home
from matching import haversine_km
from matching.masters import FITS, offer_fits, skill_fit
from matching.normalize import to_hiragana
from matching.words import teaching

SHOWN = 5


def fitting(ctx: Context, topic: str) -> list[Master]:
    """Masters whose skill answers the topic, nearest first when the asker's place is known."""
    found = [
        m
        for m in master_repo.active_masters(ctx.session)
        if m.member_id != ctx.sender.id and skill_fit(topic, m.skill) >= FITS
    ]
    home = place_from_home(ctx.sender)
    if home is not None:
        found.sort(key=lambda m: _km(m, home.lat, home.lon))
    return found


def _km(master: Master, lat: float, lon: float) -> float:
    if master.lat is None or master.lon is None:
        return float("inf")
    return haversine_km(lat, lon, master.lat, master.lon)


def search(ctx: Context, topic: str) -> None:
    found = fitting(ctx, topic)[:SHOWN]
    if not found:
        keep = ui.say(texts.MASTERS_KEEP_OFFER, texts.MASTERS_KEEP_OFFER_TEXT.format(topic=topic))
        ctx.reply(ui.text(texts.MASTERS_NONE.format(topic=topic), [keep, *main_menu(ctx)]))
        return
    bubbles = [_bubble(ctx, master) for master in found]
    alt = texts.MASTERS_ALT.format(skills="、".join(m.skill for m in found))
    ctx.reply(
        ui.text(texts.MASTERS_LEAD.format(topic=topic)), ui.flex(alt, ui.carousel(bubbles), main_menu(ctx))
    )


def _bubble(ctx: Context, master: Master) -> dict[str, object]:
    from handlers.classes import when_text  # classes imports this module for its cards

    rows = [(texts.MASTER_AREA, master.area or texts.UNKNOWN_AREA)]
    home = place_from_home(ctx.sender)
    if home is not None and master.lat is not None:
        rows.append((texts.PLACES_DISTANCE, distance_text(_km(master, home.lat, home.lon))))
    rows += [
        (texts.MASTER_WHERE, redact(master.where_text, master.member.display_name)),
        (texts.MASTER_OFTEN, master.how_often),
    ]
    buttons = [
        ui.postback(
            texts.MASTER_ASK_BUTTON, postback.encode("mask", m=master.id), texts.MASTER_ASK_BUTTON, flex=True
        )
    ]
    upcoming = master_repo.next_class(ctx.session, master.id, ctx.now)
    if upcoming is not None:
        rows.append((texts.MASTER_NEXT_CLASS, when_text(upcoming)))
        buttons.append(
            ui.postback(
                texts.MASTER_CLASSES_BUTTON,
                postback.encode("clsl", m=master.id),
                texts.MASTER_CLASSES_BUTTON,
                flex=True,
            )
        )
    return ui.card(master.skill, rows, buttons, note=texts.MASTERS_CARD_NOTE)


def on_ask(ctx: Context, fields: dict[str, str]) -> None:
    """話を聞きたい: the master hears of it (the asker's town only); asked once per master."""
    master = _master(ctx, fields)
    if master is None:
        return
    if master.member_id == ctx.sender.id:
        ctx.reply(ui.text(texts.MASTER_ASK_OWN, main_menu(ctx)))
        return
    earlier = master_repo.ask_of(ctx.session, master.id, ctx.sender.id)
    if earlier is not None and earlier.status == "asked":
        ctx.reply(ui.text(texts.MASTER_ASK_ALREADY, main_menu(ctx)))
        return
    if earlier is not None and earlier.status == "agreed":
        _tell_agreed(ctx, master, ctx.sender, reply=True)
        return
    if earlier is None:
        ask = MasterAsk(master_id=master.id, member_id=ctx.sender.id, status="asked", asked_at=ctx.now)
        ctx.session.add(ask)
        ctx.session.flush()
    else:  # they passed once; asked again later
        ask = earlier
        ask.status, ask.asked_at, ask.answered_at = "asked", ctx.now, None
    area = ctx.sender.home_area or texts.UNKNOWN_AREA
    body = texts.MASTER_ASKED.format(area=area, skill=master.skill)
    buttons = [
        ui.postback(texts.MASTER_AGREE, postback.encode("mka", k=ask.id), texts.MASTER_AGREE),
        ui.postback(texts.MASTER_PASS, postback.encode("mkp", k=ask.id), texts.MASTER_PASS),
    ]
    ctx.push([master.member.line_user_id], [ui.text(body, buttons)], priority=PRIORITY_NORMAL)
    ctx.reply(ui.text(texts.MASTER_ASK_SENT, main_menu(ctx)))


def _master(ctx: Context, fields: dict[str, str]) -> Master | None:
    master_id = postback.int_field(fields, "m")
    master = None if master_id is None else ctx.session.get(Master, master_id)
    if master is None or not master.active:
        ctx.reply(ui.text(texts.MASTER_GONE, main_menu(ctx)))
        return None
    return master


def _ask_for_master(ctx: Context, fields: dict[str, str]) -> tuple[MasterAsk, Master, Member] | None:
    ask_id = postback.int_field(fields, "k")
    ask = None if ask_id is None else ctx.session.get(MasterAsk, ask_id)
    master = None if ask is None else ctx.session.get(Master, ask.master_id)
    asker = None if ask is None else ctx.session.get(Member, ask.member_id)
    if ask is None or master is None or asker is None or master.member_id != ctx.sender.id:
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))
        return None
    return ask, master, asker


def on_agree(ctx: Context, fields: dict[str, str]) -> None:
    found = _ask_for_master(ctx, fields)
    if found is None:
        return
    ask, master, asker = found
    if not lifecycle.answer_master_ask(ctx.session, ask.id, "agreed", ctx.now):
        ctx.reply(ui.text(texts.MASTER_ANSWERED, main_menu(ctx)))
        return
    _tell_agreed(ctx, master, asker, reply=False)
    name = asker.display_name or texts.ASKER_SOMEONE
    ctx.reply(ui.text(texts.MASTER_AGREED_MASTER.format(name=name), main_menu(ctx)))
    notice = texts.MASTER_AGREED_DESK.format(
        skill=master.skill, master=master.member.display_name or "?", resident=asker.display_name or "?"
    )
    desk_repo.add_notice(ctx.session, notice, ctx.now)  # on the desk, no push: it is no emergency


def _tell_agreed(ctx: Context, master: Master, asker: Member, *, reply: bool) -> None:
    body = texts.MASTER_AGREED_RESIDENT.format(
        skill=master.skill,
        name=master.member.display_name or texts.MASTER_SOMEONE,
        where=master.where_text or "-",
        often=master.how_often or "-",
    )
    message = ui.text(body, main_menu(ctx) if reply else None)
    if reply:
        ctx.reply(message)
    else:
        ctx.push([asker.line_user_id], [message], priority=PRIORITY_NORMAL)


def on_pass(ctx: Context, fields: dict[str, str]) -> None:
    found = _ask_for_master(ctx, fields)
    if found is None:
        return
    ask, master, asker = found
    if not lifecycle.answer_master_ask(ctx.session, ask.id, "passed", ctx.now):
        ctx.reply(ui.text(texts.MASTER_ANSWERED, main_menu(ctx)))
        return
    ctx.push(
        [asker.line_user_id],
        [ui.text(texts.MASTER_PASSED_RESIDENT.format(skill=master.skill))],
        priority=PRIORITY_NORMAL,
    )
    ctx.reply(ui.text(texts.MASTER_PASSED_MASTER, main_menu(ctx)))


# --- やってみたい offers to learn or to teach ----------------------------------------------------------

# Where what is taught is named, before the verb of an offer to teach (matched on a hiragana mirror of the
# NFKC text, so ナラ reads as なら): the last sentence, back to a clause that ends in a verb
# (「前に講習の補助してました、AEDの使い方なら」), then the object (を; ば just before the verb, as in
# 「踊り方ば」) or the topic (なら). What is left must name something, not a verb, place or person.
_SENTENCE_END = re.compile(r"[。．.!！?？\n]")
_PHRASE = re.compile(r"[^、,\s]+")
_VERB_END = re.compile(
    r"(?:ます|ません|です|した|いた|った|んだ|たい|けど|けれど|ので|から|て|が|けえ|けん|じゃ|のう|なら|たら|れば)$"
)
_LEADING = re.compile(
    r"(?:えーと|えっと|ええと|あのー?|まあ|(?:私|わたし|わし|僕|ぼく|俺|おれ|あたし|うち)(?:は|が|も)?)$"
)
_RECIPIENT = re.compile(r"(?:に|へ)(?:も|は)?$")
_NOT_NAMED = re.compile(r"(?:で|に|へ)(?:も|は)?$")
_OBJECT = re.compile(r"を(?!.*を)|(?<!れ)ば$")
_TOPIC = re.compile(r"なら(?!.*なら)")
_TRAILING = re.compile(r"(?:は|も|が|とか|でも|くらい|ぐらい|よろしければ|よければ|よかったら)?[、,\s]*$")


def _skill_end(mirror: str, begin: int, phrases: list[tuple[int, int]]) -> int:
    """Where what is taught ends, in the clause from begin: before を or なら, a recipient and a particle."""
    clause = mirror[begin:]
    cut = _OBJECT.search(clause) or _TOPIC.search(clause)
    end = begin + (cut.start() if cut else len(clause))
    inside = [(s, min(e, end)) for s, e in phrases if begin <= s < end]
    while len(inside) > 1 and _RECIPIENT.search(mirror[slice(*inside[-1])]):  # 「おてだまを こどもに」
        end = inside.pop()[0]
    trailing = _TRAILING.search(mirror, begin, end)
    return trailing.start() if trailing else end


def teaching_skill(text: str) -> str | None:
    """「しめ縄づくりを教えたい」 → しめ縄づくり, 「スマホの基本操作、教えられます」 → スマホの基本操作.

    None when the text offers no teaching, or does not say what (「教えたい」「子どもたちにお教えできます」).
    """
    found = teaching(text, also=True)
    if found is None:
        return None
    written = found.before
    mirror = to_hiragana(written)  # the same length: places in one are places in the other
    start = max((m.end() for m in _SENTENCE_END.finditer(mirror)), default=0)
    phrases = [m.span() for m in _PHRASE.finditer(mirror, start)]
    if not phrases:
        return None
    first = len(phrases) - 1
    while first > 0 and not _VERB_END.search(mirror[slice(*phrases[first - 1])]):
        first -= 1  # 「パソコンのエクセル、ワードなら」, back to 「…してました、」
    while first < len(phrases) - 1 and (
        _LEADING.fullmatch(mirror[slice(*phrases[first])])
        or _RECIPIENT.search(mirror[slice(*phrases[first])])
    ):
        first += 1  # 「えっと」「私は」「興味のある人に」 before what is taught
    begin = phrases[first][0]
    skill = written[begin : _skill_end(mirror, begin, phrases)].strip("、。, ")
    said = to_hiragana(skill)
    if not skill or _VERB_END.search(said) or _NOT_NAMED.search(said):
        return None
    return skill[:40]


def for_offer(ctx: Context, offer: Offer) -> tuple[list[str], list[ui.Action]]:
    """Under a やってみたい: the masters it fits (to learn), or a 名人として登録 button (to teach)."""
    lines: list[str] = []
    buttons: list[ui.Action] = []
    # An offer to teach, even without saying what (the registration then asks), may become a master.
    if teaching(offer.text, also=True) is not None and not master_repo.is_master(ctx.session, ctx.sender.id):
        buttons.append(
            ui.postback(texts.OFFER_BECOME_MASTER, postback.encode("mnew", o=offer.id), texts.MASTER_REGISTER)
        )
        return lines, buttons
    masters = [
        m
        for m in master_repo.active_masters(ctx.session)
        if m.member_id != ctx.sender.id and offer_fits(m.skill, offer.text)
    ]
    if masters:
        lines.append(texts.OFFER_MASTERS)
        lines += [f"・{m.skill}（{m.area or texts.UNKNOWN_AREA}）" for m in masters[:3]]
        buttons += [
            ui.postback(ui.clip(f"{m.skill}の名人", 20), postback.encode("mshow", m=m.id), m.skill)
            for m in masters[:2]
        ]
    return lines, buttons


def on_show(ctx: Context, fields: dict[str, str]) -> None:
    """One master's card (from the buttons under a やってみたい)."""
    master = _master(ctx, fields)
    if master is None:
        return
    ctx.reply(ui.flex(texts.MASTERS_ALT.format(skills=master.skill), _bubble(ctx, master), main_menu(ctx)))


def on_become(ctx: Context, fields: dict[str, str]) -> None:
    """名人として登録 under a やってみたい to teach: the registration starts with the skill filled in."""
    from handlers import master_flow

    offer_id = postback.int_field(fields, "o")
    offer = None if offer_id is None else ctx.session.get(Offer, offer_id)
    if offer is None or offer.member_id != ctx.sender.id:
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))
        return
    master_flow.start(ctx, teaching_skill(offer.text) or "")
