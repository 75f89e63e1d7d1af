"""The `footnote` command line: ask, check, browse, chat and evaluate without Discord."""
