"""Commands: solve."""

COMMANDS: list = []
