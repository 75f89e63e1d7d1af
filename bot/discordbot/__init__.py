"""The Discord front end: one module per feature under exts/, all rendering under ui/."""
