"""Lets `python -m bot` behave exactly like the `footnote` console script."""

from bot.cli.main import main

raise SystemExit(main())
