"""A replicated cluster's address and its failures, without a server (decision 48): the three
ways of writing several hosts reach psycopg alike, ``target_session_attrs`` included; a
server going away or a standby refusing a write is an expected error, not a crash."""

from __future__ import annotations

import os
import sys

import psycopg.errors
import pytest
from sqlalchemy import exc as sa_exc

from pakn_desktop.data.engine import make_engine
from pakn_desktop.data.errors import ErrorCode, KnownError, classify
from pakn_desktop.services.sync.connection import compose, qualifier
from pakn_desktop.services.workstation import describe_url

FORMS = [
    "postgresql://pakn@may1:5432,may2:5433/pakn?target_session_attrs=read-write",
    "postgresql://pakn@/pakn?host=may1,may2&port=5432,5433&target_session_attrs=read-write",
    "postgresql+psycopg://pakn@/pakn?host=may1:5432,may2:5433&target_session_attrs=read-write",
]


@pytest.mark.parametrize("url", FORMS)
def test_every_multi_host_form_reaches_psycopg_with_read_write(url: str) -> None:
    engine = make_engine(url, password="mat-khau")
    try:
        _, kwargs = engine.dialect.create_connect_args(engine.url)
    finally:
        engine.dispose()
    assert kwargs["host"] == "may1,may2" and kwargs["port"] == "5432,5433"
    assert kwargs["target_session_attrs"] == "read-write"
    assert kwargs["dbname"] == "pakn" and kwargs["password"] == "mat-khau"


@pytest.mark.parametrize(
    ("url", "described"),
    list(zip(FORMS, ["may1:5432", "may1", "may1:5432"], strict=True)),
)
def test_a_cluster_address_is_described_by_its_first_host_and_kept_as_written(
    url: str, described: str
) -> None:
    assert describe_url(url) == f"PostgreSQL {described}/pakn"  # not "localhost"
    assert compose(url, "") == url  # the dialog stores it as written
    assert qualifier(url) == "pakn@may1"  # the keyring entry: the first host


def _wrapped(error: Exception, kind: type[sa_exc.DBAPIError]) -> sa_exc.DBAPIError:
    return kind("INSERT INTO change_log …", {}, error)


@pytest.mark.parametrize(
    "error",
    [
        # Connection words absent (a server speaking another language): the state decides.
        _wrapped(
            psycopg.errors.CannotConnectNow("Datenbanksystem fährt herunter"),
            sa_exc.OperationalError,
        ),
        _wrapped(psycopg.errors.AdminShutdown("Abbruch auf Anweisung"), sa_exc.OperationalError),
        _wrapped(psycopg.errors.CrashShutdown("Absturz"), sa_exc.OperationalError),
    ],
    ids=["57P03", "57P01", "57P02"],
)
def test_a_server_going_away_is_unreachable(error: sa_exc.DBAPIError) -> None:
    known = classify(error)
    assert isinstance(known, KnownError) and known.code is ErrorCode.UNREACHABLE


def test_a_write_on_a_standby_is_read_only_and_names_target_session_attrs() -> None:
    error = psycopg.errors.ReadOnlySqlTransaction(
        "cannot execute INSERT in a read-only transaction"
    )
    known = classify(_wrapped(error, sa_exc.InternalError))
    assert isinstance(known, KnownError) and known.code is ErrorCode.READ_ONLY
    assert "target_session_attrs=read-write" in known.message
    assert "bản sao chỉ đọc" in known.message


def test_a_refused_row_is_still_not_a_server_failure() -> None:
    error = psycopg.errors.UniqueViolation("duplicate key value violates unique constraint")
    assert classify(_wrapped(error, sa_exc.IntegrityError)) is None


@pytest.mark.postgres
@pytest.mark.skipif(sys.platform != "linux", reason="the socket options read are Linux's")
def test_a_server_connection_gives_up_on_a_silent_peer(pg_url: str) -> None:
    """The socket of a PostgreSQL connection probes a silent peer within seconds rather than
    TCP's two hours (a primary powered off mid-push would hold the station for good)."""
    import socket

    engine = make_engine(pg_url)
    try:
        with engine.connect() as conn:
            driver = conn.connection.dbapi_connection
            assert driver is not None
            sock = socket.socket(fileno=os.dup(driver.fileno()))
            try:
                assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
                assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) == 10
                assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL) == 5
                assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT) == 3
                assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT) == 30_000
            finally:
                sock.close()  # the duplicate only: the connection keeps its own
    finally:
        engine.dispose()
