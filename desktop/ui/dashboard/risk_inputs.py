"""The Monte Carlo's risk inputs on the dashboard: price volatilities (BTC, network hashrate,
energy, GPU-hours), the hashrate's lag behind the price, and the schedule risk (the chance a
conversion is late, and by how much).

Values are preferences (desktop.ui.preferences), so the dashboard and the PDF run the same
Monte Carlo; each change is checked by the model's rule (montecarlo.MonteCarloParams.check)
before it is kept, and `changed` hands the new `simulate` keyword arguments on.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from desktop.model import field_words, montecarlo
from desktop.model.errors import InputError
from desktop.ui import preferences as prefs


@dataclass(frozen=True)
class RiskField:
    key: str                 # montecarlo.simulate keyword
    option: prefs.Option
    label: str
    suffix: str
    maximum: float
    step: float
    tip: str


RISK_FIELDS = [
    RiskField("btc_volatility_pct_per_year", prefs.MC_VOLATILITY_PCT, "BTC price volatility", " %/yr", 300, 5,
              "yearly volatility of the BTC price around its assumed growth"),
    RiskField("hashrate_volatility_pct_per_year", prefs.MC_HASHRATE_VOLATILITY_PCT, "Hashrate volatility", " %/yr",
              300, 5, "yearly volatility of the network hashrate beyond following the price"),
    RiskField("hashrate_lag_months", prefs.MC_HASHRATE_LAG_MONTHS, "Hashrate lag", " months", 120, 1,
              "months the network hashrate takes to follow a move of the BTC price"),
    RiskField("energy_volatility_pct_per_year", prefs.MC_ENERGY_VOLATILITY_PCT, "Energy price volatility", " %/yr",
              300, 5, "yearly volatility of every site's energy price (and its power credits)"),
    RiskField("gpu_price_volatility_pct_per_year", prefs.MC_GPU_VOLATILITY_PCT, "GPU-hour price volatility",
              " %/yr", 300, 5, "yearly volatility of the GPU-hour price of GPU cloud conversions"),
    RiskField("delay_probability_pct", prefs.MC_DELAY_PROBABILITY_PCT, "Chance a conversion is late", " %", 100, 5,
              "schedule risk: the chance that each conversion's commercial operation slips"),
    RiskField("delay_months", prefs.MC_DELAY_MONTHS, "Late by", " months", 60, 1,
              "schedule risk: how many months a late conversion slips (its capex stays as booked)"),
]


def mc_options() -> dict:
    """The stored risk inputs as montecarlo.simulate keyword arguments."""
    return {f.key: prefs.get(f.option) for f in RISK_FIELDS}


class RiskInputs(QWidget):
    changed = Signal(dict)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("riskInputs")
        self.spins: dict[str, QDoubleSpinBox | QSpinBox] = {}
        col = QVBoxLayout(self)
        col.setContentsMargins(8, 0, 8, 8)
        title = QLabel("Monte Carlo risks")
        title.setStyleSheet("font-weight: 600; font-size: 10pt;")
        col.addWidget(title)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setVerticalSpacing(2)
        values = mc_options()
        for f in RISK_FIELDS:
            spin = QSpinBox() if f.option.type is int else QDoubleSpinBox()
            spin.setObjectName(f"risk_{f.key}")
            spin.setRange(0, int(f.maximum) if f.option.type is int else f.maximum)
            spin.setSingleStep(int(f.step) if f.option.type is int else f.step)
            spin.setSuffix(f.suffix)
            spin.setKeyboardTracking(False)
            typical = field_words.typical("montecarlo", f.key)
            spin.setToolTip(f.tip + (f"\n{typical[0].upper()}{typical[1:]}" if typical else ""))
            spin.setValue(values[f.key])
            spin.valueChanged.connect(lambda v, field=f: self.set_value(field.key, v))
            form.addRow(f.label, spin)
            self.spins[f.key] = spin
        col.addLayout(form)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #B91C1C;")
        col.addWidget(self.message)

    def options(self) -> dict:
        return mc_options()

    def set_value(self, key: str, value) -> None:
        """Keep a risk input (checked by the model's rule) and hand the new options on."""
        field = next(f for f in RISK_FIELDS if f.key == key)
        value = int(value) if field.option.type is int else float(value)
        options = {**mc_options(), key: value}
        try:
            montecarlo.MonteCarloParams(**options).check()
        except InputError as exc:
            self.message.setText(field_words.sentence("montecarlo", key, exc.message))
            return
        self.message.setText("")
        prefs.put(field.option, value)
        if self.spins[key].value() != value:
            self.spins[key].blockSignals(True)
            self.spins[key].setValue(value)
            self.spins[key].blockSignals(False)
        self.changed.emit(options)
