"""Render the app icon from ``resources/icons/app.svg``: PNGs (16–512 px), ``app.ico``, ``app.icns``.

Run after editing ``app.svg``::

    QT_QPA_PLATFORM=offscreen python tools/build_icons.py

The PNGs come from QtSvg; the ``.ico`` and ``.icns`` containers are written here (both simply
wrap PNG images, which Windows Vista+ and macOS 10.7+ read), so no imaging library is needed.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# icns element types that may hold PNG data, with their pixel size.
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),  # 16 pt @2x
    (b"icp6", 64),
    (b"ic12", 64),  # 32 pt @2x
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),  # 128 pt @2x
    (b"ic09", 512),
    (b"ic14", 512),  # 256 pt @2x
)


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    """``renderer`` drawn into a transparent ``size`` × ``size`` image, as PNG bytes."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # the stubs want bytes
        raise RuntimeError(f"could not encode a {size} px PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO file holding one PNG-compressed image per size (ICONDIR + ICONDIRENTRY list)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        data = pngs[size]
        dimension = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", dimension, dimension, 0, 0, 1, 32, len(data), offset)
        images += data
        offset += len(data)
    return header + entries + images


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICNS file: ``icns`` + total length, then (type, length, PNG data) elements."""
    body = b""
    for kind, size in ICNS_TYPES:
        data = pngs[size]
        body += kind + struct.pack(">I", len(data) + 8) + data
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def build(icons: Path = ICONS) -> list[Path]:
    """Write every derived icon next to ``app.svg``; returns the files written."""
    renderer = QSvgRenderer(str(icons / "app.svg"))
    if not renderer.isValid():
        raise RuntimeError(f"{icons / 'app.svg'} is not a valid SVG")
    pngs = {size: render_png(renderer, size) for size in PNG_SIZES}
    written: list[Path] = []
    for size, data in pngs.items():
        path = icons / f"app-{size}.png"
        path.write_bytes(data)
        written.append(path)
    ico = icons / "app.ico"
    ico.write_bytes(ico_bytes({size: pngs[size] for size in ICO_SIZES}))
    icns = icons / "app.icns"
    icns.write_bytes(icns_bytes(pngs))
    return [*written, ico, icns]


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for path in build():
        sys.stdout.write(f"{path.relative_to(ROOT)} ({path.stat().st_size} bytes)\n")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
