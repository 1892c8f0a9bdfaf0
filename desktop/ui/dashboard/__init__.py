"""The dashboard: the current plan against keeping on mining, live (see README-section.md)."""
