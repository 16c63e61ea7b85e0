"""Qt's own words (standard buttons, file dialogs, context menus) in Vietnamese.

Qt ships ``qtbase_vi.qm`` for some releases only; PySide6 6.11's wheel has none. So Qt's
file is loaded from its translations folder when it is there, and under it a small
translator answers the strings a user of this program meets (Yes/No/Cancel/OK, the file
dialog, the edit menus), so no English button is left either way.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

QT_FILE = "qtbase_vi.qm"

_WORDS = {
    # QPlatformTheme: QDialogButtonBox / QMessageBox standard buttons.
    "OK": "Đồng ý",
    "Save": "Lưu",
    "Save All": "Lưu tất cả",
    "Open": "Mở",
    "&Yes": "&Có",
    "Yes to &All": "Có với &tất cả",
    "&No": "&Không",
    "N&o to All": "K&hông với tất cả",
    "Abort": "Hủy bỏ",
    "Retry": "Thử lại",
    "Ignore": "Bỏ qua",
    "Close": "Đóng",
    "Cancel": "Hủy",
    "Discard": "Không lưu",
    "Don't Save": "Không lưu",
    "Close without Saving": "Đóng không lưu",
    "Help": "Trợ giúp",
    "Apply": "Áp dụng",
    "Reset": "Đặt lại",
    "Restore Defaults": "Khôi phục mặc định",
    # QMessageBox
    "Show Details...": "Xem chi tiết…",
    "Hide Details...": "Ẩn chi tiết…",
    # QFileDialog and its model
    "Look in:": "Tìm trong:",
    "&Look in:": "&Tìm trong:",
    "Files of &type:": "&Loại tệp:",
    "File &name:": "&Tên tệp:",
    "Files of type:": "Loại tệp:",
    "Directory:": "Thư mục:",
    "Back": "Quay lại",
    "Forward": "Tiếp",
    "Go back": "Quay lại",
    "Go forward": "Tiến tới",
    "Parent Directory": "Thư mục cha",
    "Go to the parent directory": "Lên thư mục cha",
    "Create New Folder": "Tạo thư mục mới",
    "Create a New Folder": "Tạo thư mục mới",
    "New Folder": "Thư mục mới",
    "&New Folder": "Thư mục &mới",
    "List View": "Dạng danh sách",
    "Detail View": "Dạng chi tiết",
    "Change to list view mode": "Xem dạng danh sách",
    "Change to detail view mode": "Xem dạng chi tiết",
    "&Open": "&Mở",
    "&Save": "&Lưu",
    "&Choose": "&Chọn",
    "&Delete": "&Xóa",
    "&Rename": "Đổi &tên",
    "Show &hidden files": "Hiện tệp ẩ&n",
    "Save As": "Lưu thành",
    "Find Directory": "Chọn thư mục",
    "All Files (*)": "Mọi tệp (*)",
    "Directories": "Thư mục",
    "File": "Tệp",
    "File Folder": "Thư mục",
    "Folder": "Thư mục",
    "Unknown": "Không rõ",
    "Recent Places": "Nơi mở gần đây",
    "My Computer": "Máy tính",
    "Computer": "Máy tính",
    "Sidebar": "Thanh bên",
    "Files": "Tệp",
    "Remove": "Gỡ bỏ",
    "Name": "Tên",
    "Size": "Kích thước",
    "Type": "Loại",
    "Kind": "Loại",
    "Date Modified": "Ngày sửa",
    "Are you sure you want to delete '%1'?": "Xóa «%1»?",
    "%1 already exists.\nDo you want to replace it?": "%1 đã có.\nGhi đè lên?",
    "%1\nFile not found.\nPlease verify the correct file name was given.": (
        "%1\nKhông tìm thấy tệp.\nHãy kiểm tra lại tên tệp."
    ),
    "%1\nDirectory not found.\nPlease verify the correct directory name was given.": (
        "%1\nKhông tìm thấy thư mục.\nHãy kiểm tra lại tên thư mục."
    ),
    # Edit menus of line edits and text boxes
    "&Undo": "&Hoàn tác",
    "&Redo": "&Làm lại",
    "Cu&t": "Cắ&t",
    "&Copy": "&Sao chép",
    "&Paste": "&Dán",
    "Delete": "Xóa",
    "Select All": "Chọn tất cả",
    "&Select All": "&Chọn tất cả",
    "Copy &Link Location": "Sao chép địa chỉ &liên kết",
    "&Step up": "&Tăng",
    "Step &down": "&Giảm",
    # Scroll bars' menu
    "Scroll here": "Cuộn tới đây",
    "Top": "Đầu",
    "Bottom": "Cuối",
    "Left edge": "Mép trái",
    "Right edge": "Mép phải",
    "Page up": "Lên một trang",
    "Page down": "Xuống một trang",
    "Page left": "Sang trái một trang",
    "Page right": "Sang phải một trang",
    "Scroll up": "Cuộn lên",
    "Scroll down": "Cuộn xuống",
    "Scroll left": "Cuộn sang trái",
    "Scroll right": "Cuộn sang phải",
    # QInputDialog, QWizard
    "Enter a value:": "Nhập giá trị:",
    "< &Back": "< &Quay lại",
    "&Next >": "&Tiếp >",
    "&Finish": "&Xong",
}
# Qt's own classes only: the program's contexts carry Vietnamese source text already.
_CONTEXTS = frozenset(
    {
        "QPlatformTheme",
        "QMessageBox",
        "QDialogButtonBox",
        "QFileDialog",
        "QFileSystemModel",
        "QFileInfoGatherer",
        "QLineEdit",
        "QWidgetTextControl",
        "QAbstractSpinBox",
        "QScrollBar",
        "QInputDialog",
        "QWizard",
        "QProgressDialog",
    }
)


class QtWords(QTranslator):
    """Answers Qt's strings from ``_WORDS``; None for everything else, which Qt reads as
    "not translated here" (an empty string would replace the program's own text with "")."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        if context in _CONTEXTS:
            return _WORDS.get(source)
        return None

    def isEmpty(self) -> bool:
        return False


def install(app: QCoreApplication) -> list[QTranslator]:
    """Install the translators on ``app`` (kept alive as its children); Qt's file, when
    present, is asked first (installed last)."""
    installed: list[QTranslator] = []
    if app.property("paknQtWords"):  # configured already (the screenshot command, tests)
        return installed
    app.setProperty("paknQtWords", True)
    words = QtWords(app)
    if app.installTranslator(words):
        installed.append(words)
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    if (folder / QT_FILE).is_file():
        qt = QTranslator(app)
        if qt.load(QLocale(QLocale.Language.Vietnamese), "qtbase", "_", str(folder)):
            app.installTranslator(qt)
            installed.append(qt)
    return installed
