"""Commands: report."""

COMMANDS: list = []
