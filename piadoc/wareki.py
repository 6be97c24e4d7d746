"""和暦 ⇄ dates. Pure functions: parse what users write, print what the form prints."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

#: Era name → (first day, last day or None). 元年 is year 1.
ERAS: dict[str, tuple[dt.date, dt.date | None]] = {
    "令和": (dt.date(2019, 5, 1), None),
    "平成": (dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    "昭和": (dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
}

_WAREKI = re.compile(r"^(令和|平成|昭和)(元|\d{1,2})年(\d{1,2})月(?:(\d{1,2})日)?\s*(?:[(（]?(予定|見込み)[)）]?)?$")
_WESTERN = re.compile(r"^(\d{4})[-/年](\d{1,2})[-/月](?:(\d{1,2})日?)?\s*(?:[(（]?(予定|見込み)[)）]?)?$")


@dataclass(frozen=True, slots=True)
class WarekiDate:
    """A date as the form prints it: day may be missing (令和4年12月), and a note such as 予定 kept."""

    year: int
    month: int
    day: int | None
    note: str | None = None

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month, self.day or 0)

    def wareki(self) -> str:
        """令和5年6月27日 (元年 for year 1; the era in force on that day, or on the month's first day)."""
        day = dt.date(self.year, self.month, self.day or 1)
        for era, (start, end) in ERAS.items():
            if start <= day and (end is None or day <= end):
                n = day.year - start.year + 1
                text = f"{era}{'元' if n == 1 else n}年{self.month}月" + (f"{self.day}日" if self.day else "")
                return text + (f"（{self.note}）" if self.note else "")
        return self.iso


class WarekiError(ValueError):
    """The text is not a date the form can print."""


def parse_date(text: str) -> WarekiDate:
    """Parse 令和5年6月27日, 令和4年12月（予定）, 平成元年…, 2023-06-27 or 2023/6/27 (full-width digits too)."""
    s = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    m = _WAREKI.match(s)
    if m:
        era, y, mo, d, note = m.groups()
        start, end = ERAS[era]
        year = start.year + (1 if y == "元" else int(y)) - 1
        result = _make(year, int(mo), int(d) if d else None, note)
        first = dt.date(year, result.month, result.day or 1)
        too_early = first < start if result.day else (year, result.month) < (start.year, start.month)
        if too_early:
            raise WarekiError(f"{era}は{start.year}年{start.month}月{start.day}日からです")
        if end is not None and first > end:
            raise WarekiError(f"{era}は{end.year}年{end.month}月{end.day}日までです")
        return result
    m = _WESTERN.match(s)
    if m:
        y, mo, d, note = m.groups()
        return _make(int(y), int(mo), int(d) if d else None, note)
    raise WarekiError("令和5年6月27日 のように書いてください")


def _make(year: int, month: int, day: int | None, note: str | None) -> WarekiDate:
    try:
        dt.date(year, month, day or 1)
    except ValueError as err:
        raise WarekiError(f"{year}年{month}月{day or ''}{'日' if day else ''} はありません") from err
    return WarekiDate(year, month, day, note)
