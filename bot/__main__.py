"""Lets `python -m bot` behave exactly like the `footnote` console script."""

from bot.cli.main import main

if __name__ == "__main__":  # not when a worker process imports this module to start
    raise SystemExit(main())
