"""The offline bundle's spec, checked statically (the build itself runs in CI: `make package`
then `make bundle-selftest`, from .ci/run).

The spec is read as Python source: its settings and plugin filter are taken out of it with
`ast` and run here, so these tests need neither PyInstaller nor a build."""
from __future__ import annotations

import ast
import os
import re
import stat
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "rackshift.spec"


@pytest.fixture(scope="module")
def spec_tree() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))


@pytest.fixture(scope="module")
def spec_ns(spec_tree) -> dict:
    """The spec's constants and pure helper functions, executed without PyInstaller."""
    wanted = {"QT_EXCLUDES", "EXCLUDES", "KEEP_PLUGINS"}
    nodes = [n for n in spec_tree.body
             if (isinstance(n, ast.Assign) and any(getattr(t, "id", None) in wanted for t in n.targets))
             or (isinstance(n, ast.FunctionDef) and n.name in {"_parts", "_plugin_wanted", "_wanted"})]
    ns: dict = {"PurePath": __import__("pathlib").PurePath, "os": os}
    exec(compile(ast.Module(body=nodes, type_ignores=[]), str(SPEC), "exec"), ns)
    return ns


def _calls(tree: ast.AST, name: str) -> list[ast.Call]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)
            and getattr(n.func, "id", getattr(n.func, "attr", None)) == name]


def test_spec_is_analysis_pyz_exe_collect(spec_tree):
    for step in ("Analysis", "PYZ", "EXE", "COLLECT"):
        assert _calls(spec_tree, step), f"the spec has no {step}(...)"
    assert re.search(r'^NAME = "rackshift"$', SPEC.read_text(), re.M), "the bundle and executable are named rackshift"


def test_no_collect_all_of_pyside6(spec_tree):
    assert not _calls(spec_tree, "collect_all"), "collect_all would carry every Qt module (hundreds of MB)"


def test_unused_qt_modules_and_other_bindings_are_excluded(spec_ns):
    excludes = set(spec_ns["EXCLUDES"])
    for module in ("QtNetwork", "QtWebEngineCore", "QtWebEngineWidgets", "Qt3DCore", "QtQuick", "QtQml",
                   "QtMultimedia", "QtSql", "QtBluetooth", "QtPositioning", "QtSerialPort", "QtDesigner",
                   "QtHelp"):
        assert f"PySide6.{module}" in excludes, module
    for other in ("PyQt5", "PyQt6", "PySide2", "tkinter", "matplotlib", "IPython", "scipy", "pytest"):
        assert other in excludes, other
    # pyqtgraph imports these at load time: excluding them would break every chart
    for needed in ("QtCore", "QtGui", "QtWidgets", "QtOpenGL", "QtOpenGLWidgets"):
        assert f"PySide6.{needed}" not in excludes, needed


def test_datas_carry_db_and_resources_where_paths_finds_them(spec_tree, monkeypatch, tmp_path):
    datas = next(n for n in spec_tree.body if isinstance(n, ast.Assign)
                 and getattr(n.targets[0], "id", None) == "datas")
    dests = {ast.literal_eval(t.elts[1]) for t in datas.value.elts}
    sources = {ast.unparse(t.elts[0]) for t in datas.value.elts}
    assert dests == {"db", "resources", "."}
    assert sources == {"str(ROOT / 'db')", "str(ROOT / 'resources')", "str(ROOT / 'README.md')"}, \
        "from the repository, via SPECPATH (the README is the offline user manual)"
    # desktop/paths.py looks for exactly those folders under sys._MEIPASS
    import sys

    from desktop import paths

    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.db_dir() == tmp_path / "db"
    assert paths.resources_dir() == tmp_path / "resources"
    assert paths.manual_path() == tmp_path / "README.md"
    assert (ROOT / "db" / "migrations").is_dir() and (ROOT / "db" / "catalog.json").is_file()
    assert (ROOT / "resources" / "demo" / "portfolio.json").is_file()


def test_whole_desktop_package_and_pyqtgraph_data_are_collected(spec_tree):
    text = SPEC.read_text()
    assert 'hiddenimports=collect_submodules("desktop")' in text, "views are imported by name"
    assert 'collect_data_files("desktop")' in text
    assert 'collect_data_files("pyqtgraph"' in text


def test_paths_are_relative_to_the_spec(spec_tree):
    assert "SPECPATH" in SPEC.read_text()
    for node in ast.walk(spec_tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert not re.match(r"^(/\w|[A-Za-z]:\\)", node.value), f"absolute path in the spec: {node.value}"


@pytest.mark.parametrize("dest, kept", [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
    ("PySide6/Qt/plugins/platforms/libqminimal.so", True),
    ("PySide6\\plugins\\platforms\\qwindows.dll", True),
    ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
    ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
    ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),
    ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", True),
    ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
    ("numpy/_core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so", True),
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
    ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
    ("PySide6/Qt/plugins/networkinformation/libqnetworkmanager.so", False),
    ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
    ("PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so", False),
    ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
    ("PySide6/Qt/translations/qtbase_de.qm", False),
    ("PySide6\\translations\\qt_fr.qm", False),
])
def test_plugin_and_translation_filter(spec_ns, dest, kept):
    assert spec_ns["_wanted"](dest) is kept


def test_desktop_code_uses_no_excluded_module(spec_ns):
    """A feature that imports an excluded module would break only in the bundle: catch it here."""
    excluded = set(spec_ns["EXCLUDES"])
    offenders = []
    for path in sorted((ROOT / "desktop").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                if any(name == e or name.startswith(e + ".") for e in excluded):
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert not offenders, "imports of modules the bundle excludes (packaging/rackshift.spec EXCLUDES):\n" + "\n".join(offenders)


def test_icons_desktop_entry_and_build_targets():
    icons = ROOT / "resources" / "icons"
    for name in ("rackshift.png", "rackshift.svg", "rackshift.ico", "rackshift.icns"):
        assert (icons / name).stat().st_size > 0, name
    assert (icons / "rackshift.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (icons / "rackshift.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (icons / "rackshift.icns").read_bytes()[:4] == b"icns"
    entry = (ROOT / "packaging" / "rackshift.desktop").read_text()
    for line in ("[Desktop Entry]", "Type=Application", "Name=Rackshift", "Icon=rackshift", "Exec=rackshift %f"):
        assert line in entry.splitlines(), line
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^package:", makefile, re.M) and re.search(r"^bundle-selftest:", makefile, re.M)
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert ci.index("make test") < ci.index("make package") < ci.index("make bundle-selftest")
    check = ROOT / "packaging" / "check_bundle.sh"
    assert check.stat().st_mode & stat.S_IXUSR
    assert "--self-test" in check.read_text() and "env -i" in check.read_text()
