"""The units' SMS gateway and mail server: shared rows (the centre has one gateway and one
mail server, decision 16), the SMTP password in each sending workstation's OS keyring, and a
``PAKN_*`` variable over each on a workstation (CI, the ``notify`` command)."""

from __future__ import annotations

from .registry import INTEGER, TEXT, Setting, Where, choice, in_range

SECURITY = ("none", "starttls", "ssl")


def _sms_url(url: str) -> str | None:
    url = url.strip()
    if url and not (url.startswith(("http://", "https://")) and url.split("//", 1)[1]):
        return "Địa chỉ cổng SMS phải bắt đầu bằng http:// hoặc https://."
    return None


def _security(value: str) -> str | None:
    return None if value in SECURITY else "Chọn kiểu bảo mật."


# An SMS gateway's address may hold an API key: a refused variable is named, not echoed.
SMS_URL = Setting(
    "notify.sms_url", Where.SHARED, "", TEXT, _sms_url, env="PAKN_SMS_URL", show_env_value=False
)
SMTP_HOST = Setting("notify.smtp_host", Where.SHARED, "", TEXT, env="PAKN_SMTP_HOST")
SMTP_PORT = Setting(
    "notify.smtp_port",
    Where.SHARED,
    25,
    INTEGER,
    in_range(1, 65535, "Cổng máy chủ thư phải từ 1 đến 65535."),
    env="PAKN_SMTP_PORT",
)
# Whether it must be an address depends on the host: checked by the group (services.notify).
SMTP_FROM = Setting("notify.smtp_from", Where.SHARED, "pakn@localhost", TEXT, env="PAKN_SMTP_FROM")
SMTP_SECURITY = Setting(
    "notify.smtp_security", Where.SHARED, "none", choice(*SECURITY), _security, "PAKN_SMTP_SECURITY"
)
SMTP_USER = Setting("notify.smtp_user", Where.SHARED, "", TEXT, env="PAKN_SMTP_USER")
# Kept by ``keyring`` under service ``pakn-desktop``, entry ``smtp:USER@HOST``.
SMTP_PASSWORD = Setting("smtp", Where.KEYRING, "", TEXT, env="PAKN_SMTP_PASSWORD")

FROM_NOT_ADDRESS = "Địa chỉ gửi phải là một địa chỉ thư, ví dụ pakn@tinh.gov.vn."
USER_WITHOUT_HOST = "Có tên đăng nhập thì phải có máy chủ thư."
