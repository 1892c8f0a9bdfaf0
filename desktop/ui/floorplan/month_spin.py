"""The floor plan's month box is the app's one month editor (desktop.ui.month_spin)."""
from desktop.ui.month_spin import MonthSpinBox

__all__ = ["MonthSpinBox"]
