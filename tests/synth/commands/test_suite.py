"""`synth suite report`: one table format at a time."""

from __future__ import annotations

from click.testing import CliRunner

from synth.cli import main

SPEC = """\
[[generated]]
task = "parity_check"
train_size = 10
train_lengths = "1..6"
test_lengths = "13..14"
bucket = 4
"""


def test_two_table_formats_are_refused_not_one_dropped(tmp_path) -> None:
    """Before, `--latex --markdown` printed Markdown alone, exit 0: the last flag won silently."""
    spec, db = tmp_path / "s.toml", tmp_path / "r.sqlite"
    spec.write_text(SPEC)
    assert CliRunner().invoke(main, ["suite", "run", str(spec), "--db", str(db)]).exit_code == 0
    for flags in (["--latex", "--markdown"], ["--markdown", "--latex"]):
        result = CliRunner().invoke(main, ["suite", "report", str(db), *flags])
        assert result.exit_code == 2, result.output
        assert result.output == "error: --markdown and --latex each print the table: give one (run the command twice for both)\n"
    assert CliRunner().invoke(main, ["suite", "report", str(db), "--latex"]).output.startswith(r"\begin{tabular}")
    assert CliRunner().invoke(main, ["suite", "report", str(db), "--markdown"]).output.startswith("| task |")
