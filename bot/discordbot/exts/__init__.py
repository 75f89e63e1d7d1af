"""Bot features, one extension each: asking, summaries, administration."""
