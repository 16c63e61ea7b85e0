"""Settings of this workstation alone: where its data lives, which database it opens, how long
it waits for a server. Read from the environment (or the command line), never shared."""

from __future__ import annotations

from pakn_desktop.domain.case_code import InvalidStationCode, check_station_code

from .registry import INTEGER, NUMBER, TEXT, Setting, Where, in_range


def _station_code(value: str) -> str | None:
    if not value:
        return None  # not given: the code comes from the host name (data.stations)
    try:
        check_station_code(value)
    except InvalidStationCode:
        return "mã máy trạm cần 2 đến 8 chữ in hoa không dấu hoặc chữ số, ví dụ HN01"
    return None


DATA_DIR = Setting("station.data_dir", Where.STATION, "", TEXT, env="PAKN_DATA_DIR")
# The address may carry a password: a refusal names the variable, not the value.
DB_URL = Setting("station.db_url", Where.STATION, "", TEXT, env="PAKN_DB_URL", show_env_value=False)
PG_CONNECT_TIMEOUT = Setting(
    "station.pg_connect_timeout",
    Where.STATION,
    5,
    INTEGER,
    in_range(1, 3600, "cần số nguyên từ 1 đến 3600 (giây)"),
    env="PAKN_PG_CONNECT_TIMEOUT",
)
SMS_TIMEOUT = Setting(
    "notify.sms_timeout",
    Where.STATION,
    5.0,
    NUMBER,
    in_range(0.1, 600, "cần số từ 0.1 đến 600 (giây)"),
    env="PAKN_SMS_TIMEOUT",
)
# A CA to trust besides the system's (an internal mail server): a file on this machine.
SMTP_CA_FILE = Setting("notify.smtp_ca_file", Where.STATION, "", TEXT, env="PAKN_SMTP_CA_FILE")
# This workstation's code in every case code it hands out (decision 2): taken when its
# database is created (``--station CODE``, else this variable, else one from the host name)
# and fixed after; the shared server refuses a second station with the same code.
STATION_CODE = Setting("station.code", Where.STATION, "", TEXT, _station_code, env="PAKN_STATION")
