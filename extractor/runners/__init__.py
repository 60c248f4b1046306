"""Runners: the CLI's extract, the clerk's watched inbox, the analyst's batch. They call the
pipeline through :func:`process_file` and hold no extraction logic."""
