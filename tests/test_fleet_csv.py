"""The fleet CSV parser and its application to a project: line numbers, all-or-nothing, undo."""
import string

from hypothesis import given, settings, strategies as st

from desktop.model.errors import InputError
from desktop.model.fleet_csv import COLUMNS, parse_fleet_csv, read_fleet_csv
from desktop.store import catalog, fleet_import, sites

HEADER = ",".join(COLUMNS)


def test_good_rows_and_thousands_separators():
    parsed = parse_fleet_csv("\ufeffSite,Model,Count,Uptime_pct\nRed Mesa,Antminer S21,\"12,000\",96\n\n")
    assert parsed.ok
    (row,) = parsed.rows
    assert (row.line, row.site, row.model, row.count, row.uptime_pct, row.hashrate_ths) == (2, "Red Mesa", "Antminer S21", 12000, 96.0, None)


def test_errors_name_line_and_column():
    text = (HEADER + "\n"
            "Red Mesa,Antminer S21,10,,,96,5\n"
            "Red Mesa,Antminer S21,-3,,,96,5\n"
            "Red Mesa,\"two\nlines\",1,200,3000,101,0\n"
            "Red Mesa,X,1,abc,3000,50,0\n"
            "Red Mesa,Antminer S21,10,,,96,5\n"
            "too,few\n")
    parsed = parse_fleet_csv(text)
    assert [str(e) for e in parsed.errors] == [
        "line 3, column count: must be at least 0",
        "line 4, column uptime_pct: must be between 0 and 100",
        "line 6, column hashrate_ths: must be a number",
        "line 7: Antminer S21 at Red Mesa again (first on line 2)",
        "line 8: has 2 cells, the header has 7",
    ]
    assert [r.line for r in parsed.rows] == [2]


def test_header_problems():
    assert [str(e) for e in parse_fleet_csv("site,modle,count\n").errors] == [
        "line 1, column modle: unknown column (did you mean model?)", "line 1, column model: missing (required)"]
    assert "empty" in str(parse_fleet_csv("").errors[0])
    assert str(parse_fleet_csv("site,model,count\n").errors[0]) == "line 2: no fleet rows after the header"


def test_size_limit_and_encoding(tmp_path):
    big = tmp_path / "big.csv"
    big.write_bytes(b"site,model,count\n" + b"a,b,1\n" * 10)
    try:
        read_fleet_csv(big, max_bytes=50)
    except InputError as exc:
        assert "larger than" in exc.message
    else:
        raise AssertionError("not refused")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("site,model,count\nS\xe9te,b,1\n".encode("latin-1"))
    try:
        read_fleet_csv(latin)
    except InputError as exc:
        assert exc.field == "line 2" and "UTF-8" in exc.message
    else:
        raise AssertionError("not refused")


cells = st.text(alphabet=string.printable + "é,\"\n\r\x00\ufeff", max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(cells, max_size=9), max_size=8), st.booleans())
def test_any_text_gives_rows_or_input_errors(table, with_header):
    lines = [",".join(row) for row in table]
    if with_header:
        lines.insert(0, HEADER)
    parsed = parse_fleet_csv("\n".join(lines))
    for err in parsed.errors:
        assert isinstance(err, InputError) and err.field.startswith("line ")
    for row in parsed.rows:
        assert row.count >= 0 and row.site and row.model


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_only_input_error(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("csv") / "f.csv"
    path.write_bytes(raw)
    try:
        parsed = read_fleet_csv(path)
    except InputError:
        return
    parsed_errors_are_input_errors = all(isinstance(e, InputError) for e in parsed.errors)
    assert parsed_errors_are_input_errors


def test_apply_is_all_or_nothing_and_undoable(demo_project):
    project = demo_project
    red = sites.by_name(project, "Red Mesa")
    before = {m.name: (e.count, e.uptime_pct) for e, m in sites.fleet(project, red.id)}
    text = (HEADER + "\n"
            "Red Mesa,Antminer S21,12500,,,97,\n"
            "Red Mesa,Whatsminer M60S,400,,,,\n"
            "Wolf Creek,Bitaxe Gamma,10,1.2,17,,\n")
    prepared = fleet_import.prepare(project, parse_fleet_csv(text).rows)
    assert not prepared.errors
    assert [c.describe() for c in prepared.changes] == [
        "update: count 12,000 → 12,500, uptime 96 → 97", "add", "add (new catalog model)"]
    record = fleet_import.apply(project, prepared)
    after = {m.name: (e.count, e.uptime_pct) for e, m in sites.fleet(project, red.id)}
    assert after["Antminer S21"] == (12500, 97) and after["Whatsminer M60S"] == (400, 100)
    assert catalog.by_name(project, "Bitaxe Gamma").hashrate_ths == 1.2
    fleet_import.undo(project, record)
    assert {m.name: (e.count, e.uptime_pct) for e, m in sites.fleet(project, red.id)} == before
    assert catalog.by_name(project, "Bitaxe Gamma") is None
    fleet_import.redo(project, record)
    assert {m.name: (e.count, e.uptime_pct) for e, m in sites.fleet(project, red.id)} == after


def test_bad_rows_against_the_project(demo_project):
    text = (HEADER + "\n"
            "Nowhere,Antminer S21,1,,,,\n"
            "Red Mesa,GB200 NVL72,1,,,,\n"
            "Red Mesa,Unknown miner,1,,,,\n"
            "Red Mesa,Antminer S21,1,999,,,\n")
    prepared = fleet_import.prepare(demo_project, parse_fleet_csv(text).rows)
    assert [str(e) for e in prepared.errors] == [
        "line 2, column site: no site named 'Nowhere' (sites: Red Mesa, Lac Bleu, Wolf Creek)",
        "line 3, column model: GB200 NVL72 is a GPU system, not an ASIC miner",
        "line 4, column hashrate_ths: required: Unknown miner is not in the catalog",
        "line 5, column hashrate_ths: the catalog has 200 for Antminer S21; edit the catalog or leave the cell empty",
    ]
    try:
        fleet_import.apply(demo_project, prepared)
    except InputError:
        pass
    else:
        raise AssertionError("applied a bad import")
