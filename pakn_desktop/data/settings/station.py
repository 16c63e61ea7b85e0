"""Settings of this workstation alone: where its data lives, which database it opens, how long
it waits for a server. Read from the environment (or the command line), never shared."""

from __future__ import annotations

from .registry import INTEGER, NUMBER, TEXT, Setting, Where, in_range

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
