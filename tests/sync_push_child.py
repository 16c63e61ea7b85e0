"""One station's push in a process of its own, for the kill -9 test:
``python -m tests.sync_push_child DATA_DIR SERVER_URL BATCH_SIZE``."""

from __future__ import annotations

import sys

from pakn_desktop.services.database import open_database
from pakn_desktop.services.environment import resolve
from pakn_desktop.services.sync.push import Pusher


def main(data_dir: str, url: str, batch_size: str) -> int:
    database = open_database(resolve(data_dir=data_dir))
    try:
        Pusher(database, url, batch_size=int(batch_size)).push()
    finally:
        database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
