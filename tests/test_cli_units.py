"""``pakn-desktop units list/add/import`` through the real CLI entry point, on real files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from pakn_desktop.cli import main
from tests.db_template import MigratedEnv


def _run(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _units(capsys: pytest.CaptureFixture[str], data: Path) -> list[dict[str, Any]]:
    code, out, err = _run(capsys, data, "units", "list", "--json")
    assert code == 0, err
    units: list[dict[str, Any]] = json.loads(out)
    return units


def _by_name(units: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {u["name"]: u for u in units}


def test_add_then_list(
    tmp_path: Path, migrated: MigratedEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    data = migrated(tmp_path / "data").data_dir
    code, _out, err = _run(capsys, data, "units", "add", "--name", "UBND Thành phố Hồ Chí Minh")
    assert code == 0, err
    code, out, err = _run(
        capsys,
        data,
        "units",
        "add",
        "--name",
        "UBND phường Bến Thành",
        "--parent",
        "ubnd thanh pho ho chi minh",  # found folded
        "--contact",
        "Trần Thị Liên",
        "--phone",
        "0912.345.678",
        "--email",
        "Lien@Example.org",
        "--json",
    )
    assert code == 0, err
    added = json.loads(out)
    units = _by_name(_units(capsys, data))
    assert set(units) == {"UBND Thành phố Hồ Chí Minh", "UBND phường Bến Thành"}
    ward = units["UBND phường Bến Thành"]
    assert ward == added
    assert ward["parent"] == "UBND Thành phố Hồ Chí Minh"
    assert ward["parent_id"] == units["UBND Thành phố Hồ Chí Minh"]["id"]
    assert ward["active"] is True
    assert ward["province_code"] is None and ward["commune_code"] is None
    [contact] = ward["contacts"]
    assert (contact["name"], contact["phone"], contact["email"]) == (
        "Trần Thị Liên",
        "+84912345678",
        "lien@example.org",
    )
    assert contact["receives_sms"] and contact["receives_email"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--name", "Sở Y tế", "--parent", "Không có"), "Không có đơn vị cấp trên"),
        (("--name", "so y te"), "Đã có đơn vị “Sở Y tế”"),
        (("--name", "Sở Xây dựng", "--phone", "12345"), "Số điện thoại không hợp lệ"),
        (("--name", "Sở Xây dựng", "--email", "khong-phai-thu"), "thư điện tử không hợp lệ"),
        (("--name", "   "), "Thiếu tên đơn vị"),
        (("--name", "UBND phường X", "--commune", "99999"), "Mã xã/phường không có"),
    ],
)
def test_add_refuses_bad_input_in_vietnamese_and_stores_nothing(
    tmp_path: Path,
    migrated: MigratedEnv,
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
    message: str,
) -> None:
    data = migrated(tmp_path / "data").data_dir
    assert _run(capsys, data, "units", "add", "--name", "Sở Y tế")[0] == 0
    code, out, err = _run(capsys, data, "units", "add", *argv)
    assert code == 1
    assert out == ""
    assert message in err
    assert "Traceback" not in err
    assert [u["name"] for u in _units(capsys, data)] == ["Sở Y tế"]


HEADER_ACCENTED = ["Tên đơn vị", "Đơn vị cấp trên", "Người liên hệ", "Chức vụ", "SĐT", "Email"]
HEADER_PLAIN = ["Ten don vi", "Don vi cap tren", "Nguoi lien he", "Chuc vu", "So dien thoai"]
ROWS = [
    # the child before its parent: it waits for the parent's row
    ["UBND phường Bến Thành", "UBND Thành phố Hồ Chí Minh", "Trần Thị Liên", "Chánh văn phòng",
     "0912 345 678", "lien@example.org"],
    ["UBND Thành phố Hồ Chí Minh", "", "", "", "", ""],
    ["Sở Xây dựng", "UBND Thành phố Hồ Chí Minh", "Lê Văn Bình", "", "12345", ""],  # bad phone
    ["", "", "", "", "", ""],  # blank: skipped, not an error
    ["Công an phường Bến Thành", "", "Phạm Cường", "", "", "khong-phai-thu"],  # bad e-mail
    ["Sở Y tế", "UBND Thành phố Hồ Chí Minh", "Võ Thị Dung", "Văn thư", "+84 28 3822 1234",
     "soyte@example.org"],
]  # fmt: skip


def _write_csv(path: Path, header: list[str], rows: list[list[str]], sep: str, bom: bool) -> Path:
    lines = [sep.join(header)] + [sep.join(r[: len(header)]) for r in rows]
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + ("\r\n".join(lines) + "\r\n").encode())
    return path


def _write_xlsx(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append([v or None for v in row])
    book.save(path)
    return path


@pytest.mark.parametrize(
    "make",
    [
        lambda p: _write_xlsx(p / "don_vi.xlsx", HEADER_ACCENTED, ROWS),
        lambda p: _write_csv(p / "don_vi.csv", HEADER_ACCENTED, ROWS, ";", True),
        lambda p: _write_csv(p / "don_vi.csv", HEADER_ACCENTED, ROWS, ",", False),
    ],
    ids=["xlsx", "csv-semicolon-bom", "csv-comma"],
)
def test_import_keeps_good_rows_names_bad_ones_and_a_second_import_adds_nothing(
    tmp_path: Path, migrated: MigratedEnv, capsys: pytest.CaptureFixture[str], make: Any
) -> None:
    data = migrated(tmp_path / "data").data_dir
    source = make(tmp_path)

    code, out, err = _run(capsys, data, "units", "import", str(source), "--json")
    assert code == 1, "a file with bad rows exits non-zero"
    report = json.loads(out)
    assert report["errors"] == [
        {"row": 4, "message": "Số điện thoại không hợp lệ: 12345"},
        {"row": 6, "message": "Địa chỉ thư điện tử không hợp lệ: khong-phai-thu"},
    ]
    assert (report["added"], report["updated"], report["unchanged"]) == (3, 0, 0)
    units = _by_name(_units(capsys, data))
    assert set(units) == {"UBND Thành phố Hồ Chí Minh", "UBND phường Bến Thành", "Sở Y tế"}
    city = units["UBND Thành phố Hồ Chí Minh"]["id"]
    assert units["UBND phường Bến Thành"]["parent_id"] == city
    assert units["Sở Y tế"]["contacts"][0]["phone"] == "+842838221234"
    assert units["UBND phường Bến Thành"]["contacts"][0]["role"] == "Chánh văn phòng"

    code, out, err = _run(capsys, data, "units", "import", str(source), "--json")
    again = json.loads(out)
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert len(again["errors"]) == 2
    assert _by_name(_units(capsys, data)) == units, "a second import changes nothing"


def test_import_matches_plain_headers_and_names_without_diacritics(
    tmp_path: Path, migrated: MigratedEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    data = migrated(tmp_path / "data").data_dir
    good = [r for r in ROWS if r[0] and "12345" not in r and "khong-phai-thu" not in r]
    first = _write_csv(tmp_path / "a.csv", HEADER_ACCENTED, good, ";", True)
    assert _run(capsys, data, "units", "import", str(first))[0] == 0
    before = _units(capsys, data)
    # The same list typed without diacritics and a new phone for one contact.
    plain = [
        ["UBND phuong Ben Thanh", "UBND thanh pho Ho Chi Minh", "Tran Thi Lien", "", "0987654321"],
        ["ubnd thanh pho ho chi minh", "", "", "", ""],
    ]
    second = _write_csv(tmp_path / "b.csv", HEADER_PLAIN, plain, ",", False)
    code, out, err = _run(capsys, data, "units", "import", str(second), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert (report["added"], report["updated"], report["unchanged"]) == (0, 1, 1)
    after = _by_name(_units(capsys, data))
    assert len(after) == len(before)
    [contact] = after["UBND phường Bến Thành"]["contacts"]
    assert contact["phone"] == "+84987654321"
    assert contact["role"] == "Chánh văn phòng", "an empty cell never blanks a known value"


def test_dry_run_counts_but_writes_nothing(
    tmp_path: Path, migrated: MigratedEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    data = migrated(tmp_path / "data").data_dir
    source = _write_xlsx(tmp_path / "u.xlsx", HEADER_ACCENTED, ROWS)
    code, out, _err = _run(capsys, data, "units", "import", str(source), "--dry-run", "--json")
    report = json.loads(out)
    assert report["dry_run"] is True
    assert report["added"] == 3
    assert _units(capsys, data) == []


def _broken(tmp_path: Path, kind: str) -> Path:
    if kind == "text-named-xlsx":
        path = tmp_path / "don_vi.xlsx"
        path.write_text("Tên đơn vị\nUBND\n", encoding="utf-8")
    elif kind == "empty":
        path = tmp_path / "don_vi.csv"
        path.write_bytes(b"")
    elif kind == "no-name-column":
        path = _write_csv(tmp_path / "don_vi.csv", ["Mã", "SĐT"], [["1", "0912345678"]], ",", 0)
    elif kind == "not-utf8":
        path = tmp_path / "don_vi.csv"
        # Windows' Vietnamese code page, as an old Excel "CSV" export writes it
        path.write_bytes("Tên đơn\nCông an\n".encode("cp1258"))
    elif kind == "zip-not-workbook":
        import zipfile

        path = tmp_path / "don_vi.xlsx"
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("hello.txt", "không phải sổ tính")
    else:
        path = tmp_path / "khong_co.csv"
    return path


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("text-named-xlsx", "không phải tệp Excel .xlsx"),
        ("empty", "tệp rỗng"),
        ("no-name-column", "không thấy cột tên đơn vị"),
        ("not-utf8", "không phải văn bản UTF-8"),
        ("zip-not-workbook", "không mở được tệp Excel"),
        ("missing", "không đọc được"),
    ],
)
def test_a_broken_file_is_refused_in_one_line_before_the_database_is_touched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, message: str
) -> None:
    data = tmp_path / "data"
    code, out, err = _run(capsys, data, "units", "import", str(_broken(tmp_path, kind)))
    assert code == 1
    assert out == ""
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not (data / "pakn.sqlite3").exists()


def test_add_with_a_place_takes_the_province_from_the_commune(
    tmp_path: Path, migrated: MigratedEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.intake_data import BEN_THANH, HCMC

    data = migrated(tmp_path / "data").data_dir
    argv = ("units", "add", "--name", "UBND phường Bến Thành", "--commune", BEN_THANH, "--json")
    code, out, err = _run(capsys, data, *argv)
    assert code == 0, err
    unit = json.loads(out)
    assert (unit["province_code"], unit["commune_code"]) == (HCMC, BEN_THANH)
    code, _out, err = _run(
        capsys, data, "units", "add", "--name", "Sở Y tế", "--province", "01", "--commune",
        BEN_THANH,
    )  # fmt: skip
    assert code == 1 and "không thuộc tỉnh/thành phố" in err


@pytest.mark.postgres
def test_import_and_reimport_on_postgresql(
    pg_migrated_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same commands on the shared database: savepoints per row, folded matching."""
    data = tmp_path / "data"
    source = _write_xlsx(tmp_path / "u.xlsx", HEADER_ACCENTED, ROWS)
    code, out, _err = _run(
        capsys, data, "--db", pg_migrated_url, "units", "import", str(source), "--json"
    )
    first = json.loads(out)
    assert code == 1 and (first["added"], len(first["errors"])) == (3, 2)
    code, out, _err = _run(
        capsys, data, "--db", pg_migrated_url, "units", "import", str(source), "--json"
    )
    again = json.loads(out)
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 3)
    code, out, err = _run(capsys, data, "--db", pg_migrated_url, "units", "list", "--json")
    assert code == 0, err
    assert {u["name"] for u in json.loads(out)} == {
        "UBND Thành phố Hồ Chí Minh",
        "UBND phường Bến Thành",
        "Sở Y tế",
    }
    assert not (data / "pakn.sqlite3").exists()


def test_import_takes_place_codes_padded_and_checked(
    tmp_path: Path, migrated: MigratedEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.intake_data import BEN_THANH, HCMC

    data = migrated(tmp_path / "data").data_dir
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Tên đơn vị", "Mã tỉnh", "Mã xã, phường"])
    sheet.append(["UBND Thành phố Hà Nội", 1, None])  # a number in the sheet: 01
    sheet.append(["UBND phường Bến Thành", None, BEN_THANH])  # the province follows
    sheet.append(["UBND phường Không Có", None, "99999"])
    sheet.append(["UBND phường Lạc Chỗ", 1, BEN_THANH])
    source = tmp_path / "noi.xlsx"
    book.save(source)
    code, out, _err = _run(capsys, data, "units", "import", str(source), "--json")
    report = json.loads(out)
    assert code == 1
    assert report["errors"] == [
        {"row": 4, "message": "Mã xã/phường không có trong danh mục: 99999"},
        {"row": 5, "message": "Xã/phường không thuộc tỉnh/thành phố đã chọn"},
    ]
    units = _by_name(_units(capsys, data))
    assert (
        units["UBND Thành phố Hà Nội"]["province_code"],
        units["UBND Thành phố Hà Nội"]["commune_code"],
    ) == ("01", None)
    ward = units["UBND phường Bến Thành"]
    assert (ward["province_code"], ward["commune_code"]) == (HCMC, BEN_THANH)
    code, out, _err = _run(capsys, data, "units", "import", str(source), "--json")
    assert (json.loads(out)["added"], json.loads(out)["unchanged"]) == (0, 2)
