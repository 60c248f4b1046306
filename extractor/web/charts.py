"""Bar charts as SVG drawn on the server: the dashboard needs two simple figures, and a chart
library in the browser would be the one piece of JavaScript the pages cannot do without.

The SVG goes inline into the page (it prints, and the page's CSS colours it through classes,
so the Content-Security-Policy needs no inline styles). Every label is escaped; a long unit
name is shortened on the axis and given whole in a ``<title>`` (the tooltip).
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from ..register import UnitCount
from .labels import month_label

LABEL_CHARS = 42
BAR_HEIGHT = 20
BAR_GAP = 8
LABEL_WIDTH = 300
PLOT_WIDTH = 420
SERIES: tuple[tuple[str, str], ...] = (("overdue", "Quá hạn"), ("open", "Chưa hoàn thành"), ("done", "Đã hoàn thành"))


def short(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _legend(y: int) -> Markup:
    parts = []
    x = LABEL_WIDTH
    for key, name in SERIES:
        parts.append(Markup('<rect class="{}" x="{}" y="{}" width="12" height="12"/>'
                            '<text x="{}" y="{}">{}</text>').format(key, x, y, x + 16, y + 11, name))
        x += 24 + 8 * len(name)
    return Markup("").join(parts)


def unit_bars(counts: Sequence[UnitCount]) -> Markup:
    """One horizontal bar per unit, stacked: overdue, open (not yet due or due soon), done."""
    if not counts:
        return Markup('<p class="empty">Chưa có nhiệm vụ nào giao cho đơn vị.</p>')
    top = max(c.open + c.overdue + c.done for c in counts) or 1
    height = 30 + len(counts) * (BAR_HEIGHT + BAR_GAP) + 10
    width = LABEL_WIDTH + PLOT_WIDTH + 60
    rows = []
    for i, c in enumerate(counts):
        y = 30 + i * (BAR_HEIGHT + BAR_GAP)
        total = c.open + c.overdue + c.done
        title = f"{c.name}: {c.overdue} quá hạn, {c.open} chưa hoàn thành, {c.done} đã hoàn thành"
        pieces = []
        x = float(LABEL_WIDTH)
        for key, _ in SERIES:
            value = getattr(c, key)
            if value:
                w = PLOT_WIDTH * value / top
                pieces.append(Markup('<rect class="{}" x="{:.1f}" y="{}" width="{:.1f}" height="{}"/>').format(
                    key, x, y, w, BAR_HEIGHT))
                x += w
        rows.append(Markup('<g class="bar" data-unit="{name}"><title>{title}</title>'
                           '<text class="label" x="{lx}" y="{ty}" text-anchor="end">{short}</text>{pieces}'
                           '<text class="value" x="{vx:.1f}" y="{ty}">{total}</text></g>').format(
            name=c.name, title=title, lx=LABEL_WIDTH - 6, ty=y + BAR_HEIGHT - 5, short=short(c.name),
            pieces=Markup("").join(pieces), vx=x + 4, total=total))
    return Markup('<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
                  'role="img" aria-label="Nhiệm vụ theo đơn vị chủ trì">{legend}{rows}</svg>').format(
        w=width, h=height, legend=_legend(8), rows=Markup("").join(rows))


def month_bars(months: Sequence[tuple[str, int]]) -> Markup:
    """One vertical bar per month: the tasks not done that fall due in it."""
    if not months:
        return Markup('<p class="empty">Không có nhiệm vụ chưa hoàn thành nào có thời hạn.</p>')
    top = max(n for _, n in months) or 1
    step, plot = 56, 220
    width, height = 40 + step * len(months), plot + 70
    bars = []
    for i, (month, n) in enumerate(months):
        h = plot * n / top
        x = 30 + i * step
        y = 20 + plot - h
        bars.append(Markup('<g class="bar" data-month="{m}"><title>{label}: {n} nhiệm vụ</title>'
                           '<rect class="due" x="{x}" y="{y:.1f}" width="{bw}" height="{h:.1f}"/>'
                           '<text class="value" x="{cx}" y="{vy:.1f}" text-anchor="middle">{n}</text>'
                           '<text class="label" x="{cx}" y="{ly}" text-anchor="middle">{label}</text></g>').format(
            m=month, label=month_label(month), n=n, x=x, y=y, bw=step - 14, h=h, cx=x + (step - 14) / 2,
            vy=y - 4, ly=20 + plot + 18))
    axis = Markup('<line class="axis" x1="24" y1="{y}" x2="{x}" y2="{y}"/>').format(y=20 + plot, x=width - 6)
    return Markup('<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
                  'role="img" aria-label="Nhiệm vụ đến hạn theo tháng">{axis}{bars}</svg>').format(
        w=width, h=height, axis=axis, bars=Markup("").join(bars))

