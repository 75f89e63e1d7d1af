"""Answer quality on real data: chat the bot must ignore and a foreign FAQ it must answer."""
