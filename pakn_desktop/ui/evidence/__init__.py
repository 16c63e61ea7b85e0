"""Evidence on a report (issue 6): thumbnails, viewer, redaction, attaching, archive export."""
