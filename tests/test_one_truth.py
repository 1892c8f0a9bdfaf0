"""One rule, one place: the plan's rules live in desktop/model/rules (and the grid in
desktop/model/site_grid.py); no SQL, transaction or connection outside desktop/store."""
import pathlib
import re
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
RULE_HOMES = ("desktop/model/rules/", "desktop/model/site_grid.py")
# the comparisons that make each rule: nowhere else may a limit be compared
RULE_PATTERNS = {
    "rack feed": r"[<>]=?\s*[\w.]*max_rack_kw|max_rack_kw\s*[<>]|position_kw\s*>\s*max_rack_kw",
    "floor load": r"[<>]=?\s*[\w.]*floor_load_kg|floor_load_kg\s*[<>]",
    "cooling": (r"cooling\s*!=\s*\"liquid\"\s+or\s+[\w.]*cooling\s*==\s*\"liquid-ready\""
                r"|cooling\s*==\s*\"liquid\"\s+and\s+[\w.]*cooling\s*!=\s*\"liquid-ready\""),
    "hall power": r"[<>]=?\s*[\w.]*power_capacity_kw|[<>]\s*[\w.]*capacity_kw\s*\*\s*\(1",
    "fleet counts": r"but the site has|total\s*>\s*counts",
    "site grid": r"[<>]\s*[\w.\[\]\"']*grid_capacity_mw|load\s*-\s*capacity\s*>|-\s*[\w.]*capacity_mw\s*>\s*GRID_TOLERANCE",
}


def _sources():
    for path in sorted((ROOT / "desktop").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        yield rel, path.read_text(encoding="utf-8")


def test_each_rule_is_written_once():
    for rule, pattern in RULE_PATTERNS.items():
        homes = [rel for rel, text in _sources() if re.search(pattern, text)]
        strays = [rel for rel in homes if not rel.startswith(RULE_HOMES)]
        assert homes, f"the {rule} rule is not where this test looks for it"
        assert strays == [], f"a copy of the {rule} rule outside desktop/model/rules: {strays}"


def test_no_sql_transaction_or_connection_outside_the_store():
    out = subprocess.run(["git", "grep", "-n", r"atomic()\|execute(\|\.conn\b\|sqlite3\|sqlite_utils",
                          "desktop/ui", "desktop/export", "desktop/cli", "desktop/charts", "desktop/model"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode in (0, 1), out.stderr
    assert out.stdout == ""
