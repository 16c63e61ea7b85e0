"""A TCP proxy in front of the test PostgreSQL server, for the sync's reliability tests: it
cuts every connection on demand, refuses new ones while the "network" is down, and can drop
the server's reply to a COMMIT after the server has executed it (the station never hears
that its batch was applied).

It reads the client's side of PostgreSQL's wire protocol only as far as needed: the untyped
start-up messages (an SSL or GSS request first, then the start-up packet), then typed
messages (one byte, a length, the body). A COMMIT is a simple query (``Q``) or a parse
(``P``) whose text starts with COMMIT; a write of the sync's change log is any message naming
``change_log``. Connections are plain TCP: URLs given to it carry ``sslmode=disable``.
"""

from __future__ import annotations

import contextlib
import random
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.engine import make_url

_UNTYPED_REQUESTS = {80877103, 80877104}  # SSLRequest, GSSENCRequest: one byte answers


@dataclass(eq=False)
class _Link:
    client: socket.socket
    server: socket.socket
    wrote_log: bool = False  # a message since the last COMMIT named change_log
    # Statements this connection prepared whose text names change_log: psycopg prepares a
    # statement run five times, and from then on sends only its name (a Bind message).
    log_statements: set[bytes] = field(default_factory=set)
    # The server's next bytes answer a COMMIT: "drop" them (and the link), or "pass" them.
    after_commit: str = ""
    closed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def close(self) -> None:
        with self.lock:
            if self.closed:
                return
            self.closed = True
        for sock in (self.client, self.server):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


class PgProxy:
    """``PgProxy(server_url)``: listens on a free loopback port; ``url`` is ``server_url``
    through it. Use as a context manager (``close`` ends every connection)."""

    def __init__(self, server_url: str, *, seed: int = 16) -> None:
        target = make_url(server_url)
        self._upstream = (target.host or "127.0.0.1", int(target.port or 5432))
        self.url = (
            target.set(host="127.0.0.1", port=0)  # replaced below, once bound
            .update_query_dict({"sslmode": "disable", "gssencmode": "disable"})
            .render_as_string(hide_password=False)
        )
        self._listener = socket.create_server(("127.0.0.1", 0))
        port = self._listener.getsockname()[1]
        self.url = make_url(self.url).set(port=port).render_as_string(hide_password=False)
        self._links: set[_Link] = set()
        self._lock = threading.Lock()
        self._down = False
        self._closed = False
        self._random = random.Random(seed)
        # COMMIT replies of change-log writes to drop: the share, and how many were dropped.
        self.drop_share = 0.0
        self.dropped = 0
        self.cuts = 0  # times every connection was cut
        self.commits = 0  # COMMITs passed to the server
        self.replies = 0  # COMMIT replies passed back to the client
        self.log_writes = 0  # messages naming change_log passed to the server
        self.on_log_write: Callable[[int], None] | None = None  # with ``log_writes``, before
        self.on_commit: Callable[[int], None] | None = None  # called with ``commits``
        self.on_reply: Callable[[int], None] | None = None  # called with ``replies``
        self._cutter: threading.Thread | None = None
        self._cutting = threading.Event()
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def __enter__(self) -> PgProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the network, as the tests see it --------------------------------------------------

    def cut(self) -> int:
        """Close every open connection at once; how many there were."""
        with self._lock:
            links = list(self._links)
            self._links.clear()
            self.cuts += 1
        for link in links:
            link.close()
        return len(links)

    def down(self) -> None:
        """The network is down: every connection cut, new ones refused until ``up``."""
        with self._lock:
            self._down = True
        self.cut()

    def up(self) -> None:
        with self._lock:
            self._down = False

    def cut_every(self, seconds: float) -> None:
        """Cut every connection each ``seconds`` until ``heal``."""
        self._cutting.clear()

        def loop() -> None:
            while not self._cutting.wait(seconds):
                self.cut()

        self._cutter = threading.Thread(target=loop, daemon=True)
        self._cutter.start()

    def heal(self) -> None:
        """No more cuts (``cut_every``), the network up."""
        self._cutting.set()
        if self._cutter is not None:
            self._cutter.join()
            self._cutter = None
        self.up()

    def close(self) -> None:
        self._closed = True
        self.heal()
        self._listener.close()
        self.cut()

    # --- the pumps -------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                refused = self._down
            if refused:
                client.close()
                continue
            try:
                server = socket.create_connection(self._upstream)
            except OSError:
                client.close()
                continue
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            link = _Link(client, server)
            with self._lock:
                self._links.add(link)
            threading.Thread(target=self._client_side, args=(link,), daemon=True).start()
            threading.Thread(target=self._server_side, args=(link,), daemon=True).start()

    def _client_side(self, link: _Link) -> None:
        """Client → server, message by message."""
        try:
            while True:  # the untyped start-up messages
                head = _read(link.client, 8)
                (length, code) = struct.unpack("!ii", head)
                link.server.sendall(head + _read(link.client, length - 8))
                if code not in _UNTYPED_REQUESTS:
                    break
            while True:
                head = _read(link.client, 5)
                kind, length = head[:1], struct.unpack("!i", head[1:])[0]
                body = _read(link.client, length - 4)
                if _writes_log(link, kind, body):
                    link.wrote_log = True
                    with self._lock:
                        self.log_writes += 1
                        count = self.log_writes
                    if self.on_log_write is not None:  # before the server has it
                        self.on_log_write(count)
                commit = kind in (b"Q", b"P") and _is_commit(kind, body)
                if commit:
                    drop = link.wrote_log and self._random.random() < self.drop_share
                    link.wrote_log = False
                    link.after_commit = "drop" if drop else "pass"
                link.server.sendall(head + body)
                if commit:
                    with self._lock:
                        self.commits += 1
                        count = self.commits
                    if self.on_commit is not None:
                        self.on_commit(count)
        except OSError:
            pass
        finally:
            self._forget(link)

    def _server_side(self, link: _Link) -> None:
        """Server → client, bytes as they come; the answer to a dropped COMMIT never goes."""
        try:
            while True:
                data = link.server.recv(65536)
                if not data:
                    break
                answered, link.after_commit = link.after_commit, ""
                if answered == "drop":
                    # The server answered the COMMIT: it is done. The client never hears it.
                    with self._lock:
                        self.dropped += 1
                    break
                link.client.sendall(data)
                if answered == "pass":
                    with self._lock:
                        self.replies += 1
                        count = self.replies
                    if self.on_reply is not None:
                        self.on_reply(count)
        except OSError:
            pass
        finally:
            self._forget(link)

    def _forget(self, link: _Link) -> None:
        with self._lock:
            self._links.discard(link)
        link.close()


def _writes_log(link: _Link, kind: bytes, body: bytes) -> bool:
    """The message runs a statement naming change_log: its text, or a Bind of a statement
    prepared with such a text."""
    if kind == b"P":  # Parse: statement name, query text, …
        name, text = body.split(b"\0", 2)[:2]
        if b"change_log" in text:
            if name:
                link.log_statements.add(name)
            return True
        return False
    if kind == b"B":  # Bind: portal name, statement name, …
        return body.split(b"\0", 2)[1] in link.log_statements
    return b"change_log" in body


def _is_commit(kind: bytes, body: bytes) -> bool:
    text = body.split(b"\0", 2)[1] if kind == b"P" else body
    return text.lstrip().upper().startswith(b"COMMIT")


def _read(sock: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        data = sock.recv(size - len(chunks))
        if not data:
            raise ConnectionResetError("closed")
        chunks += data
    return bytes(chunks)
