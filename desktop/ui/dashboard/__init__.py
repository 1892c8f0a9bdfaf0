"""The dashboard: the current plan against keeping on mining, live (see the README, "Plans and dashboard")."""
