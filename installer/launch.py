"""PyInstaller entry point: the same ``main`` as the ``pakn-desktop`` console script."""

from __future__ import annotations

from pakn_desktop.cli import main

raise SystemExit(main())
