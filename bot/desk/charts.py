"""Bar charts drawn on the server as SVG: no script, no colour needed (every bar carries its number)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

ROW = 40
LABEL_WIDTH = 150
BAR_WIDTH = 150
VALUE_WIDTH = 60
WIDTH = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH


def bar_chart(title: str, items: Sequence[tuple[str, float]], unit: str = "") -> Markup:
    """Horizontal bars, longest = full width; labels and values written out, so colour carries nothing.

    Sized by viewBox and scaled by CSS, so the chart fits a 360 px phone and a wide screen alike.
    """
    height = max(1, len(items)) * ROW + 8
    top = max((value for _, value in items), default=0) or 1
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    if not items:
        parts.append(f'<text x="0" y="22" font-size="16">{escape("データがありません")}</text>')
    for index, (label, value) in enumerate(items):
        y = index * ROW + 4
        length = BAR_WIDTH * value / top
        shown = f"{value:g}{unit}"
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 26}" font-size="18" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length:.1f}" height="{ROW - 10}" fill="#222"'
            ' stroke="#000"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 26}" font-size="18">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
