"""The main window: navigation between screens, the screens, and the status bar."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

# Not ``Qt``: its first use builds the Qt namespace's 93 enum types (ui/main/window_actions.py).
from PySide6.QtCore import QByteArray, QSettings, QSize, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.ui.changes_hub import ChangesHub
from pakn_desktop.ui.main.admin_tasks import AdminTasks
from pakn_desktop.ui.main.lazy_screen import LazyScreen
from pakn_desktop.ui.main.status_bar import StatusBar
from pakn_desktop.ui.main.view_nav import ViewNavigation
from pakn_desktop.ui.main.watchers import Watchers
from pakn_desktop.ui.main.window_actions import scope_to_widgets, window_action
from pakn_desktop.ui.tasks import TaskContext, Tasks

if TYPE_CHECKING:
    from pakn_desktop.services.app_services import AppServices
    from pakn_desktop.services.changes import Changes
    from pakn_desktop.services.clock import ClockReading
    from pakn_desktop.services.queue import QueueQuery
    from pakn_desktop.services.workstation import Workstation
    from pakn_desktop.ui.dashboard.screen import DashboardScreen
    from pakn_desktop.ui.intake.screen import IntakeScreen
    from pakn_desktop.ui.main.demo_banner import DemoBanner
    from pakn_desktop.ui.queue.view import QueueScreen
    from pakn_desktop.widgets.shortcut_help import ShortcutHelp

    DemoMaker = Callable[[int, TaskContext], tuple[int, Changes]]  # reports made, their changes

INTAKE, QUEUE, DASHBOARD, REPORTS, ADMIN = range(5)
# A window an operator can work in at once: the queue's ten columns and the intake form.
DEFAULT_SIZE = QSize(1280, 800)
# Room for the title bar and borders before the window manager says how big they are.
FRAME_ALLOWANCE = QSize(16, 40)


class MainWindow(QMainWindow):
    """Collaborators come in through the constructor; the window owns none of them except its
    widgets. ``start()`` begins the background loading once the window is shown.

    ``services`` build themselves on first use, and open the database then: the window asks
    for them on workers, or on the GUI thread only once ``start()`` says the database is
    open, and paints before their modules are imported."""

    demoLoaded = Signal(int)
    realRequested = Signal()  # "start a real workstation" on the demo database's banner
    realOpened = Signal(object)  # the window now open on the new real database

    def __init__(
        self,
        services: AppServices,
        tasks: Tasks,
        settings: QSettings,
        *,
        database_label: str,
        make_demo: DemoMaker | None = None,
        demo: bool = False,
        changes: ChangesHub | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        # Every write reaches every screen through it (build.py makes the one of the window).
        self.changes = changes if changes is not None else ChangesHub(self)
        self._shown_once = False
        self._placed = QSize()  # the size restore_state chose
        self._frame_extra: QSize | None = None  # title bar and borders, once shown
        self._services = services
        self._tasks = tasks
        self._settings = settings
        self._make_demo = make_demo
        self._started = False  # the database is open: screens that read it may be built
        self._pending_view: str | None = None  # a view chosen before that
        self._watchers = Watchers(self, tasks, services)
        self.demo = demo
        title = self.tr("PAKN Desktop — Tiếp nhận phản ánh, kiến nghị")
        self.setWindowTitle(title + self.tr(" — DỮ LIỆU MẪU") if demo else title)
        self.setObjectName("mainWindow")
        self._queue_page: LazyScreen[QueueScreen] = LazyScreen(self._make_queue, self)
        self._intake_page: LazyScreen[IntakeScreen] = LazyScreen(self._make_intake, self)
        # Built when first shown once started: pyqtgraph is imported then, never on the start
        # path (``_screen_chosen``).
        self._dashboard_page: LazyScreen[DashboardScreen] = LazyScreen(self._make_dashboard, self)
        self._reports_page: LazyScreen[QWidget] = LazyScreen(self._make_reports, self)
        self.admin = AdminTasks(
            self,
            tasks,
            self._role,
            services,
            changes=self.changes,
            open_code=self.open_code,
        )
        self._build_screens()
        self._build_status_bar(database_label)
        self._build_actions()
        tasks.failed.connect(self._task_failed)

    # --- building -------------------------------------------------------------------------

    def _build_screens(self) -> None:
        tr = self.tr
        self.stack = QStackedWidget(self)
        screens: list[tuple[str, QWidget]] = [
            (tr("Tiếp nhận"), self._intake_page),
            (tr("Hàng đợi"), self._queue_page),
            (tr("Bảng điều khiển"), self._dashboard_page),
            (tr("Báo cáo"), self._reports_page),
            (tr("Quản trị"), LazyScreen(self.admin.screen, build_on_show=True)),
        ]
        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setSpacing(2)
        self.nav.setUniformItemSizes(True)
        widest = 0
        row_height = self.fontMetrics().height() + 16
        for number, (title, screen) in enumerate(screens, start=1):
            item = QListWidgetItem(title)
            item.setToolTip(f"{title} (Ctrl+{number})")
            item.setSizeHint(QSize(0, row_height))
            self.nav.addItem(item)
            self.stack.addWidget(screen)
            widest = max(widest, self.fontMetrics().horizontalAdvance(title))
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.currentRowChanged.connect(self._screen_chosen)
        # Below the screens: the queue's saved views with their counts (a click opens one).
        self.view_nav = ViewNavigation(self)
        self.view_nav.viewActivated.connect(self.open_view)
        views_title = QLabel(tr("Hàng đợi theo chế độ xem"), self)
        views_title.setContentsMargins(10, 8, 6, 2)
        views_title.setStyleSheet("font-weight: bold;")
        width = max(widest, self.view_nav.widest()) + 24
        self.nav.setFixedWidth(width)
        self.view_nav.setFixedWidth(width)
        self.nav.setFixedHeight(len(screens) * (row_height + 2 * self.nav.spacing()) + 6)
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(0)
        side.addWidget(self.nav)
        side.addWidget(views_title)
        side.addWidget(self.view_nav, 1)
        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.demo_banner: DemoBanner | None = None
        if self.demo:
            from pakn_desktop.ui.main.demo_banner import DemoBanner

            self.demo_banner = DemoBanner(central)
            self.demo_banner.realRequested.connect(self.realRequested)
            outer.addWidget(self.demo_banner)
        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(side)
        layout.addWidget(self.stack, 1)
        outer.addLayout(layout, 1)
        self.setCentralWidget(central)
        self.nav.setCurrentRow(QUEUE)

    def _build_status_bar(self, database_label: str) -> None:
        self.status = StatusBar(self, database_label, roles=True)
        status = self.status
        self.database_label, self.station_label = status.database_label, status.station_label
        self.user_label, self.sync_label = status.user_label, status.sync_label
        self.clock_label = status.clock_label
        status.sync_label.clicked.connect(lambda: self.admin.sync_state(status.sync_label.unset))
        if status.role_box is not None:
            self.role_box = status.role_box
            self.role_box.currentIndexChanged.connect(lambda _i: self._role_changed())

    def _build_actions(self) -> None:
        # Made by ui/main/window_actions.py: none of them loads an enum type before the paint.
        for number in range(5):
            title = self.tr("Màn hình %1").replace("%1", self.nav.item(number).text())
            window_action(self, title, f"Ctrl+{number + 1}", partial(self.show_screen, number))
        window_action(self, self.tr("Thoát"), "Ctrl+Q", self.close)
        self.admin.bind()  # Ctrl+, Ctrl+Alt+R/N/U/S (ui/main/admin_tasks.py)
        # F2/F3 from any screen: the operator's phone rings while they look at the queue.
        starts = (
            ("F2", "new_call", self.tr("Cuộc gọi mới (từ mọi màn hình)")),
            ("F3", "new_message", self.tr("Tin nhắn mới (từ mọi màn hình)")),
        )
        for key, start, text in starts:
            window_action(self, text, key, partial(self._intake_now, start))
        # F1 everywhere but on the intake screen, which has its own list (and F1 there): the
        # action is scoped to these widgets once screens may be built (``_scope_help``).
        pages = [self.stack.widget(n) for n in range(self.stack.count()) if n != INTAKE]
        help_on = [page for page in pages if page is not None] + [self.nav, self.view_nav]
        text = self.tr("Bảng phím tắt")
        self._help_action = window_action(self, text, "F1", self.toggle_help, on=help_on)
        self._help: ShortcutHelp | None = None

    def _scope_help(self) -> None:
        scope_to_widgets(self._help_action)  # after the first paint: ``start``, intake built

    def toggle_help(self) -> ShortcutHelp:
        """The shortcut list of the whole window over it (built when first asked for)."""
        if self._help is None:
            from pakn_desktop.ui.main.help_rows import window_help_rows
            from pakn_desktop.widgets.shortcut_help import ShortcutHelp

            central = self.centralWidget()
            assert central is not None  # set once, when the window is built
            rows = window_help_rows(self.actions())
            self._help = ShortcutHelp(central, self.tr("Phím tắt"), rows)
        self._help.toggle()
        return self._help

    def _make_queue(self) -> QueueScreen:
        from pakn_desktop.ui.queue.view import QueueScreen  # after the first paint

        # On the GUI thread: built only once the database is open (``start``).
        services = self._services
        queue = QueueScreen(
            services.queue, self._tasks, self._queue_page, services=services, changes=self.changes
        )
        queue.message.connect(self.show_message)
        # The navigation shows the counts the queue's view selector reads (one pass for both);
        # a change of reports asks the queue for a pass, coalesced with the others of a burst.
        queue.views.counter.counted.connect(self.view_nav.show_counts)
        queue.views.viewChosen.connect(self.view_nav.mark)
        self.view_nav.mark(queue.views.key())
        if queue.detail.action_bar is not None:
            queue.detail.action_bar.set_role(self.role_box.currentData())
        queue.restore_state(self._settings)
        return queue

    def _make_intake(self) -> IntakeScreen:
        from pakn_desktop.ui.intake.screen import IntakeScreen  # after the first paint

        self._scope_help()  # F1 on the intake screen is its own
        screen = IntakeScreen(self._services, self._tasks, self._intake_page, window_keys=False)
        screen.message.connect(lambda text: self.show_message(text, 8000))
        # The queue puts it in its row (not built yet: it reads everything when it is).
        screen.controller.saved.connect(lambda ticket: self.changes.publish(ticket.changes, screen))
        screen.start()
        return screen

    def _make_reports(self) -> QWidget:
        from pakn_desktop.ui.reports.screen import composed_reports_screen

        return composed_reports_screen(self._tasks, self._services, self.changes, self._settings)

    def _make_dashboard(self) -> DashboardScreen:
        from pakn_desktop.ui.dashboard.screen import DashboardScreen  # imports pyqtgraph

        screen = DashboardScreen(
            self._services.dashboard, self._tasks, self._dashboard_page, changes=self.changes
        )
        screen.openQueue.connect(self.open_queue)
        screen.settingsRequested.connect(self.admin.sla_settings)
        screen.start()
        return screen

    @property
    def dashboard(self) -> DashboardScreen:
        """The dashboard screen, built on first use."""
        return self._dashboard_page.content

    def open_queue(self, query: QueueQuery, label: str = "") -> None:
        """Show the queue filtered by ``query`` (a dashboard bar was clicked)."""
        self.show_screen(QUEUE)
        self.queue.show_query(query, label)

    def open_code(self, code: str) -> None:
        """Show the report ``code`` in the queue (a conflict's, from the sync's activity)."""
        from pakn_desktop.data.queue_types import QueueQuery

        self.open_queue(QueueQuery(text=code), code)

    def open_view(self, key: str) -> None:
        """Show the queue on saved view ``key`` (a navigation entry was activated)."""
        self.show_screen(QUEUE)
        if not self._started:  # the queue is built once the database is open: then
            self._pending_view = key
            return
        self.queue.show_view(key)

    def show_clock(self, reading: ClockReading) -> None:
        """The status bar's clock warning, from the latest measurement."""
        self.status.show_clock(reading)

    def show_unsent(self, text: str) -> None:
        """The status bar's warning while units' messages wait unsent ("" hides it)."""
        self.status.show_unsent(text)

    def _role(self) -> str | None:
        """The role chosen in the status bar (no logins yet), None before it exists."""
        box = getattr(self, "role_box", None)
        return None if box is None else box.currentData()

    def _role_changed(self) -> None:
        if self._queue_page.built and self.queue.detail.action_bar is not None:
            self.queue.detail.action_bar.set_role(self.role_box.currentData())

    def _screen_chosen(self, number: int) -> None:
        # The intake, dashboard and reports pages wait for the database like the queue, but nothing
        # else asks for them: shown (Ctrl+1, a click, drafts offered at start) they must
        # build themselves, or they say "Đang tải…" (the intake until F2).
        if number == INTAKE and self._started:
            self.intake  # noqa: B018 - property access builds it
        elif number == DASHBOARD and self._started:
            self.dashboard  # noqa: B018 - property access builds it
        elif number == REPORTS and self._started:
            self._reports_page.content  # noqa: B018 - property access builds it

    def _intake_now(self, start: str) -> None:
        self.show_screen(INTAKE)
        getattr(self.intake, start)()

    # --- behaviour ------------------------------------------------------------------------

    @property
    def intake(self) -> IntakeScreen:
        """The intake screen, built on first use."""
        return self._intake_page.content

    @property
    def tasks(self) -> Tasks:
        return self._tasks

    @property
    def queue(self) -> QueueScreen:
        """The queue screen, built on first use."""
        return self._queue_page.content

    def show_screen(self, number: int) -> None:
        self.nav.setCurrentRow(number)

    def current_screen(self) -> int:
        return self.stack.currentIndex()

    def show_message(self, text: str, timeout_ms: int = 0) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def start(self, *, demo_if_empty: int = 0) -> None:
        """Read the station, show the queue; on an empty database first make ``demo_if_empty``
        demo reports (in the write lane), then show them."""
        services = self._services
        self._scope_help()
        self._tasks.write(services.workstation, on_result=self._workstation_known)
        self._started = True
        self._screen_chosen(self.current_screen())
        self.queue.start()
        if self._pending_view is not None:
            self.queue.show_view(self._pending_view)
            self._pending_view = None
        self._watchers.start()
        # Drafts left open (a crash, a held call): offer them at once.
        self._tasks.read(lambda: len(services.drafts.list_open()), on_result=self._drafts_counted)
        if demo_if_empty > 0 and self._make_demo is not None:

            def start_demo_if(empty: bool) -> None:
                if empty:
                    self._start_demo(demo_if_empty)

            self._tasks.read(services.queue.is_empty, on_result=start_demo_if)

    def _drafts_counted(self, count: int) -> None:
        if count:
            self.show_screen(INTAKE)
            self.show_message(self.tr("Có %1 bản nháp chưa lưu").replace("%1", str(count)))

    def _workstation_known(self, who: Workstation) -> None:
        self.status.show_workstation(who)
        if self._queue_page.built:
            self.queue.set_station(who.station_code)

    def _start_demo(self, count: int) -> None:
        make = self._make_demo
        assert make is not None
        self.show_message(self.tr("Cơ sở dữ liệu trống: đang tạo dữ liệu mẫu…"))
        self._tasks.write(
            lambda ctx: make(count, ctx),
            context=True,
            on_result=self._demo_done,
            on_progress=self._demo_progress,
        )

    def _demo_progress(self, done: int, total: int | None = None, *_rest: object) -> None:
        number = self.locale().toString(int(done))
        self.show_message(
            self.tr("Cơ sở dữ liệu trống: đang tạo dữ liệu mẫu… %1").replace("%1", number)
        )

    def _demo_done(self, result: tuple[int, Changes]) -> None:
        made, changes = result
        number = self.locale().toString(int(made))
        self.show_message(
            self.tr("Cơ sở dữ liệu trống: đã tạo %1 phản ánh mẫu").replace("%1", number)
        )
        self.changes.publish(changes, self)
        self.demoLoaded.emit(made)

    def keep_draft(self) -> None:
        """Queue a save of the intake form as typed (the crash dialog: nothing typed is lost)."""
        if self._intake_page.built:
            self.intake.controller.save_draft()

    def _task_failed(self, error: BaseException) -> None:
        from pakn_desktop.ui.errors import error_text

        self.show_message(self.tr("Lỗi: %1").replace("%1", error_text(error)))

    # --- state ----------------------------------------------------------------------------

    def restore_state(self) -> None:
        geometry = self._settings.value("main/geometry")
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            self.fit_to_screen()  # saved on a larger monitor, restored on a 1366×768 laptop
        else:
            self._default_geometry()
        self._placed = self.size()

    def _default_geometry(self) -> None:
        """First start: most of the screen, centred. The screens are built after the first
        paint, so the window cannot take its size from their size hints."""
        screen = self.screen()
        if screen is None:
            self.resize(DEFAULT_SIZE)
            return
        area = screen.availableGeometry()
        # The title bar and borders are not known before the first show: leave them room.
        room = area.adjusted(0, 0, -FRAME_ALLOWANCE.width(), -FRAME_ALLOWANCE.height())
        width = min(room.width(), max(DEFAULT_SIZE.width(), area.width() * 85 // 100))
        height = min(room.height(), max(DEFAULT_SIZE.height(), area.height() * 85 // 100))
        self.resize(width, height)
        self.move(area.center().x() - width // 2, area.center().y() - height // 2)

    def fit_to_screen(self) -> None:
        """Shrink and move the window, frame included, into its screen's available area
        (never smaller than its minimum, which the screens keep below 1366×768)."""
        screen = self.screen()
        # Not windowState(): its flags are a Qt-namespace enum (see the imports).
        if screen is None or self.isMaximized() or self.isFullScreen():
            return
        area = screen.availableGeometry()
        frame = self.frameGeometry()
        extra = frame.size() - self.geometry().size()
        if self.isVisible():
            self._frame_extra = extra
        else:  # before the first show Qt does not know the frame yet
            extra = self._frame_extra or FRAME_ALLOWANCE
        width = max(self.minimumWidth(), min(self.width(), area.width() - extra.width()))
        height = max(self.minimumHeight(), min(self.height(), area.height() - extra.height()))
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        # move() places the frame's corner; the frame is the client plus ``extra``.
        pos = self.pos()
        x = max(area.left(), min(pos.x(), area.right() + 1 - width - extra.width()))
        y = max(area.top(), min(pos.y(), area.bottom() + 1 - height - extra.height()))
        if (x, y) != (pos.x(), pos.y()):
            self.move(x, y)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if self.size() == self._placed:
                # The frame is known now: a restored or default size that fit only without
                # it is brought back on screen (a size set since, by a screenshot or a
                # test, is left as asked).
                QTimer.singleShot(0, self, self.fit_to_screen)

    def save_state(self) -> None:
        if self.isVisible():
            self.fit_to_screen()  # never remember a size the screen cannot show
        self._settings.setValue("main/geometry", self.saveGeometry())
        if self._queue_page.built:
            self.queue.save_state(self._settings)
        self._settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        if self._intake_page.built:
            self.intake.controller.save_draft_now()  # the last keystrokes, before shutdown
        # Stop background work before the widgets its callbacks would touch go away.
        self._watchers.stop()
        self._tasks.shutdown()
        super().closeEvent(event)
