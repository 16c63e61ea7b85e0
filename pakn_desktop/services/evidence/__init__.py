"""Evidence (issue 6): the store, its guards, the service that ties files to reports.

Submodules: ``errors`` (refusal codes and messages), ``sniff`` and ``images`` (what a file
is, bomb guard), ``names`` (display names), ``store`` (content-addressed files), ``custody``
(timeline events), ``service`` (attach, detach, view, export, list), ``verify``.
"""
