"""The child's growth chart, drawn on the server: WHO's -3, -2, 0, +2 and +3 SD curves of
height-for-age or weight-for-age over 0-60 months for the child's sex, and the child's
points. SVG from matplotlib (Agg), so the page needs no script and the chart prints.

The curves come from the LMS rows (`who.LMS.at`: M * (1 + L*S*z) ** (1/L)); length-for-age
under 24 months and height-for-age from 24 are drawn as two pieces, as on the KMS card,
and the child's lengths/heights are plotted after WHO's 0.7 cm correction, so a point sits
where its z-score says.
"""

import datetime
import functools
import io
from collections.abc import Sequence
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")  # no display on servers
matplotlib.rcParams["svg.hashsalt"] = "banten-pm"  # the same SVG for the same child

from matplotlib import pyplot as plt  # noqa: E402

from .who import LENGTH_BOARD_MONTHS, MAX_AGE_MONTHS, Sex, corrected_height, lms_for_age  # noqa: E402

# indicator code in the URL: (WHO table, title, y label)
INDICATORS = {
    "tb-u": ("lhfa", "Panjang/tinggi badan menurut umur (TB/U)", "cm"),
    "bb-u": ("wfa", "Berat badan menurut umur (BB/U)", "kg"),
}
CURVES = (
    (-3, "#a11b1b", "-3 SD"),
    (-2, "#c77700", "-2 SD"),
    (0, "#17663a", "median"),
    (2, "#c77700", "+2 SD"),
    (3, "#a11b1b", "+3 SD"),
)
SEX_WORDS = {"L": "laki-laki", "P": "perempuan"}
Point = tuple[datetime.date, Decimal, Decimal, str, int, bool]


@functools.cache
def curve(table: str, sex: Sex, z: int, months: tuple[int, int]) -> tuple[list[int], list[float]]:
    """The z SD curve of one WHO table over whole months [first, last]."""
    ages = list(range(months[0], months[1] + 1))
    return ages, [lms_for_age(table, sex, m).at(z) for m in ages]  # type: ignore[arg-type]


def _pieces(table: str) -> list[tuple[int, int]]:
    if table == "lhfa":  # the length rows, then the height rows (month 24 has both)
        return [(0, LENGTH_BOARD_MONTHS - 1), (LENGTH_BOARD_MONTHS, MAX_AGE_MONTHS)]
    return [(0, MAX_AGE_MONTHS)]


def _age(birth: datetime.date, day: datetime.date) -> float:
    return (day - birth).days / 30.4375  # WHO's average month


def render_growth_chart(*, indicator: str, sex: str, birth: datetime.date, points: Sequence[Point]) -> bytes:
    table, title, unit = INDICATORS[indicator]
    fig, ax = plt.subplots(figsize=(6.4, 4.4), dpi=100)
    try:
        for z, colour, label in CURVES:
            for i, piece in enumerate(_pieces(table)):
                ages, values = curve(table, sex, z, piece)
                ax.plot(
                    ages,
                    values,
                    color=colour,
                    linewidth=1.6 if z == 0 else 1.1,
                    label=label if i == 0 else None,
                )
            ax.annotate(
                label,
                (MAX_AGE_MONTHS, values[-1]),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
                color=colour,
            )
        _points(ax, table, birth, points)
        ax.set_title(f"{title}, {SEX_WORDS.get(sex, '')}", fontsize=10)
        ax.set_xlabel("Umur (bulan)")
        ax.set_ylabel(unit)
        ax.set_xlim(0, MAX_AGE_MONTHS)
        ax.set_xticks(range(0, MAX_AGE_MONTHS + 1, 6))
        ax.grid(color="#e6eaee", linewidth=0.6)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="svg", metadata={"Date": None}, facecolor="white")
        return out.getvalue()
    finally:
        plt.close(fig)


def _points(ax, table: str, birth: datetime.date, points: Sequence[Point]) -> None:
    xs: list[float] = []
    ys: list[float] = []
    flagged_xs: list[float] = []
    flagged_ys: list[float] = []
    for day, weight, height, position, age_months, flagged in points:
        if table == "wfa":
            y = float(weight)
        else:
            y = float(corrected_height(age_months=age_months, height_cm=height, position=position))
        (flagged_xs if flagged else xs).append(_age(birth, day))
        (flagged_ys if flagged else ys).append(y)
    if xs:
        ax.plot(xs, ys, color="#1d4f7a", marker="o", markersize=4.5, linewidth=1.4, label="anak", zorder=5)
    if flagged_xs:
        ax.plot(
            flagged_xs,
            flagged_ys,
            linestyle="none",
            marker="x",
            color="#1b1f23",
            markersize=6,
            label="perlu diukur ulang",
            zorder=6,
        )
