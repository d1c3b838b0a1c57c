"""Commands: data."""

COMMANDS: list = []
