"""Everything the bot shows on Discord: texts within Discord's limits, embeds and buttons."""
