"""Diff stage: two checked reports of one form → the 変更箇所 rows a revision needs."""
from .compare import ChangeRow, diff_reports
from .paths import item_path

__all__ = ["ChangeRow", "diff_reports", "item_path"]
