"""The current plan's economics, kept up to date with every edit.

`LiveModel(ctx)` listens to `ctx.changed` (every editor, undo and redo included) and, on the
next turn of the event loop (a zero single-shot timer, so a burst of edits is evaluated
once), evaluates the scenario of the current plan on the GUI thread: the engine takes a few
milliseconds for the demo. An edit that leaves the scenario as it was (the engine reads only
the scenario) reuses the last result instead. It emits `evaluated(detail)` or
`failed(InputError)`.

The risk (the tornado and the Monte Carlo paths) takes longer, so it runs in a QThreadPool
worker (desktop.ui.background.Latest) after the edits have paused for `RISK_DELAY_MS`; each
new evaluation cancels the running one, and a result that comes back from an older
generation is dropped. `riskProgress(fraction)` reports progress; `riskReady(Risk)` delivers.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.model import engine, montecarlo, sensitivity
from desktop.model.errors import InputError
from desktop.store import checks, plans
from desktop.ui.background import Latest

RISK_DELAY_MS = 250
MC_PATHS = 10_000


@dataclass
class Risk:
    generation: int
    tornado: list[dict]
    montecarlo: object | None     # montecarlo.MonteCarloResult


def risk_work(scenario: dict, detail, n_paths: int = MC_PATHS, options: dict | None = None):
    """The background job: tornado bars, then the Monte Carlo paths (cancellable); `options`
    are montecarlo.simulate's risk inputs (volatilities, schedule risk)."""
    def work(progress, cancelled):
        bars = sensitivity.tornado(scenario) if detail.plan is not None else []
        progress(0.1)
        if cancelled():
            raise montecarlo.Cancelled()
        mc = montecarlo.simulate(scenario, n_paths, seed=0, detail=detail, cancelled=cancelled,
                                 progress=lambda done, total: progress(0.1 + 0.9 * done / total), **(options or {}))
        return bars, mc
    return work


class LiveModel(QObject):
    evaluated = Signal(object)      # engine.Detail
    failed = Signal(object)         # InputError
    blocked = Signal(str)           # after `evaluated`: "" or what blocks the plan's economics (the detail is the baseline's)
    riskStarted = Signal()
    riskProgress = Signal(float)
    riskReady = Signal(object)      # Risk
    riskFailed = Signal(object)

    def __init__(self, ctx, parent: QObject | None = None, n_paths: int = MC_PATHS):
        super().__init__(parent)
        self.ctx = ctx
        self.n_paths = n_paths
        self.mc_options: dict = {}      # montecarlo.simulate's risk inputs (the dashboard's risk panel)
        self.detail = None
        self.scenario: dict | None = None
        self.error: InputError | None = None
        self.blocked_text = ""      # the plan's breaches that block its economics (desktop.store.checks)
        self.risk: Risk | None = None
        self.evaluations = 0
        self.reused = 0                 # evaluations that found the scenario unchanged
        self.last_eval_ms = 0.0
        self.risk_enabled = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.evaluate_now)
        self._risk_timer = QTimer(self)
        self._risk_timer.setSingleShot(True)
        self._risk_timer.setInterval(RISK_DELAY_MS)
        self._risk_timer.timeout.connect(self.start_risk)
        self.runner = Latest(self)
        self.runner.result.connect(self._risk_arrived)
        self.runner.error.connect(self._risk_error)
        self.runner.progress.connect(self.riskProgress)
        ctx.changed.connect(self.schedule)
        ctx.planChanged.connect(lambda _id: self.schedule())

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def schedule(self, *_args) -> None:
        """Evaluate on the next turn of the event loop (edits in one burst: once)."""
        self._timer.start()

    def current_evaluation(self) -> checks.Evaluation:
        """The current plan's scenario, or the baseline's while breaches block the plan's economics."""
        plan_id = self.ctx.plan_id
        if plan_id is not None and not any(p.id == plan_id for p in plans.plans(self.ctx.project)):
            plan_id = None
        return checks.evaluation(self.ctx.project, plan_id)

    def current_scenario(self) -> dict:
        return self.current_evaluation().scenario

    def evaluate_now(self) -> None:
        self._timer.stop()
        started = time.perf_counter()
        self.evaluations += 1
        try:
            evaluation = self.current_evaluation()
            scenario = evaluation.scenario
            if self.detail is not None and scenario == self.scenario and evaluation.blocked == self.blocked_text:
                # an edit the economics do not rest on (a note, a name the scenario leaves out):
                # the same scenario has the same result, and the risk running for it stays
                self.last_eval_ms = (time.perf_counter() - started) * 1000
                self.reused += 1
                self.evaluated.emit(self.detail)
                self.blocked.emit(self.blocked_text)
                return
            detail = engine.evaluate_detail(scenario)
        except InputError as exc:
            self.error, self.detail = exc, None
            self.runner.cancel()
            self.last_eval_ms = (time.perf_counter() - started) * 1000
            self.failed.emit(exc)
            return
        self.scenario, self.detail, self.error = scenario, detail, None
        self.blocked_text = evaluation.blocked
        self.last_eval_ms = (time.perf_counter() - started) * 1000
        self.runner.cancel()            # the running risk is for an older scenario
        self.evaluated.emit(detail)
        self.blocked.emit(self.blocked_text)
        if self.risk_enabled:
            self._risk_timer.start()

    def start_risk(self) -> None:
        self._risk_timer.stop()
        if self.detail is None:
            return
        self.runner.start(risk_work(self.scenario, self.detail, self.n_paths, dict(self.mc_options)))
        self.riskStarted.emit()

    def cancel_risk(self) -> None:
        self._risk_timer.stop()
        self.runner.cancel()

    def _risk_arrived(self, value) -> None:
        bars, mc = value
        self.risk = Risk(self.runner.generation, bars, mc)
        self.riskReady.emit(self.risk)

    def _risk_error(self, exc) -> None:
        if not isinstance(exc, montecarlo.Cancelled):
            self.riskFailed.emit(exc)

    def shutdown(self) -> None:
        self._timer.stop()
        self.cancel_risk()
        self.runner.wait(5000)
