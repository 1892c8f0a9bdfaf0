"""Charts to PNG and SVG files, written atomically (QSaveFile).

pyqtgraph 0.14.0's SVGExporter raises in `correctCoordinates` on this Qt, so SVG is drawn by
Qt itself: QSvgGenerator (QtSvg ships with PySide6-Essentials) paints the chart's part of the
scene as vectors. PNG renders the same rectangle into an image at `scale` x its size.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QEvent, QIODevice, QRectF, QSaveFile, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView

from desktop.model.errors import InputError


def _source(target) -> tuple[object, QRectF]:
    """(scene, scene rectangle) of a PlotWidget/GraphicsView or a graphics item."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)   # a chart not laid out yet draws empty
    if isinstance(target, QGraphicsView):
        scene = target.scene()
        return scene, target.mapToScene(target.viewport().rect()).boundingRect()
    if isinstance(target, QGraphicsItem):
        return target.scene(), target.sceneBoundingRect()
    raise TypeError(f"cannot export a {type(target).__name__}")


@contextmanager
def _uncached(scene):
    """Items drawn from a pixmap of themselves on screen (the dashboard's axes) drawn as
    themselves while a file is written: vectors in SVG, sharp text at PNG's scale."""
    cached = [(item, item.cacheMode()) for item in scene.items()
              if item.cacheMode() != QGraphicsItem.CacheMode.NoCache]
    for item, _mode in cached:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        yield
    finally:
        for item, mode in cached:
            item.setCacheMode(mode)


def _write(path: str | Path, data: bytes) -> None:
    out = QSaveFile(str(path))
    if not out.open(QIODevice.OpenModeFlag.WriteOnly):
        raise InputError("file", f"cannot write {path}: {out.errorString()}")
    out.write(QByteArray(data))
    if not out.commit():
        raise InputError("file", f"cannot write {path}: {out.errorString()}")


def svg_bytes(target, title: str = "") -> bytes:
    scene, rect = _source(target)
    size = QSize(max(1, round(rect.width())), max(1, round(rect.height())))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle(title or "Rackshift chart")
    generator.setDescription("Rackshift chart")
    painter = QPainter(generator)
    try:
        painter.fillRect(QRectF(0, 0, size.width(), size.height()), QColor("#FFFFFF"))
        with _uncached(scene):
            scene.render(painter, QRectF(0, 0, size.width(), size.height()), rect)
    finally:
        painter.end()
    return bytes(buffer.data())


def export_svg(target, path: str | Path, title: str = "") -> None:
    _write(path, svg_bytes(target, title))


def png_image(target, scale: float = 2.0) -> QImage:
    scene, rect = _source(target)
    image = QImage(max(1, round(rect.width() * scale)), max(1, round(rect.height() * scale)),
                   QImage.Format.Format_ARGB32)
    image.fill(QColor("#FFFFFF"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    try:
        with _uncached(scene):
            scene.render(painter, QRectF(0, 0, image.width(), image.height()), rect,
                         Qt.AspectRatioMode.IgnoreAspectRatio)
    finally:
        painter.end()
    return image


def export_png(target, path: str | Path, scale: float = 2.0) -> None:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not png_image(target, scale).save(buffer, "PNG"):
        raise InputError("file", f"cannot encode {path} as PNG")
    _write(path, bytes(buffer.data()))


def export(target, path: str | Path, title: str = "") -> None:
    """By the file's extension: .png or .svg."""
    suffix = Path(path).suffix.lower()
    if suffix == ".svg":
        export_svg(target, path, title)
    elif suffix == ".png":
        export_png(target, path)
    else:
        raise InputError("file", f"{Path(path).name}: choose a .png or .svg file name")
