"""The queue screen: a lazily paged model over the ticket table, its view and detail pane."""
