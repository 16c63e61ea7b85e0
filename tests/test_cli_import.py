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


def test_a_denouncer_never_leaves_in_the_outputs(
    tmp_path: Path, migrated: MigratedEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl
    from sqlalchemy import select

    from pakn_desktop.data.models import Ticket
    from pakn_desktop.services.database import open_database
    from tests.identity_scan import leaks
    from tests.protected_data import QUYNH, leaky_text

    env = migrated(tmp_path / "data")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Ngày tiếp nhận", "Họ tên", "Số điện thoại", "Loại", "Nội dung", "Kênh"])
    content = leaky_text(QUYNH, "Tố cáo:")
    sheet.append(["05/12/2026 09:10", QUYNH.name, QUYNH.phones_typed()[0], "Tố cáo", content,
                  "Điện thoại"])  # fmt: skip
    sheet.append(["31/13/2026", QUYNH.name, QUYNH.phones_typed()[1], "Tố cáo", content])
    # Cells typed in the wrong column: the identity where a channel should be.
    sheet.append(["06/12/2026", QUYNH.name, "số lạ 12", "Tố cáo", content, QUYNH.phones_typed()[2]])
    path = tmp_path / "so.xlsx"
    book.save(path)
    outputs = []
    # The first real import is the one with warnings (a second finds its rows already there).
    for argv in (("--dry-run", "--json"), ("--dry-run",), ("--json",), ()):
        code, out, err = _run(capsys, env.data_dir, "import", str(path), *argv)
        outputs += [out, err]
        if argv == ("--json",):
            assert json.loads(out)["warnings"]
            outputs.append((tmp_path / "so.xlsx.ket-qua-nhap.csv").read_text("utf-8-sig"))
    assert [leaks(text, QUYNH) for text in outputs] == [[]] * len(outputs)
    database = open_database(env)
    try:
        with database.engine.connect() as conn:
            protected = list(conn.scalars(select(Ticket.identity_protected)))
    finally:
        database.close()
    assert protected == [True, True]
