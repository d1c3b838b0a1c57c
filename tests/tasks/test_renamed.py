"""The public API's `supervise=` is spelled `supervised=` (as the CLI's --supervised K); the old keyword still works, with a warning."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from dsl.errors import UserError
from synth.report.paper import paper_data, read_paper_npz
from tasks.lego.generate import generate, iter_generate


def _labelled(records) -> list[int]:
    return [len(r.labels) for r in records]


def test_generate_takes_supervised() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _labelled(generate(8, 3, 0, supervised=5)) == [5, 5, 5]
        assert _labelled(iter_generate(8, 3, 0, supervised=2)) == [2, 2, 2]


@pytest.mark.parametrize("make", [generate, iter_generate])
def test_old_keyword_warns_and_gives_the_same_records(make) -> None:
    with pytest.warns(DeprecationWarning, match="supervised="):
        old = list(make(8, 4, 3, supervise=5))
    assert old == list(make(8, 4, 3, supervised=5))


@pytest.mark.parametrize("make", [generate, iter_generate])
def test_both_spellings_is_a_type_error(make) -> None:
    with pytest.raises(TypeError, match="supervise"):
        list(make(8, 4, 3, supervised=5, supervise=5))


def _arrays() -> tuple[np.ndarray, np.ndarray]:
    labels = np.array([[1, 0, 0, 1], [0, 0, 1, 1]], dtype=np.uint8)
    order = np.array([[2, 0, 3, 1], [0, 1, 2, 3]])
    return labels, order


def test_paper_data_renamed(tmp_path) -> None:
    labels, order = _arrays()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = paper_data(labels, order, supervised=2)
    assert data.supervised == 2 and _labelled(data) == [2, 2]
    with pytest.warns(DeprecationWarning, match="supervised="):
        assert list(paper_data(labels, order, supervise=2)) == list(data)
    with pytest.raises(TypeError):
        paper_data(labels, order, supervise=2, supervised=2)
    path = tmp_path / "d.npz"
    np.savez(path, labels=labels, order=order)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _labelled(read_paper_npz(path, supervised=3)) == [3, 3]
    with pytest.warns(DeprecationWarning, match="supervised="):
        assert _labelled(read_paper_npz(path, supervise=3)) == [3, 3]
    with pytest.raises(TypeError):
        read_paper_npz(path, supervise=3, supervised=3)


def test_warning_points_at_the_caller() -> None:
    with pytest.warns(DeprecationWarning) as seen:
        generate(4, 1, 0, supervise=1)
    assert seen[0].filename == __file__


def test_a_negative_count_is_refused_in_the_library_s_own_words() -> None:
    with pytest.raises(UserError, match=r"^supervised must be a whole number >= 0, not int -1$"):  # not the CLI's --supervised
        generate(4, 2, 0, supervised=-1)
