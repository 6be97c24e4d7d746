"""しきい値判断: which assessments the 特定個人情報保護評価指針 makes mandatory. Pure functions on
abstract inputs; which items and options of a form carry them is data (the `threshold:` block of each form).

対象人数 1,000人未満: none; 1,000人以上1万人未満: 基礎; 1万人以上10万人未満: 基礎, plus 重点 when
取扱者数 500人以上 or a 重大事故 (過去1年以内); 10万人以上30万人未満: 基礎+重点, or 基礎+全項目 when 取扱者数
500人以上 or a 重大事故; 30万人以上: 基礎+全項目.
"""
from __future__ import annotations

from dataclasses import dataclass

#: How heavy each assessment is: a heavier one satisfies a lighter requirement. The 指針's own names: a form's
#: `threshold:` block names them (checked when the form loads), and the rule below is written with them.
LEVELS = {"基礎": 1, "重点": 2, "全項目": 3}
NAMES = {"基礎": "基礎項目評価", "重点": "重点項目評価", "全項目": "全項目評価"}
BASIC = next(iter(LEVELS))
"""The lightest assessment (基礎項目評価), which every other one comes with."""

Outcome = frozenset[str]


@dataclass(frozen=True, slots=True)
class Reasoning:
    """The rule's answer and why, for messages and `check --explain`."""

    outcomes: tuple[Outcome, ...]
    """Every set of mandatory assessments the known inputs allow (two when 取扱者数/重大事故 are unknown)."""
    why: str


def describe(outcome: Outcome) -> str:
    if not outcome:
        return "特定個人情報保護評価の実施は義務付けられない"
    names = sorted(outcome, key=LEVELS.get)
    return "及び".join(NAMES[n] for n in names) + "の実施が義務付けられる"


def level(outcome: Outcome) -> int:
    return max((LEVELS[n] for n in outcome), default=0)


def mandatory(band: int, many_staff: bool | None, accident: bool | None, band_text: str = "") -> Reasoning:
    """The rule. Bands 1-5 are the 対象人数 options in form order (1,000人未満 … 30万人以上); ``band_text`` is
    that option as the form prints it, for the reasons. ``None`` means the input is not stated (重点・全項目
    forms state only 対象人数)."""
    people = band_text or f"区分{band}"
    heavy_known = bool(many_staff) or bool(accident)
    heavy_unknown = not heavy_known and (many_staff is None or accident is None)
    light, heavy = {
        1: (frozenset(), frozenset()),
        2: (frozenset({"基礎"}), frozenset({"基礎"})),
        3: (frozenset({"基礎"}), frozenset({"基礎", "重点"})),
        4: (frozenset({"基礎", "重点"}), frozenset({"基礎", "全項目"})),
        5: (frozenset({"基礎", "全項目"}), frozenset({"基礎", "全項目"})),
    }[band]
    if light == heavy:
        return Reasoning((light,), f"対象人数が{people}のため")
    if heavy_known:
        cause = "取扱者数が500人以上" if many_staff else "過去1年以内に重大事故が発生"
        return Reasoning((heavy,), f"対象人数が{people}で、{cause}のため")
    if heavy_unknown:
        return Reasoning((light, heavy), f"対象人数が{people}のため（取扱者数と重大事故によって異なる）")
    return Reasoning((light,), f"対象人数が{people}で、取扱者数が500人未満、重大事故の発生もないため")
