"""Chart drawing shared by the dashboard (desktop/ui) and the PDF report (desktop/export).

Plain engine data in, pyqtgraph items out: `charts` draws each chart, `risk_charts` the fan and
the tornado, `layers` and `axes` the helpers they share, `palette` the colours. No widget,
no store access: callers hand in the numbers.
"""
