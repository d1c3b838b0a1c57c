"""Figures: each kind renders, in each format; the options are checked before any data is read."""

from __future__ import annotations

import re

import pytest

from dsl.errors import UserError
from synth.report.compare import compare
from synth.report.plot import parse_lengths, parse_size, plot, plot_format
from synth.report.reference import load
from tasks.lego.generate import generate
from tasks.lego.solve import solve

MAGIC = {"png": b"\x89PNG", "pdf": b"%PDF", "svg": b"<?xml"}


def half_right(sentence):
    out = dict(solve(sentence))
    for c in sentence.clauses[::2]:
        out[c.lhs] = out[c.lhs].group.identity
    return out


@pytest.fixture(scope="module")
def comparison():
    records = generate(6, 20, seed=0) + generate(12, 20, seed=1)
    refs = load()
    c = compare([records], [], program=solve, published=refs.lego_by_length(), references=refs)
    other = compare([records], [], program=half_right, program_name="model")
    return type(c)({**c.models, "model": other.models["model"] * 2}, c.published, refs, None, c.chance)


@pytest.mark.parametrize("kind", ["length", "position"])
@pytest.mark.parametrize("fmt", ["png", "pdf", "svg"])
def test_each_kind_renders_in_each_format(comparison, tmp_path, kind, fmt):
    pytest.importorskip("matplotlib")
    path = tmp_path / f"fig.{fmt}"
    plot(comparison, path, kind, train_lengths=[6], supervised=3, chance=comparison.chance, size=(4, 2.5))
    assert path.read_bytes()[: len(MAGIC[fmt])] == MAGIC[fmt]


@pytest.mark.parametrize("fmt", ["png", "pdf", "svg"])
def test_the_same_figure_twice_is_the_same_bytes(comparison, tmp_path, fmt, monkeypatch):
    """CLI audit: an SVG carried its drawing date and random ids, a PDF its creation date."""
    pytest.importorskip("matplotlib")
    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    plot(comparison, first, "length", train_lengths=[6], chance=comparison.chance, size=(4, 2.5))
    monkeypatch.setattr("time.time", lambda: 2e9)  # a later clock, as a second run has (PDF and SVG dates read it)
    plot(comparison, second, "length", train_lengths=[6], chance=comparison.chance, size=(4, 2.5))
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("kind", ["length", "position"])
def test_names_matplotlib_would_read_as_math_are_drawn_as_written(comparison, tmp_path, kind):
    pytest.importorskip("matplotlib")
    import matplotlib.figure

    odd = r"$\textit{ours}$"  # matplotlib's mathtext fails on it
    renamed = type(comparison)({odd: comparison.models["model"]}, comparison.published, comparison.references, None, comparison.chance)
    saved = []
    real = matplotlib.figure.Figure.savefig
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(matplotlib.figure.Figure, "savefig", lambda self, *a, **k: (saved.append(self), real(self, *a, **k))[1])
        plot(renamed, tmp_path / "f.png", kind, chance=0.5)
    texts = [t for ax in saved[0].axes for t in [ax.get_title(loc="left"), *(x.get_text() for x in ax.get_legend().get_texts())]]
    assert any(odd.replace("$", r"\$") in t for t in texts)  # escaped: drawn as the name is written


def test_query_accuracy_gets_its_own_axis(comparison, tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    import matplotlib.figure

    saved = []
    real = matplotlib.figure.Figure.savefig
    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", lambda self, *a, **k: (saved.append(self), real(self, *a, **k))[1])
    plot(comparison, tmp_path / "f.png", "length", train_lengths=[6], chance=0.5)
    axes = saved[0].axes
    assert [ax.get_ylabel() for ax in axes] == ["label accuracy", "query accuracy"]
    assert all(float(t).is_integer() for t in axes[-1].get_xticks())
    assert all("kazemnejad" not in line.get_label() for line in axes[0].get_lines())
    assert any(line.get_linestyle() == "--" for line in axes[0].get_lines())  # the chance line


def test_options_are_checked():
    with pytest.raises(UserError, match=r"\.pdf, \.svg or \.png"):
        plot_format("fig.jpg")
    assert plot_format("fig", "svg") == "svg"
    assert parse_size("6x3.5") == (6.0, 3.5)
    with pytest.raises(UserError):
        parse_size("big")
    assert parse_size(None) is None
    assert parse_lengths(["4-6", "12"]) == [4, 6, 12]  # a range by its ends: the figure shades from least to greatest
    assert parse_lengths(["1-1000000000"]) == [1, 1_000_000_000]  # CLI audit: its inner lengths once filled 24 GB
    with pytest.raises(UserError):
        parse_lengths(["6-4"])


def test_an_empty_plot_size_is_refused_not_taken_for_the_default():
    """CLI audit: `--plot-size ''` (an unset shell variable) drew at the default size, exit 0."""
    with pytest.raises(UserError, match=re.escape("--plot-size is empty (an unset shell variable?): give WIDTHxHEIGHT in inches, e.g. 6x3.5")):
        parse_size("")


def test_the_format_message_names_the_format_option_only_where_the_command_has_one():
    """CLI audit: `suite report --plot fig.xyz` said "(or give --plot-format)", which only `compare` has."""
    with pytest.raises(UserError) as err:
        plot_format("fig.xyz")
    assert str(err.value) == "fig.xyz: cannot write a xyz figure: name the file .pdf, .svg or .png"
    with pytest.raises(UserError) as err:
        plot_format("fig.xyz", format_option="--plot-format")
    assert str(err.value) == "fig.xyz: cannot write a xyz figure: name the file .pdf, .svg or .png (or give --plot-format)"


def test_a_figure_name_of_no_figure_format_is_named_in_the_message():
    """Report audit: `suite report --plot results` said only "cannot write a suffix-less figure", not which file."""
    with pytest.raises(UserError) as err:
        plot_format("results")
    assert str(err.value) == "results: cannot write a suffix-less figure: name the file .pdf, .svg or .png"
