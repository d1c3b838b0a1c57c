"""Commands: dslcmds."""

COMMANDS: list = []
