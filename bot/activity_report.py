"""The monthly activity report (活動報告書) as coordinators hand it in: a PDF with one page per supporter
and an organisation summary for funders, or the same visits as CSV.

fpdf2 subsets and embeds Noto Sans CJK JP (the noto-cjk-sans-jp-regular package from PyPI), so the PDF
shows Japanese on any machine, with no font installed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from bot.roster import write_csv
from db.activity import Summary, Visit, by_supporter, summary
from db.places import PlaceNumbers
from matching import category_label

FONT = "NotoSansJP"
CSV_HEADER = (
    "月",
    "サポーター",
    "日付",
    "利用者",
    "内容",
    "時間（分）",
    "ポイント",
    "利用料（円）",
    "利用者の確認",
)


def _font_path() -> Path:
    import noto_cjk_sans_jp_regular

    return Path(str(noto_cjk_sans_jp_regular.FONT_PATH))


def _kind(category: str | None) -> str:
    return category_label(category) if category else "その他"


def _hours(minutes: int | None) -> str:
    if minutes is None:
        return "未記入"
    hours, rest = divmod(minutes, 60)
    return f"{hours}時間{rest}分" if hours and rest else (f"{hours}時間" if hours else f"{rest}分")


def _month_title(month: str) -> str:
    year, number = month.split("-")
    return f"{year}年{int(number)}月"


def visits_csv(month: str, found: Sequence[Visit]) -> bytes:
    rows = [
        (
            month,
            v.supporter,
            v.day.strftime("%Y-%m-%d"),
            v.resident_initials,
            _kind(v.category),
            "" if v.minutes is None else v.minutes,
            "" if v.credits is None else f"{v.credits:g}",
            "" if v.fee_yen is None else v.fee_yen,
            f"完了の連絡 {v.confirmed_at:%Y-%m-%d}",
        )
        for v in found
    ]
    return write_csv(CSV_HEADER, rows)


class _Report(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.cell(0, 6, f"{self.page_no()} / {{nb}}", align="C")


def visits_pdf(
    month: str,
    found: Sequence[Visit],
    *,
    organisation: str,
    with_fees: bool,
    places: PlaceNumbers | None = None,
) -> bytes:
    """One page per supporter (their visits, totals, the resident's confirmation), then the summary, with
    the community's places' figures when given (openings, shifts, helpers, classes, food)."""
    pdf = _Report(format="A4")
    pdf.set_title(f"活動報告書 {_month_title(month)}")
    pdf.set_creator("otagai")
    pdf.add_font(FONT, fname=str(_font_path()))
    pdf.set_auto_page_break(auto=True, margin=16)
    for visits_of_one in by_supporter(found).values():
        _supporter_page(pdf, month, visits_of_one, organisation, with_fees)
    _summary_page(pdf, month, summary(found), organisation, with_fees)
    if places is not None:
        _places_section(pdf, places)
    return bytes(pdf.output())


def _heading(pdf: FPDF, title: str, subtitle: str) -> None:
    pdf.add_page()
    pdf.set_font(FONT, size=18)
    pdf.cell(0, 12, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)
    pdf.cell(0, 7, subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _supporter_page(
    pdf: FPDF, month: str, found: Sequence[Visit], organisation: str, with_fees: bool
) -> None:
    name = found[0].supporter or "（名前なし）"
    _heading(pdf, "活動報告書", f"{organisation}　{_month_title(month)}分")
    pdf.set_font(FONT, size=12)
    pdf.cell(0, 8, f"サポーター：{name} 様", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, size=9)
    money = "利用料" if with_fees else "ポイント"
    header = ("日付", "利用者", "内容", "時間", money, "利用者の確認")
    with pdf.table(
        col_widths=(18, 16, 40, 22, 20, 34),
        text_align=("CENTER", "CENTER", "LEFT", "RIGHT", "RIGHT", "CENTER"),
        headings_style=FontFace(fill_color=(230, 236, 245)),
        line_height=7,
    ) as table:
        table.row(header)
        for v in found:
            amount = (
                ("-" if v.fee_yen is None else f"{v.fee_yen:,}円")
                if with_fees
                else ("-" if v.credits is None else f"{v.credits:g}")
            )
            table.row(
                (
                    f"{v.day.month}/{v.day.day}",
                    v.resident_initials,
                    _kind(v.category),
                    _hours(v.minutes),
                    amount,
                    f"完了の連絡 {v.confirmed_at.month}/{v.confirmed_at.day}",
                )
            )
    minutes = sum(v.minutes or 0 for v in found)
    pdf.ln(4)
    pdf.set_font(FONT, size=11)
    totals = f"合計：{len(found)}回　{_hours(minutes)}"
    if with_fees:
        totals += f"　利用料 {sum(v.fee_yen or 0 for v in found):,}円"
    else:
        totals += f"　{round(minutes / 60, 2):g}ポイント"
    pdf.cell(0, 8, totals, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(FONT, size=9)
    pdf.multi_cell(
        0,
        6,
        "「利用者の確認」は、利用者がLINEで「完了した」と連絡した日です。\n"
        "上記のとおり活動したことを報告します。　　サポーター署名：＿＿＿＿＿＿＿＿＿＿",
    )


def _summary_page(pdf: FPDF, month: str, numbers: Summary, organisation: str, with_fees: bool) -> None:
    _heading(pdf, "活動実績（まとめ）", f"{organisation}　{_month_title(month)}分")
    pdf.set_font(FONT, size=11)
    lines = [
        f"活動回数：{numbers.sessions}回",
        f"利用者数（実人数）：{numbers.residents}人",
        f"活動したサポーター：{numbers.supporters}人",
        f"活動時間：{_hours(numbers.minutes)}",
    ]
    if with_fees:
        lines.append(f"利用料の合計：{numbers.fees_yen:,}円")
    for line in lines:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, size=10)
    with pdf.table(
        col_widths=(60, 30, 40),
        text_align=("LEFT", "RIGHT", "RIGHT"),
        headings_style=FontFace(fill_color=(230, 236, 245)),
        line_height=7,
    ) as table:
        table.row(("内容", "回数", "時間"))
        for category, counts in numbers.by_category.items():
            table.row((_kind(category), f"{counts['sessions']}回", _hours(counts["minutes"])))
        if not numbers.by_category:
            table.row(("（この月の活動はありません）", "0回", "0分"))


def place_lines(numbers: PlaceNumbers) -> list[str]:
    """The places' figures as the summary page words them."""
    return [
        f"場所がひらいた回数：{numbers.openings}回",
        f"お手伝いの募集：{numbers.shifts}件（人がそろった募集 {numbers.shifts_filled}件）",
        f"お手伝いした人（実人数）：{numbers.helpers}人",
        f"名人・達人の教室：{numbers.classes}回（参加 {numbers.class_seats}人）",
        f"食品の申し出：{numbers.food_offers}件（場所に渡した {numbers.food_passed_on}件）",
    ]


def _places_section(pdf: FPDF, numbers: PlaceNumbers) -> None:
    """こども食堂・みんなのおうち and the rest: what the places did in the month, under the visits."""
    pdf.ln(6)
    pdf.set_font(FONT, size=13)
    pdf.cell(0, 9, "地域の場所（食堂・みんなのおうちなど）", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=11)
    for line in place_lines(numbers):
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
