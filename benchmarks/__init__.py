"""Speed-and-scale benchmark of Footnote's answer engine against the baselines bots usually ship."""
