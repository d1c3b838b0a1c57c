"""The `synth` command line: one group, commands gathered from synth.commands.

Every command runs inside `Main.invoke`, which turns a UserError into one line
on stderr and exit status 2, and Ctrl-C into exit status 130: never a traceback.
"""

from __future__ import annotations

import sys

import click

from dsl.errors import UserError
from synth.commands import bench, data, dslcmds, report, solve, suite


class Main(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except UserError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(0)


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lego-synth")
def main() -> None:
    """lego-synth: an exact, synthesized baseline for length generalization on LEGO.

    Synthesize a program in a small DSL from a few short examples, then run it
    on inputs of any length and compare it with neural models.
    """


for _module in (dslcmds, data, solve, report, bench, suite):
    for _command in _module.COMMANDS:
        main.add_command(_command)
