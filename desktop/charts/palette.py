"""One set of colours for every chart, the dashboard's tiles and the PDF.

Mining is Bitcoin orange, hosting blue, costs warm greys and reds, the delta green;
a colour means the same thing in every chart.
"""
from __future__ import annotations

BASELINE = "#E8871E"      # keep on mining
PLAN = "#2563EB"          # the plan
DELTA = "#059669"         # plan minus baseline
MINING = "#F59E0B"        # mining revenue, mining MW
HOSTING = "#3B82F6"       # hosting revenue, hosting MW
RESALE = "#8B5CF6"        # miners sold
POWER = "#DC2626"         # power cost
OPEX = "#9CA3AF"          # opex
CAPEX = "#374151"         # capex
NET = "#111827"           # net cash line
GRID = "#B91C1C"          # grid limit
HALVING = "#6B7280"       # halving marker
HASHPRICE = "#D97706"
COST_PER_BTC = "#7C3AED"
BTC_PRICE = "#0EA5E9"
LOW = "#F97316"           # tornado: the input moved down
HIGH = "#2563EB"          # tornado: the input moved up
FAN_OUTER = (5, 150, 105, 45)   # 5-95 % band (RGBA)
FAN_INNER = (5, 150, 105, 90)   # 25-75 % band
FOREGROUND = "#374151"
GRIDLINES = 60            # grid alpha 0..255 (vertical grid)
GRIDLINE = "#E5E7EB"      # horizontal grid lines (opaque)
BACKGROUND = "#FFFFFF"

# plans in comparisons, in order
SERIES = ["#2563EB", "#059669", "#DB2777", "#7C3AED", "#0891B2", "#CA8A04", "#4B5563"]
