"""和暦 parsing and printing."""
from __future__ import annotations

import pytest

from piadoc.wareki import WarekiError, parse_date


@pytest.mark.parametrize("text, iso, printed", [
    ("令和5年6月27日", "2023-06-27", "令和5年6月27日"),
    ("令和７年３月２１日", "2025-03-21", "令和7年3月21日"),
    ("令和元年5月1日", "2019-05-01", "令和元年5月1日"),
    ("平成31年4月30日", "2019-04-30", "平成31年4月30日"),
    ("平成元年1月8日", "1989-01-08", "平成元年1月8日"),
    ("令和4年12月（予定）", "2022-12", "令和4年12月（予定）"),
    ("2023-06-27", "2023-06-27", "令和5年6月27日"),
    ("2016/1/1", "2016-01-01", "平成28年1月1日"),
])
def test_valid(text: str, iso: str, printed: str) -> None:
    date = parse_date(text)
    assert date.iso == iso
    assert date.wareki() == printed


@pytest.mark.parametrize("text", ["令和5年2月30日", "令和元年4月1日", "平成32年1月1日", "44287", "令和5年13月1日", ""])
def test_invalid(text: str) -> None:
    with pytest.raises(WarekiError):
        parse_date(text)
