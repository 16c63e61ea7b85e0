"""Other programs' top-level windows, for window capture (issue 6).

Qt only knows this program's own windows, so the list comes from the window system: on X11
(Qt platform "xcb") through python-xlib, on Windows through user32 (ctypes). Each window's
rectangle is in the window system's own coordinates, i.e. *device* pixels of the virtual
desktop; Qt keeps every screen's top-left the same in logical and device coordinates, so a
point inside screen S is at ``S.geometry().topLeft() + local * ratio`` in these coordinates.

The list is taken once, right when the screens are grabbed and before the capture overlay is
shown: the frozen picture and the windows then describe the same moment, and the overlay
(which covers everything) is not in the list. Wayland gives clients no such list; there
``list_windows`` returns None and the caller falls back to region capture.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QGuiApplication


@dataclass(frozen=True)
class TopWindow:
    wid: int
    title: str
    rect: tuple[int, int, int, int]  # x, y, w, h in desktop device pixels

    def contains(self, x: int, y: int) -> bool:
        left, top, width, height = self.rect
        return left <= x < left + width and top <= y < top + height


def window_at(windows: Iterable[TopWindow], x: int, y: int) -> TopWindow | None:
    """The topmost window (``windows`` is topmost first) containing the device point."""
    return next((window for window in windows if window.contains(x, y)), None)


def list_windows(exclude: Iterable[int] = ()) -> list[TopWindow] | None:
    """Visible top-level windows, topmost first; None where the platform cannot list them."""
    skip = set(exclude)
    platform = QGuiApplication.platformName()
    try:
        if platform == "xcb":
            found = _x11_windows()
        elif platform == "windows" and sys.platform == "win32":
            found = _win32_windows()
        else:
            return None
    except Exception:  # noqa: BLE001 - no X connection, no Xlib: window capture is unavailable
        return None
    return [window for window in found if window.wid not in skip]


# --- X11 ---------------------------------------------------------------------------------


def _x11_windows() -> list[TopWindow]:
    from Xlib import X, display  # Linux-only dependency; imported where it is needed

    conn = display.Display(os.environ.get("DISPLAY"))
    try:
        root = conn.screen().root
        stacking = _x11_property(conn, root, "_NET_CLIENT_LIST_STACKING")
        # With a window manager its client list is authoritative (the root's children are
        # frames then); without one (a bare Xvfb, kiosk sessions) the root's children are
        # the top-level windows themselves. Both lists run bottom to top.
        candidates = list(stacking) if stacking else [w.id for w in root.query_tree().children]
        desktop = conn.intern_atom("_NET_WM_WINDOW_TYPE_DESKTOP")
        result: list[TopWindow] = []
        for wid in reversed(candidates):
            window = conn.create_resource_object("window", wid)
            try:
                attrs = window.get_attributes()
                if attrs.map_state != X.IsViewable or attrs.win_class != X.InputOutput:
                    continue
                types = _x11_property(conn, window, "_NET_WM_WINDOW_TYPE") or []
                if desktop in types:  # the desktop background is "no window", not a capture
                    continue
                geo = window.get_geometry()
                origin = window.translate_coords(root, 0, 0)
            except Exception:  # noqa: BLE001 - the window went away while we looked
                continue
            # translate_coords(root, 0, 0) gives root's origin in the window: negate it.
            rect = (-origin.x, -origin.y, geo.width, geo.height)
            result.append(TopWindow(wid, _x11_title(conn, window), rect))
        return result
    finally:
        conn.close()


def _x11_property(conn: Any, window: Any, name: str) -> list[int] | None:
    reply = window.get_full_property(conn.intern_atom(name), 0)  # 0: AnyPropertyType
    return list(reply.value) if reply is not None else None


def _x11_title(conn: Any, window: Any) -> str:
    utf8 = conn.intern_atom("UTF8_STRING")
    for name, kind in (("_NET_WM_NAME", utf8), ("WM_NAME", 0)):
        try:
            reply = window.get_full_property(conn.intern_atom(name), kind)
        except Exception:  # noqa: BLE001
            continue
        if reply is not None and reply.value:
            value = reply.value
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return ""


# --- Windows (untested here: the project's CI has no Windows machine) ---------------------


def _win32_windows() -> list[TopWindow]:
    """EnumWindows walks top-level windows in z-order, topmost first. WindowFromPoint cannot
    be used at click time: the capture overlay is the window under every point by then."""
    import ctypes
    from ctypes import wintypes

    user32 = ctypes.windll.user32  # type: ignore[attr-defined]
    dwmapi = ctypes.windll.dwmapi  # type: ignore[attr-defined]
    dwma_cloaked, dwma_bounds = 14, 9  # DWMWA_CLOAKED, DWMWA_EXTENDED_FRAME_BOUNDS
    found: list[TopWindow] = []

    def visit(hwnd: int, _lparam: int) -> bool:
        if not user32.IsWindowVisible(hwnd) or user32.IsIconic(hwnd):
            return True
        cloaked = wintypes.DWORD()  # hidden UWP windows and other virtual desktops' windows
        dwmapi.DwmGetWindowAttribute(hwnd, dwma_cloaked, ctypes.byref(cloaked), 4)
        if cloaked.value:
            return True
        rect = wintypes.RECT()
        # The extended frame bounds leave out the invisible resize border GetWindowRect has.
        if dwmapi.DwmGetWindowAttribute(hwnd, dwma_bounds, ctypes.byref(rect), 16) != 0:
            user32.GetWindowRect(hwnd, ctypes.byref(rect))
        width, height = rect.right - rect.left, rect.bottom - rect.top
        if width <= 0 or height <= 0:
            return True
        length = user32.GetWindowTextLengthW(hwnd)
        buffer = ctypes.create_unicode_buffer(length + 1)
        user32.GetWindowTextW(hwnd, buffer, length + 1)
        found.append(TopWindow(int(hwnd), buffer.value, (rect.left, rect.top, width, height)))
        return True

    # typeshed declares WINFUNCTYPE for Windows only, and mypy checks this module as Linux.
    winfunctype = ctypes.WINFUNCTYPE  # type: ignore[attr-defined]
    callback = winfunctype(wintypes.BOOL, wintypes.HWND, wintypes.LPARAM)(visit)
    user32.EnumWindows(callback, 0)
    # The shell's desktop window ("Program Manager") covers the screen: it is "no window".
    shell = user32.GetShellWindow()
    return [window for window in found if window.wid != shell]
