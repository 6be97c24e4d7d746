"""The report model: checked, typed answers keyed by form item id and repeat instance.

What renderers and the differ read. No Lark, no source text: plain data that a test can build by hand.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from .wareki import WarekiDate

#: (item id, instance numbers of the enclosing repeats, outermost first, 1-based).
Key = tuple[str, tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class TextAnswer:
    text: str
    """Variables already filled in; lines separated by \\n, kept as written."""


@dataclass(frozen=True, slots=True)
class ChoiceAnswer:
    number: int
    text: str
    """The option's text, as printed inside [ ] on the form."""


@dataclass(frozen=True, slots=True)
class CheckedOption:
    option: str
    extra: str | None = None
    """The （ … ） free text of その他 and the named sources."""
    count: int | None = None
    """The （ n ）件 of 提供を行っている / 移転を行っている."""


@dataclass(frozen=True, slots=True)
class CheckboxAnswer:
    checked: tuple[CheckedOption, ...]
    """The ticked options in form order."""

    def get(self, option: str) -> CheckedOption | None:
        return next((c for c in self.checked if c.option == option), None)


@dataclass(frozen=True, slots=True)
class DateAnswer:
    date: WarekiDate


@dataclass(frozen=True, slots=True)
class CountAnswer:
    n: int
    stated: bool
    """False when computed from the listed rows because the spec did not state it."""


@dataclass(frozen=True, slots=True)
class FileAnswer:
    """A figure or document the user brings, inserted where the item is printed."""

    path: str
    """Absolute path, checked to exist inside the project."""
    kind: str
    """'image' or 'docx'."""


@dataclass(frozen=True, slots=True)
class NotApplicable:
    """「―」: the item does not apply. Published forms print it where a condition rules an item out."""

    mark: str = "―"


@dataclass(frozen=True, slots=True)
class Blank:
    """`""`: left blank on purpose, as the published report leaves it (特記事項 empty, a checkbox group with
    no tick). Prints nothing, and is not reported as unanswered (W701)."""


Answer = Union[TextAnswer, ChoiceAnswer, CheckboxAnswer, DateAnswer, CountAnswer, FileAnswer, NotApplicable, Blank]


@dataclass(frozen=True)
class Report:
    """A checked report: the answers of one spec against one form."""

    form: str
    """The form's name (重点項目評価書); the renderer loads the schema by it."""
    answers: dict[Key, Answer] = field(default_factory=dict)
    """Every answered field, and the titles of heading_text repeat instances (key = the repeat's id)."""
    instances: dict[Key, int] = field(default_factory=dict)
    """How many instances each repeat has, keyed by the repeat's id and its enclosing instances."""
    variables: dict[str, str] = field(default_factory=dict)
    all_slots: bool = False
    """`@空き枠 印刷する`: every slot heading of a repeat (システム6～10 …) is printed, empty, as the blank form
    prints them; by default only the headings above an instance are (as most published reports do)."""

    def get(self, item_id: str, instance: tuple[int, ...] = ()) -> Answer | None:
        return self.answers.get((item_id, instance))

    def count(self, repeat_id: str, instance: tuple[int, ...] = ()) -> int:
        return self.instances.get((repeat_id, instance), 0)
