"""desktop.model and desktop.store never import Qt or pyqtgraph."""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORE = ["desktop.model", "desktop.store"]


def _core_modules():
    for package in ("model", "store"):
        for path in sorted((ROOT / "desktop" / package).glob("*.py")):
            yield f"desktop.{package}.{path.stem}".removesuffix(".__init__")


def test_core_imports_no_qt_in_a_fresh_interpreter():
    modules = list(_core_modules())
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules) +
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6'))\n"
            "print(','.join(bad))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "", f"the core imported {out.stdout.strip()}"


def test_core_source_never_names_qt():
    for package in ("model", "store"):
        for path in (ROOT / "desktop" / package).rglob("*.py"):
            text = path.read_text()
            for name in ("PySide6", "pyqtgraph", "shiboken6"):
                assert f"import {name}" not in text and f"from {name}" not in text, f"{path} imports {name}"
