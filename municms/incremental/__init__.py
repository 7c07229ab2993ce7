"""Incremental publishing: a publisher that keeps real Pelican's parsed content and each page's input digests
between publishes, so one approved item re-renders, re-checks and writes only the files it changes."""
