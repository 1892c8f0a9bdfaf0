"""Draw Rackshift's application icon and write it in every format the bundles need.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icon.py

writes resources/icons/rackshift.{png,svg,ico,icns} (the PNG is 256 px; the ICO and ICNS
hold several sizes). The generated files are committed; run this again only to change
the drawing. The motif: a server rack whose top units are orange mining units and whose
lower units are GPU servers, with a green chip in front — a rack shifting to AI.
"""
from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QLinearGradient, QPainter, QPen
from PySide6.QtSvg import QSvgGenerator

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"
GRID = 256.0  # the drawing's own coordinate space

BACKGROUND_TOP, BACKGROUND_BOTTOM = QColor("#1e3a5f"), QColor("#0b1626")
RACK, RACK_EDGE = QColor("#2b3a4e"), QColor("#9fb3c8")
MINER, GPU, GPU_LIGHT = QColor("#f29d38"), QColor("#2bb673"), QColor("#b8f5d3")
CHIP, CHIP_CORE = QColor("#34d399"), QColor("#064e3b")


def paint(p: QPainter, size: float) -> None:
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / GRID, size / GRID)
    # rounded tile
    gradient = QLinearGradient(0, 8, 0, 248)
    gradient.setColorAt(0, BACKGROUND_TOP)
    gradient.setColorAt(1, BACKGROUND_BOTTOM)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(gradient)
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 44, 44)
    # the rack
    p.setPen(QPen(RACK_EDGE, 7))
    p.setBrush(RACK)
    p.drawRoundedRect(QRectF(46, 30, 130, 196), 12, 12)
    # its units: two mining units on top, three GPU servers below
    p.setPen(Qt.PenStyle.NoPen)
    for i in range(5):
        y = 46 + i * 34
        p.setBrush(MINER if i < 2 else GPU)
        p.drawRoundedRect(QRectF(62, y, 98, 24), 5, 5)
        p.setBrush(QColor("#1b2634"))
        p.drawRoundedRect(QRectF(70, y + 8, 44, 8), 3, 3)  # the vent slot
        p.setBrush(QColor("#fff4e0") if i < 2 else GPU_LIGHT)
        p.drawEllipse(QRectF(140, y + 7, 10, 10))  # the status light
    # the chip in front, bottom right
    chip = QRectF(144, 144, 80, 80)
    p.setBrush(CHIP)
    pin = QPen(CHIP, 7)
    pin.setCapStyle(Qt.PenCapStyle.RoundCap)
    p.setPen(pin)
    for k in range(4):
        o = chip.left() + 16 + k * 16
        p.drawLine(o, chip.top() - 12, o, chip.top())
        p.drawLine(o, chip.bottom(), o, chip.bottom() + 12)
        o = chip.top() + 16 + k * 16
        p.drawLine(chip.left() - 12, o, chip.left(), o)
        p.drawLine(chip.right(), o, chip.right() + 12, o)
    p.setPen(QPen(BACKGROUND_BOTTOM, 5))
    p.drawRoundedRect(chip, 12, 12)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(CHIP_CORE)
    p.drawRoundedRect(chip.adjusted(20, 20, -20, -20), 6, 6)
    p.setBrush(CHIP)
    p.drawRoundedRect(chip.adjusted(32, 32, -32, -32), 3, 3)


def render(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    paint(p, size)
    p.end()
    return image


def png_bytes(size: int) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    render(size).save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def ico_bytes(sizes=(16, 24, 32, 48, 64, 128, 256)) -> bytes:
    """A Windows .ico with one PNG-compressed image per size (Vista and later read these)."""
    images = [png_bytes(s) for s in sizes]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries = b""
    for s, data in zip(sizes, images):
        entries += struct.pack("<BBBBHHII", s % 256, s % 256, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return header + entries + b"".join(images)


def icns_bytes() -> bytes:
    """A macOS .icns with PNG entries from 16 to 1024 px."""
    types = [(b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
             (b"ic09", 512), (b"ic10", 1024)]
    body = b"".join(kind + struct.pack(">I", 8 + len(d)) + d
                    for kind, d in ((kind, png_bytes(s)) for kind, s in types))
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write_svg(path: Path) -> None:
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(256, 256))
    generator.setViewBox(QRectF(0, 0, 256, 256))
    generator.setTitle("Rackshift")
    generator.setDescription("Rackshift application icon")
    p = QPainter(generator)
    paint(p, 256)
    p.end()


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (fonts, painting)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "rackshift.png").write_bytes(png_bytes(256))
    (OUT / "rackshift.ico").write_bytes(ico_bytes())
    (OUT / "rackshift.icns").write_bytes(icns_bytes())
    write_svg(OUT / "rackshift.svg")
    for name in ("rackshift.png", "rackshift.svg", "rackshift.ico", "rackshift.icns"):
        print(f"{OUT / name}: {(OUT / name).stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
