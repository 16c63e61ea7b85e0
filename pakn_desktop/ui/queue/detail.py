"""The read-only detail pane of the queue: one report, loaded off the GUI thread."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from pakn_desktop.domain.labels import SYNC_CONFLICT
from pakn_desktop.domain.office_time import to_office
from pakn_desktop.services.notify.messages import unsent_reason
from pakn_desktop.services.queue import Delivery, QueueService, TicketDetail, TimelineEvent
from pakn_desktop.ui.tasks import Tasks
from pakn_desktop.widgets.labels import (
    event_label,
    is_open,
    local_datetime,
    status_label,
    urgency_label,
)

if TYPE_CHECKING:
    from pakn_desktop.services.app_services import AppServices
    from pakn_desktop.ui.evidence.panel import EvidencePanel
    from pakn_desktop.ui.workflow.actions import ActionBar

TICKET_LINK = "ticket:"  # href of a link to another report (the survivor of a merge)


class TicketDetailPane(QWidget):
    """Shows the report chosen in the queue; a newer choice supersedes a slower older one.

    ``services``: with them, the evidence panel and (``with_actions``) the workflow's action
    bar; without, the text alone."""

    loaded = Signal(str)  # the case code now shown
    acted = Signal(object)  # a workflow action went through (services.workflow.TicketState)
    linked = Signal(object)  # a link to another report was followed (its uuid.UUID)

    def __init__(
        self,
        service: QueueService,
        tasks: Tasks,
        parent: QWidget | None = None,
        *,
        services: AppServices | None = None,
        with_actions: bool = True,
        keys_on: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._tasks = tasks
        # "Overdue" on the deadline clock (decision 47), as the alerts and the server count it.
        self._now = services.now if services is not None else _station_now
        self._current: uuid.UUID | None = None
        self._shown: TicketDetail | None = None
        # The shown report's channels waiting with nothing to send through (the action bar).
        self._unsent: frozenset[str] = frozenset()
        self.title = QLabel(self)
        self.title.setObjectName("detailTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel(self)
        self.body = QTextBrowser(self)
        self.body.setOpenLinks(False)
        self.body.anchorClicked.connect(self._link)
        self.body.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        # Not "actions": that would shadow QWidget.actions(), the widget's own QAction list.
        self.action_bar: ActionBar | None = None
        if services is not None and with_actions:
            from pakn_desktop.ui.workflow.actions import ActionBar

            self.action_bar = ActionBar(services, tasks, self, keys_on=keys_on)
            self.action_bar.acted.connect(self._acted)
            self.action_bar.stale.connect(self.reload)
            self.action_bar.unsentKnown.connect(self._unsent_known)
            layout.addWidget(self.action_bar)
        self.evidence: EvidencePanel | None = None
        if services is None:
            layout.addWidget(self.body, 1)
        else:
            from pakn_desktop.ui.evidence.panel import EvidencePanel

            # Beside the text, not under it: the pane is short, the window is wide.
            self.evidence = EvidencePanel(services, tasks, self)
            self.evidence.changed.connect(self.reload)
            self.split = QSplitter(Qt.Orientation.Horizontal, self)
            self.split.setObjectName("detailSplitter")
            self.split.addWidget(self.body)
            self.split.addWidget(self.evidence)
            self.split.setStretchFactor(0, 3)
            self.split.setStretchFactor(1, 2)
            self.split.setSizes([600, 400])  # scaled to the real width when laid out
            layout.addWidget(self.split, 1)
        self.clear()

    def clear(self) -> None:
        self._current = None
        self._shown = None
        self.title.setText(self.tr("Chi tiết phản ánh"))
        self.subtitle.setText("")
        self.body.setPlainText(self.tr("Chọn một phản ánh trong hàng đợi để xem chi tiết."))
        if self.evidence is not None:
            self.evidence.set_ticket(None, "")
        if self.action_bar is not None:
            self.action_bar.set_ticket(None, None)

    def show_ticket(self, ticket_id: uuid.UUID | None) -> None:
        if ticket_id is None:
            self.clear()
            return
        if ticket_id == self._current:
            return
        self._current = ticket_id
        self.subtitle.setText(self.tr("Đang tải…"))
        service = self._service
        self._tasks.read(
            lambda: service.ticket_detail(ticket_id),
            key="queue-detail",
            on_result=self._show,
            on_error=self._failed,
        )

    def reload(self) -> None:
        """Read the shown report again (its timeline gained custody events)."""
        current, self._current = self._current, None
        if current is not None:
            self.show_ticket(current)

    def _acted(self, state: object) -> None:
        self.reload()
        if self.evidence is not None:
            self.evidence.reload()  # a result's attachments are new evidence
        self.acted.emit(state)

    def _link(self, url: QUrl) -> None:
        """A link in the detail: the report a merged one was merged into."""
        text = url.toString()
        if text.startswith(TICKET_LINK):
            try:
                target = uuid.UUID(text.removeprefix(TICKET_LINK))
            except ValueError:
                return
            self.show_ticket(target)
            self.linked.emit(target)

    def _failed(self, error: BaseException) -> None:
        from pakn_desktop.ui.errors import error_text

        self.subtitle.setText(self.tr("Không tải được chi tiết phản ánh"))
        self._current = None
        self.subtitle.setToolTip(error_text(error))  # a bug: the crash dialog instead

    def _show(self, detail: TicketDetail) -> None:
        if detail.id != self._current:
            return
        self.title.setText(detail.code)
        overdue = self.tr(" — quá hạn") if _overdue(detail, self._now()) else ""
        if detail.paused_at is not None and is_open(detail.status):
            overdue = self.tr(" — đang chờ công dân bổ sung từ %1").replace(
                "%1", to_office(detail.paused_at).strftime("%H:%M %d/%m")
            )
        merged = ""
        if detail.merged and detail.duplicate_of is not None:
            merged = self.tr(" — đã gộp vào %1").replace("%1", detail.duplicate_of[1])
        self.subtitle.setText(f"{status_label(detail.status)}{overdue}{merged}")
        if self._shown is None or self._shown.id != detail.id:
            self._unsent = frozenset()
        self._shown = detail
        self._render()
        if self.evidence is not None:
            self.evidence.set_ticket(detail.id, detail.code)
        if self.action_bar is not None:
            self.action_bar.set_ticket(
                detail.id,
                detail.status,
                detail.version,
                merged=detail.merged,
                paused=detail.paused_at is not None,
                code=detail.code,
            )
        self.loaded.emit(detail.code)

    def _render(self) -> None:
        if self._shown is None:
            return
        scroll = self.body.verticalScrollBar().value()
        self.body.setHtml(self._html(self._shown))
        self.body.verticalScrollBar().setValue(scroll)  # a reload keeps the reader's place

    def _unsent_known(self, channels: frozenset[str]) -> None:
        if channels != self._unsent:
            self._unsent = channels
            self._render()

    def _html(self, d: TicketDetail) -> str:
        tr = self.tr
        place = ", ".join(p for p in (d.commune, d.province) if p)
        fields = [
            (tr("Tiếp nhận"), f"{local_datetime(d.received_at)} · {d.channel} · {d.station}"),
            (tr("Loại"), d.kind),
            (tr("Lĩnh vực"), d.category),
            (tr("Mức độ"), urgency_label(d.urgency)),
            (tr("Địa bàn"), place),
            (tr("Địa chỉ"), d.address),
            (tr("Thời điểm xảy ra"), local_datetime(d.event_at)),
            (tr("Đơn vị xử lý"), d.unit or tr("Chưa chuyển")),
            (tr("Hạn chuyển xử lý"), local_datetime(d.forward_due_at)),
            (tr("Hạn xử lý"), local_datetime(d.due_at)),
            (tr("Kết thúc lúc"), local_datetime(d.closed_at)),
        ]
        if d.identity_protected:
            who = tr("Danh tính người phản ánh được bảo vệ")
        elif d.reporter is None:
            who = tr("Không để lại thông tin")
        else:
            r = d.reporter
            who = " · ".join(
                x.strip() for x in (r.full_name, r.phone, r.email, r.address) if x.strip()
            )
        fields.append((tr("Người phản ánh"), who))
        flags = [
            text
            for on, text in (
                (d.confidential, tr("Đề nghị giữ bí mật")),
                (d.no_publish, tr("Không công khai")),
            )
            if on
        ]
        if flags:
            fields.append((tr("Lưu ý"), ", ".join(flags)))
        rows = "".join(
            f"<tr><td style='color:#555;padding-right:10px'>{escape(k)}</td>"
            f"<td>{escape(v)}</td></tr>"
            for k, v in fields
            if v
        )
        link = ""
        if d.paused_at is not None and is_open(d.status):  # first thing read: the clock stopped
            since = to_office(d.paused_at).strftime("%H:%M %d/%m")
            link = (
                "<table width='100%' cellpadding='4' bgcolor='#e4e7ec'><tr><td>"
                f"<b>{escape(tr('Đang chờ công dân bổ sung từ %1').replace('%1', since))}</b>"
                f" — {escape(tr('thời hạn tạm dừng; hạn lùi lại khi tiếp tục xử lý'))}"
                "</td></tr></table>"
            )
        if d.duplicate_of is not None:  # first thing read: this is not the case to work on
            original, code = d.duplicate_of
            word = tr("Đã gộp vào") if d.merged else tr("Trùng với")
            more = tr("diễn biến và minh chứng ở đó") if d.merged else tr("phản ánh gốc")
            link = (
                "<table width='100%' cellpadding='4' bgcolor='#f4ebff'><tr><td>"
                f"{escape(word)} <a href='{TICKET_LINK}{original}'><b>{escape(code)}</b></a>"
                f" ({escape(more)})</td></tr></table>"
            )
        events = "".join(
            f"<li>{escape(local_datetime(e.at))} — {_case(e)}{escape(self._event_text(e))}</li>"
            for e in d.events
        )
        content = escape(d.content).replace("\n", "<br>")
        timeline = f"<ul>{events}</ul>" if events else f"<p>{escape(tr('Chưa có'))}</p>"
        if d.merged_from:
            codes = ", ".join(d.merged_from)
            timeline = (
                f"<p style='color:#555'>{escape(tr('Gồm cả diễn biến của phản ánh đã gộp: '))}"
                f"{escape(codes)}</p>{timeline}"
            )
        # Two columns: the facts on the left, what was said, what came of it and what
        # happened on the right.
        return (
            "<table width='100%' cellspacing='0' cellpadding='0'><tr>"
            f"<td width='45%' valign='top'>{link}<p><b>{escape(d.summary)}</b></p>"
            f"<table cellpadding='1'>{rows}</table></td>"
            "<td width='20'></td>"
            f"<td valign='top'><b>{escape(tr('Nội dung'))}</b><p>{content}</p>"
            f"{self._outcome_html(d)}{self._deliveries_html(d.deliveries)}"
            f"<b>{escape(tr('Diễn biến'))}</b>{timeline}</td>"
            "</tr></table>"
        )

    def _outcome_html(self, d: TicketDetail) -> str:
        tr, o = self.tr, d.outcome
        parts = []
        for title, text, at in (
            (tr("Cách xử lý / đề xuất (người tiếp nhận)"), o.handling_note, None),
            (tr("Đã trả lời trên cuộc gọi"), o.answer, None),
            (tr("Kết quả xử lý của đơn vị"), o.result, o.result_at),
            (tr("Nội dung đã công khai"), o.publication, o.published_at),
        ):
            if not text.strip():
                continue
            when = f" <span style='color:#555'>({escape(local_datetime(at))})</span>" if at else ""
            body = escape(text).replace("\n", "<br>")
            parts.append(f"<b>{escape(title)}</b>{when}<p>{body}</p>")
        return "".join(parts)

    def _deliveries_html(self, deliveries: tuple[Delivery, ...]) -> str:
        if not deliveries:
            return ""
        items = "".join(f"<li>{self._delivery_text(job)}</li>" for job in deliveries)
        return f"<b>{escape(self.tr('Tin nhắn, thư báo cho đơn vị'))}</b><ul>{items}</ul>"

    def _delivery_text(self, job: Delivery) -> str:
        tr = self.tr
        channel = "SMS" if job.channel == "sms" else tr("Thư điện tử")
        who = f"{job.unit} ({job.recipient})" if job.unit else job.recipient
        queued = local_datetime(job.queued_at)
        if job.state == "sent":
            state = tr("đã gửi lúc %1").replace("%1", local_datetime(job.sent_at))
            colour = "#067647"
        elif job.state == "failed":
            state = tr("gửi lỗi, đã thôi gửi sau %1 lần").replace("%1", str(job.attempts))
            colour = "#b42318"
        elif job.channel in self._unsent:  # nothing to send it through: not "on its way"
            state = tr("chưa gửi (xếp hàng lúc %1)").replace("%1", queued)
            colour = "#b42318"
        else:
            state = tr("đang chờ gửi (xếp hàng lúc %1)").replace("%1", queued)
            if job.attempts:
                state = tr("chưa gửi được sau %1 lần, thử lại lúc %2").replace(
                    "%1", str(job.attempts)
                )
                state = state.replace("%2", local_datetime(job.next_attempt_at))
            colour = "#b54708"
        text = (
            f"{escape(channel)} → {escape(who)}: "
            f"<span style='color:{colour}'><b>{escape(state)}</b></span>"
        )
        errors = [job.error] if job.state != "sent" else []
        if job.state == "pending" and job.channel in self._unsent:
            errors.append(unsent_reason({job.channel}) or "")
        for error in filter(None, errors):
            text += f"<br><span style='color:#b42318'>{escape(error)}</span>"
        return text

    def _event_text(self, event: TimelineEvent) -> str:
        word = event_label(event.kind)
        text = word
        data = event.data
        if "to" in data and data.get("from") != data["to"]:
            text += f": {status_label(str(data.get('from', '')))} → {status_label(str(data['to']))}"
        if data.get("reason"):
            text += f" ({data['reason']})"
        if event.kind == "resume" and data.get("due_at"):
            due = datetime.fromisoformat(str(data["due_at"]))
            text += self.tr(" (hạn mới %1)").replace("%1", local_datetime(due))
        if event.kind == SYNC_CONFLICT and isinstance(data.get("lost"), dict):
            from pakn_desktop.services.sync.activity import lost_words

            # The value that lost to another station's later one (decision 46); a withheld
            # reporter's report names the fields only (a former name would not be masked).
            shown = self._shown
            hidden = shown is not None and (shown.identity_protected or shown.confidential)
            text += self.tr(" — giá trị bị thay: %1").replace(
                "%1", lost_words(data["lost"], hidden)
            )
        if event.kind in ("merge", "merged_from"):
            other = data.get("merge_into_code") or data.get("code") or ""
            text = text.replace(word, f"{word} {other}", 1)
            carried = len(data.get("evidence") or ())
            if carried:
                text += self.tr(" (chuyển %1 minh chứng)").replace("%1", str(carried))
        return f"{text} · {event.actor}" if event.actor else text


def _case(event: TimelineEvent) -> str:
    """The case code of an event from a report merged into the shown one, as a badge."""
    if not event.case:
        return ""
    return f"<span style='color:#6941c6'><b>[{escape(event.case)}]</b></span> "


def _overdue(d: TicketDetail, now: datetime) -> bool:
    if d.paused_at is not None and (d.due_at is None or d.due_at >= d.paused_at):
        return False  # waiting for the citizen (data.deadline_sql's "paused")
    return d.due_at is not None and is_open(d.status) and d.due_at < now


def _station_now() -> datetime:
    return datetime.now(UTC)
