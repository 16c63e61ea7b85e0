"""Run in a subprocess by test_window_fits_screen.py, on an offscreen screen of the size the
platform's config file gives (1366×768): prints one JSON object of measured geometries.

argv: data dir, settings file, "big" to start from a geometry saved on a larger screen."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

# Run as a script: the checkout's root, for ``tests.queue_data``, is not on the path by itself.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def pump(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> None:
    data, ini, start = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    app = QApplication(sys.argv[:1])
    from pakn_desktop.services.app_services import AppServices
    from pakn_desktop.services.database import open_database
    from pakn_desktop.services.environment import resolve
    from pakn_desktop.ui.application import configure
    from pakn_desktop.ui.main.build import build_main_window
    from pakn_desktop.ui.queue.cells import COL_CODE
    from tests.queue_data import fill_tickets

    configure(app)
    screen = app.primaryScreen()
    area = screen.availableGeometry()
    settings = QSettings(ini, QSettings.Format.IniFormat)
    if start == "big":  # as saved on a 1920×1200 monitor: larger than this screen
        from PySide6.QtWidgets import QMainWindow

        big = QMainWindow()
        big.setGeometry(0, 0, 1900, 1150)
        big.show()
        pump(50)
        settings.setValue("main/geometry", big.saveGeometry())
        big.close()
    env = resolve(data_dir=str(data))
    database = open_database(env)
    fill_tickets(database.engine, 300)
    win = build_main_window(AppServices(lambda: database, env), env, settings=settings)
    win.show()
    win.start()
    pump(1500)
    out: dict[str, object] = {"area": [area.width(), area.height()], "screens": {}}
    sizes: dict[str, list[int]] = {}
    for number in range(5):
        win.show_screen(number)
        pump(700)
        frame = win.frameGeometry()
        sizes[str(number)] = [frame.x(), frame.y(), frame.width(), frame.height()]
    win.show_screen(1)
    table = win.queue.table
    for role in ("operator", "supervisor", "admin", "unit_officer"):
        win.role_box.setCurrentIndex(win.role_box.findData(role))
        for row in range(0, 30, 3):
            table.setCurrentIndex(win.queue.model.index(row, COL_CODE))
            pump(100)
            frame = win.frameGeometry()
            sizes[f"{role}-{row}"] = [frame.x(), frame.y(), frame.width(), frame.height()]
    # Every status-bar warning at once (no gateway, a skewed clock) on the widest screen.
    win.show_unsent("Chưa cấu hình cổng SMS / máy chủ thư: tin nhắn cho đơn vị chưa được gửi")
    win.status.clock_label.setText("⚠ Đồng hồ máy trạm nhanh 12,5 phút so với máy chủ")
    win.status.clock_label.show()
    win.show_message("PA-261207-HN01-0001: Chuyển xử lý — xong. Chưa cấu hình cổng SMS / máy chủ")
    win.database_label.setText("CSDL: postgresql+psycopg://pakn_operator@csdl-trungtam.tinh.gov.vn")
    pump(300)
    out["minimum"] = [win.minimumSizeHint().width(), win.minimumSizeHint().height()]
    frame = win.frameGeometry()
    sizes["warnings"] = [frame.x(), frame.y(), frame.width(), frame.height()]
    out["screens"] = sizes
    win.resize(1900, 1150)  # whatever made it grow: what is saved still fits
    pump(100)
    win.close()
    pump(100)
    saved = settings.value("main/geometry")
    out["saved"] = saved_frame(saved)
    database.close()
    print(json.dumps(out))


def saved_frame(saved: object) -> list[int]:
    """The frame rectangle as saved (read from the bytes: restoring would clamp it)."""
    import struct

    assert isinstance(saved, QByteArray)
    raw = bytes(saved.data())
    # QWidget::saveGeometry: magic (u32), version (2×u16), frame rect (x1, y1, x2, y2), …
    left, top, right, bottom = struct.unpack(">4i", raw[8:24])
    return [left, top, right - left + 1, bottom - top + 1]


if __name__ == "__main__":
    main()
