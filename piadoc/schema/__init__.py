"""Schema stage: the official forms as data (templates/*/form.yaml)."""
from .loader import SchemaError, form_names, load_form
from .model import ChangeTable, Condition, Form, ItemDef, Option, norm

__all__ = ["ChangeTable", "Condition", "Form", "ItemDef", "Option", "SchemaError", "form_names", "load_form", "norm"]
