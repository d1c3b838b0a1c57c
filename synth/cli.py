"""The `synth` command line: one group, commands gathered from synth.commands.

Every command runs inside `Main.invoke`, which turns a UserError into one line
on stderr and exit status 2, and Ctrl-C into exit status 130: never a traceback.
So is a standard output that cannot be written (a full disk, /dev/full): one
line, exit 2, for every command at once; a closed pipe (`| head`) ends quietly.
SIGTERM (what `kill`, timeouts and job schedulers send) is handled exactly like
Ctrl-C, so the same clean-up runs: outputs are left whole or not at all.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from types import FrameType
from typing import Any, Iterator

import click

from dsl.errors import UserError
from dsl.files import WRITE_ERRNOS
from synth.commands import bench, data, dslcmds, report, solve, suite
from synth.version import code_version, package_version


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM raises KeyboardInterrupt (the previous handler is restored after).

    Only the main thread may set signal handlers; elsewhere (a command invoked
    from a worker thread) SIGTERM keeps its handler.
    """
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _is_stdout_failure(err: OSError) -> bool:
    """A failed write with no file name: printing to standard output (outputs named by a file go through atomic_output)."""
    return err.errno in WRITE_ERRNOS and err.filename is None


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's flush at exit does not fail (and print) a second time."""
    with contextlib.suppress(OSError, ValueError, AttributeError):  # no file descriptor (a test's captured output)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


@contextlib.contextmanager
def stdout_failures() -> Iterator[None]:
    """A standard output that cannot be written: one line, exit 2; a closed pipe: exit 0, quietly."""
    try:
        yield
        sys.stdout.flush()  # a full disk shows here, inside the command, not in the interpreter's exit
    except OSError as err:
        if isinstance(err, BrokenPipeError):
            sys.stderr.close()
            sys.exit(0)
        if not _is_stdout_failure(err):
            raise
        _silence_stdout()
        click.echo(f"error: standard output: cannot write: {err.strerror or err}", err=True)
        sys.exit(2)


class Main(click.Group):
    def main(self, *args: Any, **kwargs: Any) -> Any:
        with stdout_failures():  # `synth --help` and `--version` print before any command runs
            return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with sigterm_as_interrupt(), stdout_failures():
                return super().invoke(ctx)
        except UserError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(2)
        except MemoryError:  # where no reader caught it first (they name the file): one line, not a traceback
            click.echo(f"error: {ctx.invoked_subcommand or 'synth'}: the process ran out of memory (an input larger "
                       "than this machine can hold, or a size option too large?)", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """--version: from the installed package, or from setup.cfg when run from a checkout (python -m synth); then the code version."""
    if not value or ctx.resilient_parsing:
        return
    # The code version (what `synth suite` stamps on its rows) on a second line, so the first stays click's form.
    click.echo(f"{ctx.find_root().info_name}, version {package_version()}\ncode version {code_version()}")
    ctx.exit()


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version, help="Show the version and exit.")
def main() -> None:
    """lego-synth: an exact, synthesized baseline for length generalization.

    Synthesize a program in a small DSL from a few short examples, then run it
    on inputs of any length and compare it with neural models. Tasks: LEGO
    (Zhang et al. 2022), the 15 Chomsky-hierarchy tasks (Deletang et al.
    2023), and any task you write as a task file.
    """


for _module in (dslcmds, data, solve, report, bench, suite):
    for _command in _module.COMMANDS:
        main.add_command(_command)
