"""The closed vocabularies of a report: status, kind, urgency, channel, assignment role."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    NEW = "new"
    SCREENING = "screening"
    FORWARDED = "forwarded"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    RESULT_RECORDED = "result_recorded"
    ANSWERED = "answered"
    PUBLISHED = "published"
    CLOSED = "closed"
    RETURNED = "returned"
    NOT_COMPETENT = "not_competent"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


OPEN_STATUSES: frozenset[Status] = frozenset(
    {
        Status.NEW,
        Status.SCREENING,
        Status.FORWARDED,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.RETURNED,
    }
)


class Kind(StrEnum):
    PHAN_ANH = "phan_anh"
    KIEN_NGHI = "kien_nghi"
    HOI_DAP = "hoi_dap"
    GOP_Y = "gop_y"
    TO_GIAC = "to_giac"
    KHIEU_NAI = "khieu_nai"
    TO_CAO = "to_cao"


# Complaints and denunciations follow their own laws, not Decree 20/2008 on PAKN.
OWN_PROCEDURE_KINDS: frozenset[Kind] = frozenset({Kind.KHIEU_NAI, Kind.TO_CAO})


class Urgency(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"
    EMERGENCY = "emergency"


class ChannelCode(StrEnum):
    HOTLINE = "hotline"
    FANPAGE = "fanpage"
    ZALO = "zalo"
    WEB = "web"
    MOBILE_APP = "app"
    EMAIL = "email"
    CHATBOT = "chatbot"
    WALK_IN = "walk_in"
    LETTER = "letter"
    # "Khác": where an imported register's channel that matches no other is filed (its own
    # words kept on the report). Never offered by the demo data.
    OTHER = "other"


class AssignmentRole(StrEnum):
    LEAD = "lead"
    COORDINATING = "coordinating"
