"""The screens shot: each a small builder that brings the window to a realistic state."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pakn_desktop.ui.screenshot.shot import QUEUE, Session, Shot

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

INTAKE, DASHBOARD, REPORTS, ADMIN = 0, 2, 3, 4  # the navigation's rows
QUEUE_TEXT = "Cây xanh"  # the queue shot's text filter (the search index; ~2% of demo reports)


def show_status(running: Session, status: str, label: str) -> None:
    """The queue filtered to reports in ``status``, the first selected, its detail read."""
    from pakn_desktop.data.queue_types import QueueQuery

    window, wait = running.window, running.wait
    window.show_screen(QUEUE)
    queue = window.queue
    query = QueueQuery(statuses=(status,))
    queue.show_query(query, label)
    wait(lambda: queue.model.query == query and queue.model.is_exact())
    select_first(running)


def select_first(running: Session) -> None:
    if running.window.queue.model.rowCount():
        select_row(running, 0)


def select_row(running: Session, row: int) -> None:
    """Row ``row`` of the queue selected and its detail read."""
    queue = running.window.queue
    code = queue.model.data(queue.model.index(row, 0))
    queue.table.selectRow(row)
    running.wait(lambda: queue.detail.title.text() == code)


def set_role(running: Session, role: str) -> None:
    """The role chosen in the status bar (no logins yet): the admin sees every action."""
    box = getattr(running.window, "role_box", None)
    if box is not None:
        box.setCurrentIndex(box.findData(role))


def _main(running: Session) -> QWidget | None:
    running.window.queue.clear_filters()
    running.wait(lambda: running.window.queue.model.is_exact())
    select_first(running)
    return None


def _queue(running: Session) -> QWidget | None:
    queue = running.window.queue
    queue.search.setText(QUEUE_TEXT)
    queue._apply_filters()  # what the debounce timer would do
    running.wait(lambda: queue.model.query.text == QUEUE_TEXT and queue.model.is_exact())
    select_first(running)
    return None


def _detail(running: Session) -> QWidget | None:
    """A report far along its way: forwarded, answered and published, a long timeline."""
    show_status(running, "published", "Đã công khai")
    running.window.queue.open_detail()
    return None


def _dashboard(running: Session) -> QWidget | None:
    window = running.window
    window.show_screen(DASHBOARD)
    running.wait(lambda: window.dashboard.snapshot is not None)  # charts from a first snapshot
    return None


def _reports(running: Session) -> QWidget | None:
    from pakn_desktop.ui.main.lazy_screen import LazyScreen
    from pakn_desktop.ui.reports.screen import ReportsScreen

    window = running.window
    window.show_screen(REPORTS)
    page = window.stack.widget(REPORTS)
    assert isinstance(page, LazyScreen)
    running.wait(
        lambda: isinstance(page.content, ReportsScreen) and page.content.figures is not None
    )  # the preview's figures, counted on a worker
    return None


def _screen(number: int) -> Callable[[Session], QWidget | None]:
    def build(running: Session) -> QWidget | None:
        running.window.show_screen(number)
        return None

    return build


def _intake(mode: str) -> Callable[[Session], QWidget | None]:
    """Type the newest named report back into the call or message form."""

    def build(running: Session) -> QWidget | None:
        from pakn_desktop.data.examples import latest_named_report
        from pakn_desktop.domain.phone import display_phone
        from pakn_desktop.ui.intake.example import Example, fill_example

        window, wait = running.window, running.wait
        window.show_screen(INTAKE)
        intake = window.intake
        wait(lambda: intake.lists is not None)
        for draft in running.drafts:  # the shot before's example: no "1 draft" banner here
            intake.controller.discard_draft(draft)
        running.drafts.clear()
        running.settle()
        with running.database.engine.connect() as conn:
            row = latest_named_report(conn)
        example = Example(
            phone=display_phone(row.phone or ""),
            name=row.full_name or "",
            province_code=row.province_code or "",
            commune_code=row.commune_code or "",
            category=row.category_code,
            summary=row.summary,
        )
        wait(fill_example(intake, mode, example))
        running.settle()
        intake.controller.dirty = False  # nothing to save on close
        if intake.controller.draft_id is not None:
            running.drafts.append(intake.controller.draft_id)
        return None

    return build


SCREEN_SHOTS = (
    Shot("main", "Cửa sổ chính: hàng đợi và chi tiết", _main),
    Shot("queue", "Hàng đợi: tìm “Cây xanh”", _queue),
    Shot("detail", "Chi tiết phản ánh đã công khai", _detail),
    Shot("dashboard", "Bảng điều khiển", _dashboard),
    Shot("reports", "Báo cáo: báo cáo tổng hợp hằng ngày", _reports),
    Shot("admin", "Quản trị", _screen(ADMIN)),
)
# Last: the examples typed in leave the intake screen busy (drafts, the call timer).
INTAKE_SHOTS = (
    Shot("intake-call", "Tiếp nhận cuộc gọi", _intake("call")),
    Shot("intake-message", "Tiếp nhận tin nhắn", _intake("message")),
)
