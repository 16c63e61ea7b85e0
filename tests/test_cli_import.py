"""``pakn-desktop import FILE [--dry-run] [--json]`` through the real entry point (issue 15
item 7): the counts, the error rows, and bad files refused in Vietnamese without a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pakn_desktop.cli import main
from tests.db_template import MigratedEnv
from tests.register_fixtures import merged_register


def _run(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_prints_counts_and_error_rows(
    tmp_path: Path, migrated: MigratedEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    data = migrated(tmp_path / "data").data_dir
    path = merged_register(tmp_path / "so.xlsx")
    code, out, err = _run(capsys, data, "import", str(path), "--dry-run")
    assert code == 1  # rows were refused: the script should read the report
    assert "Sẽ nhập 4, đã có từ trước 0, bỏ qua 3, lỗi 2, cảnh báo 3" in out
    assert "dòng 13, cột “Thời gian tiếp nhận / Ngày”: “31/02/2026” không phải ngày" in err
    assert not (tmp_path / "so.xlsx.ket-qua-nhap.csv").exists()

    code, out, err = _run(capsys, data, "import", str(path))
    assert "Đã nhập 4, đã có từ trước 0" in out
    assert (tmp_path / "so.xlsx.ket-qua-nhap.csv").exists()

    code, out, _err = _run(capsys, data, "import", str(path), "--json")
    result = json.loads(out)
    assert (result["imported"], result["already"], result["skipped"]) == (0, 4, 3)
    assert [e["row"] for e in result["errors"]] == [12, 13]
    assert result["mapping"][1] == {
        "header": "Thời gian tiếp nhận / Ngày",
        "field": "received_at",
        "label": "Ngày tiếp nhận",
    }


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rong.xlsx", b"", "tệp rỗng"),
        ("hong.xlsx", b"PK\x03\x04garbage", "không mở được tệp Excel"),
        ("anh.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "không phải tệp Excel (.xlsx) hay CSV"),
        (
            "khoa.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            "có đặt mật khẩu",
        ),
        ("cu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "tệp Excel cũ (.xls)"),
        ("lon.csv", None, "tệp quá lớn"),
    ],
)
def test_bad_files_get_a_vietnamese_message(
    tmp_path: Path,
    migrated: MigratedEnv,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes | None,
    message: str,
) -> None:
    data = migrated(tmp_path / "data").data_dir
    path = tmp_path / name
    if content is None:
        with path.open("wb") as f:
            f.truncate(50 * 1024 * 1024)  # 50 MB, sparse
    else:
        path.write_bytes(content)
    code, out, err = _run(capsys, data, "import", str(path))
    assert code != 0 and out == ""
    assert message in err and "Traceback" not in err
