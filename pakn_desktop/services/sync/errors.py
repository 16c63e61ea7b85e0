"""What a sync refuses, in Vietnamese (``domain.errors.ExpectedError``)."""

from __future__ import annotations

from pakn_desktop.domain.errors import ExpectedError


class SyncRefused(ExpectedError):
    """The sync did not run: nothing was sent, the outbox is as it was."""


def no_server() -> SyncRefused:
    return SyncRefused(
        "sync_no_server",
        "Chưa có địa chỉ máy chủ đồng bộ: dùng --server URL, biến môi trường PAKN_SYNC_URL "
        "hoặc thiết lập sync.server_url.",
    )


def not_a_server(url: str) -> SyncRefused:
    return SyncRefused(
        "sync_not_postgresql",
        f"Máy chủ đồng bộ phải là PostgreSQL (đã cho: {url}).",
    )


def same_database() -> SyncRefused:
    return SyncRefused(
        "sync_same_database", "Máy chủ đồng bộ không được là chính cơ sở dữ liệu của máy trạm."
    )


def demo_database() -> SyncRefused:
    return SyncRefused(
        "sync_demo",
        "Đây là cơ sở dữ liệu mẫu: không đồng bộ dữ liệu mẫu lên máy chủ. Hãy tạo máy trạm thật.",
    )


def server_schema(server: str | None, here: str) -> SyncRefused:
    if server is None:
        what = "chưa được tạo cấu trúc (chạy 'pakn-desktop --db URL db upgrade' cho máy chủ)"
    else:
        what = f"ở phiên bản cấu trúc {server}, máy trạm ở phiên bản {here}; cần cùng phiên bản"
    return SyncRefused("sync_server_schema", f"Máy chủ đồng bộ {what}.")


def station_code_taken(code: str) -> SyncRefused:
    return SyncRefused(
        "sync_station_code_taken",
        f"Máy chủ đã có một máy trạm khác mang mã {code}: hai máy trạm không được trùng mã "
        "(mã nằm trong mọi mã hồ sơ). Không gửi gì lên máy chủ. Hãy tạo cơ sở dữ liệu của "
        "máy này với một mã khác (--station MÃ hoặc PAKN_STATION).",
    )


def station_known_as(server_code: str, code: str) -> SyncRefused:
    return SyncRefused(
        "sync_station_code_differs",
        f"Máy chủ đã ghi máy trạm này với mã {server_code}, không phải {code}. Không gửi gì "
        "lên máy chủ; hãy báo quản trị viên.",
    )


LOGIN_REFUSED = "sync_auth"


def login_refused(where: str) -> SyncRefused:
    """The server refused the login: no password, or a wrong one. Waiting would not mend it:
    the GUI asks for the password (decision 51), a script is told where to put it."""
    return SyncRefused(
        LOGIN_REFUSED,
        f"Máy chủ đồng bộ {where} từ chối đăng nhập: thiếu hoặc sai mật khẩu. Chưa gửi gì; các "
        "thay đổi vẫn được giữ trên máy này." + WHERE_TO_PUT_IT,
    )


# The refusal's last sentence: what the prompt itself is (it shows the rest).
WHERE_TO_PUT_IT = (
    " Hãy nhập mật khẩu (Quản trị → Máy chủ đồng bộ), hoặc đặt biến môi trường "
    "PAKN_SYNC_PASSWORD, hoặc ghi vào ~/.pgpass."
)


class EvidenceUnavailable(ExpectedError):
    """An evidence file could not be fetched from the server: nothing entered the store."""


class FetchCancelled(ExpectedError):
    """The user stopped a fetch (closed the viewer, pressed Huỷ): what came is kept."""


def fetch_cancelled() -> FetchCancelled:
    return FetchCancelled(
        "sync_fetch_cancelled",
        "Đã dừng tải tệp minh chứng từ máy chủ; phần đã tải được giữ lại, lần mở sau tải tiếp.",
    )


def file_not_on_server(sha256: str) -> EvidenceUnavailable:
    return EvidenceUnavailable(
        "sync_file_not_on_server",
        f"Máy chủ chưa có đủ tệp minh chứng {sha256[:12]}… (máy trạm gửi tệp chưa tải lên "
        "xong). Hãy thử lại sau khi máy trạm đó đồng bộ.",
    )


def file_corrupt_on_arrival(sha256: str) -> EvidenceUnavailable:
    return EvidenceUnavailable(
        "sync_file_corrupt",
        f"Tệp minh chứng {sha256[:12]}… tải về từ máy chủ không khớp mã SHA-256 của nó: "
        "không đưa vào kho. Hãy báo quản trị viên kiểm tra máy chủ.",
    )
