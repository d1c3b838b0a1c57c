"""The data layout of the LEGO paper's code, as numpy arrays.

Zhang et al.'s `generate_data(tokenizer, n_var, batch_size)` (github.com/
yizhangzzz/transformers-lego, lego_data.py) returns, for a batch of B
sentences of n variables:

- the tokenized sentences (we take the sentence strings instead, or nothing);
- `labels`, shape (B, n): the 0/1 value of every variable *in chain order*
  (column i is chain position i + 1, the root first);
- `clause_order` (their training loop calls it `order`), shape (B, n, n):
  one-hot, `order[b, j, i] = 1` when the j-th clause as written is the clause
  of chain position i + 1. We also accept its argmax, shape (B, n).

Their model gives one logit per clause in written order (`pred[:, 1:-3:5]`),
and the training loop reorders it to chain order with
`torch.bmm(order.permute(0, 2, 1), pred)` (`ordered_pred`), then
thresholds at 0. We take either: `predictions` of shape (B, n) (or (B, n, 1))
per clause in written order (`order="clause"`, the default) or in chain order
(`order="chain"`), as 0/1 integers or booleans, or as logits with
`logits=True` (value 1 where the logit is > 0, as the paper does; values
that all lie in [0, 1] are refused there as probabilities, which a threshold
at 0 would score wrongly). Torch tensors convert with `np.asarray(t.cpu())`;
nothing here imports torch.

On the command line the same arrays come as `.npz` files (numpy.savez):
`labels`, `order` (or `clause_order`), optionally `sentences` (strings) and,
for predictions, `pred` (written order) or `ordered_pred` (chain order). A
file holding both names of one array must give the same thing under both
(the same clause order; the same predictions, reordered): otherwise which
one is scored would be a silent guess, so it is refused with the first row
where they differ.

Without sentences, each row's sentence is rebuilt in the paper's token
syntax from the labels and the clause order, with variables named v1..vn
along the chain (names do not change a LEGO answer). With sentences, every
row is checked against its labels and clause order, so rows that are out of
step are refused with the row number rather than scored.
"""

from __future__ import annotations

import contextlib
import numbers
import os
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dsl.errors import UserError
from dsl.files import counted
from dsl.groups import Elem, get_group
from synth.report.counts import Count
from tasks.filekinds import NOT_NPZ
from tasks.lego.sentence import Clause, LegoRecord, Sentence
from tasks.lego.validate import Summary
from tasks.renamed import renamed_keyword

Z2 = get_group("Z2")
ORDERS = ("clause", "chain")
LABEL_FIELDS = ("labels",)
ORDER_FIELDS = ("order", "clause_order")
PREDICTION_FIELDS = {"pred": "clause", "ordered_pred": "chain"}


@dataclass(frozen=True, eq=False)
class PaperData:
    """Labels in chain order and the clause order of B sentences of n variables (see the module docstring).

    Iterating gives one LegoRecord per row, so a PaperData goes wherever
    records do: `synth.fit(data)`, `baseline.score(data)`.

    The constructor checks and normalizes what it is given, as `paper_data`
    does (that function is this constructor): `clause_order` may be the
    paper's one-hot (B, n, n) or its (B, n) argmax, `labels` 0/1 numbers or
    booleans (anything np.asarray takes), `sentences` a list of strings, one
    per row. A mistake is a UserError, never an IndexError later or a
    silently wrong score. The arrays kept are the checked copies (uint8
    labels, int64 chain indices), not the caller's.
    """

    labels: np.ndarray  # (B, n) uint8, chain order
    clause_order: np.ndarray  # (B, n) int: chain index of each written clause
    sentences: Sequence[str] | None = None  # a tuple of strings once constructed
    supervised: int | None = None  # label only the first K chain positions in the records (fit on the paper's first 6)
    source: str = "arrays"

    notation = "official"  # values are 0/1, as in the paper's token syntax

    def __eq__(self, other: object) -> bool:
        """The same arrays, sentences and supervision (a dataclass's == would ask numpy for one truth value of many)."""
        if not isinstance(other, PaperData):
            return NotImplemented
        return (np.array_equal(self.labels, other.labels) and np.array_equal(self.clause_order, other.clause_order)
                and (self.sentences, self.supervised, self.source) == (other.sentences, other.supervised, other.source))

    __hash__ = None  # type: ignore[assignment]  # holds arrays, as a list holds items: unhashable

    def __post_init__(self) -> None:
        if not isinstance(self.source, str):
            raise UserError(f"source must be a string naming where the arrays come from, not {type(self.source).__name__}")
        # Shapes first, values after: a small compressed .npz can hold arrays too large to scan (np.isin copies to int64).
        labels = _squeeze(_array(self.labels, "labels"), "labels")
        if labels.shape[1] == 0:
            raise UserError(f"labels: each sentence needs at least one variable (a column), not shape {labels.shape}")
        order = _array(self.clause_order, "clause_order")
        if _order_shape(order) != labels.shape:
            raise UserError(
                f"labels have shape {labels.shape} but the clause order {_order_shape(order)}: one row per sentence, one column per variable"
            )
        with fits_in_memory("labels", labels.shape):
            labels = _int01(labels, "labels")
        with fits_in_memory("clause_order", order.shape):
            order = order_indices(order)
        sentences = sentence_texts(self.sentences, labels.shape[0])
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "clause_order", order)
        object.__setattr__(self, "sentences", sentences)
        object.__setattr__(self, "supervised", check_supervised(self.supervised))
        if sentences is not None:
            _check_sentences(self)

    @property
    def supervise(self) -> int | None:
        """Old name of `supervised`, still read (with a DeprecationWarning)."""
        warnings.warn("PaperData.supervise is now spelled PaperData.supervised", DeprecationWarning, stacklevel=2)
        return self.supervised

    @property
    def shape(self) -> tuple[int, int]:
        return (int(self.labels.shape[0]), int(self.labels.shape[1]))

    def __len__(self) -> int:
        return self.shape[0]

    def __iter__(self) -> Iterator[LegoRecord]:
        return (self.record(b) for b in range(len(self)))

    def sentence(self, b: int) -> Sentence:
        """Row b's sentence: parsed from `sentences`, or rebuilt in written order with variables v1..vn."""
        if self.sentences is not None:
            from tasks.lego.syntax import parse_sentence

            return parse_sentence(self.sentences[b])[0]
        values = self.labels[b]
        clauses = []
        for c in self.clause_order[b].tolist():
            if c == 0:
                clauses.append(Clause("v1", Z2.elements[int(values[0])]))
            else:
                op = Z2.elements[int(values[c] != values[c - 1])]
                clauses.append(Clause(f"v{c + 1}", op, f"v{c}"))
        return Sentence(Z2, tuple(clauses))

    def chain_variables(self, b: int, sentence: Sentence | None = None) -> list[str]:
        """Row b's variables in chain order."""
        s = sentence or self.sentence(b)
        out = [""] * self.shape[1]
        for j, c in enumerate(self.clause_order[b].tolist()):
            out[c] = s.clauses[j].lhs
        return out

    def record(self, b: int) -> LegoRecord:
        s = self.sentence(b)
        names = self.chain_variables(b, s)
        k = self.shape[1] if self.supervised is None else min(self.supervised, self.shape[1])
        labels = {names[i]: Z2.elements[int(self.labels[b, i])] for i in range(k)}
        return LegoRecord(s, labels, str(b + 1))


# The constructor's old keyword, as paper_data's: PaperData(..., supervise=K) still works, with a DeprecationWarning.
PaperData.__init__ = renamed_keyword("supervise", "supervised", "PaperData")(PaperData.__init__)  # type: ignore[method-assign]


def check_supervised(supervised: Any) -> int | None:
    """The number of supervised chain positions: None (all) or a whole number >= 0, refused here rather than deep in a fit."""
    if supervised is None:
        return None
    if isinstance(supervised, bool) or not isinstance(supervised, numbers.Integral):
        raise UserError(f"supervised must be a whole number of chain positions (or None for all), not {type(supervised).__name__} {supervised!r}")
    if supervised < 0:
        raise UserError(f"supervised must be >= 0, not {supervised}")
    return int(supervised)


def too_large(name: str, shape: tuple[int, ...] | None) -> UserError:
    """The error for an array this machine cannot hold, with its shape where known (the user can tell a wrong one)."""
    size = "" if shape is None else f" ({' x '.join(f'{d:,}' for d in shape)})"
    return UserError(f"the array {name!r}{size} does not fit in memory")


@contextlib.contextmanager
def fits_in_memory(name: str, shape: tuple[int, ...] | None) -> Iterator[None]:
    """A MemoryError while checking one array as a UserError naming it: a small compressed .npz can hold a huge array."""
    try:
        yield
    except MemoryError:
        raise too_large(name, shape) from None


def _int01(array: np.ndarray, what: str, logits: bool = False, predictions: bool = False) -> np.ndarray:
    """0/1 values as uint8: booleans, integers 0/1, floats that are exactly 0/1, or logits thresholded at 0.

    A NaN is named first, wherever it is: it is no value at all, and a
    message about another cell would hide it. For `predictions` of other
    floats the message says what to do, which depends on the values: all in
    [0, 1] look like probabilities, for which a threshold at 0 would be
    wrong; values outside look like logits. So probabilities given with
    `logits=True` are refused too: thresholded at 0 they would score every
    probability above 0 as 1, a wrong score with no word. Labels and clause
    orders get no such hint: logits=True does not apply to them.
    """
    if logits and array.dtype.kind not in "fiu":
        raise UserError(f"{what}: logits must be numbers, not {array.dtype}")
    if array.dtype.kind == "f" and np.isnan(array).any():
        raise UserError(_nan_message(array, what, logits, predictions))
    if logits:
        if array.dtype.kind == "f" and _probabilities(array):
            bad = _first(~np.isin(array, (0, 1)))
            raise UserError(
                f"{what}: logit {array[bad].item()!r} at {_at(bad)}: every value lies in [0, 1], so these look like probabilities, "
                "and logits=True / --logits thresholds at 0, which reads every probability above 0 as 1; "
                "threshold them yourself and pass the 0/1 answers without logits=True / --logits, e.g. pred = probs > 0.5 "
                "(logits that really all lie in [0, 1]: pred = logits > 0)"
            )
        return (array > 0).astype(np.uint8)
    if array.dtype.kind == "b":
        return array.astype(np.uint8)
    if array.dtype.kind in "iuf":
        ok = np.isin(array, (0, 1))
        if not ok.all():
            bad = _first(~ok)
            hint = _float_hint(array) if predictions and array.dtype.kind == "f" else ""
            raise UserError(f"{what}: value {array[bad].item()!r} at {_at(bad)} is not 0 or 1{hint}")
        return array.astype(np.uint8)
    raise UserError(f"{what}: expected 0/1 numbers or booleans, not {array.dtype}")


def _first(mask: np.ndarray) -> tuple[int, ...]:
    """The index of the first True cell of `mask` (row-major), as plain ints."""
    return tuple(int(x) for x in np.argwhere(mask)[0])


def _at(index: tuple[int, ...]) -> str:
    """A cell named 1-based, as the scorer names rows: row and column, and for a one-hot order (B, n, n) the clause too."""
    if len(index) == 3:
        return f"row {index[0] + 1}, clause {index[1] + 1}, column {index[2] + 1}"
    return f"row {index[0] + 1}" + (f", column {index[1] + 1}" if len(index) > 1 else "")


def _nan_message(array: np.ndarray, what: str, logits: bool, predictions: bool) -> str:
    """The first NaN named, and for predictions what the other values look like (probabilities or logits)."""
    bad = _at(_first(np.isnan(array)))
    if not predictions:
        return f"{what}: value nan at {bad} is not 0 or 1"
    head = f"{what}: logit nan at {bad}: a NaN is neither side of 0" if logits else f"{what}: value nan at {bad}: a NaN is no prediction"
    rest = array[~np.isnan(array)]
    if not rest.size or np.isin(rest, (0, 1)).all():
        return head
    if _probabilities(rest):
        return f"{head}; the other values {PROBABILITIES}"
    return head if logits else f"{head}; the other values {LOGITS}"


PROBABILITIES = (
    "look like probabilities, all in [0, 1]: threshold them yourself, e.g. pred = probs > 0.5; "
    "logits=True / --logits thresholds at 0, which reads every probability above 0 as 1"
)
LOGITS = "look like logits: pass logits=True / --logits to threshold at 0 as the paper does"


def _probabilities(array: np.ndarray) -> bool:
    """Every value in [0, 1] and not every value 0 or 1: what a model's probabilities look like (and its 0/1 answers do not)."""
    return bool(((array >= 0) & (array <= 1)).all() and not np.isin(array, (0, 1)).all())


def _float_hint(array: np.ndarray) -> str:
    """What float predictions that are not 0/1 (and not NaN) probably are, and how to pass them: probabilities or logits."""
    if ((array >= 0) & (array <= 1)).all():
        return f" (these {PROBABILITIES})"
    return " (logits? pass logits=True / --logits to threshold at 0 as the paper does)"


def _squeeze(array: np.ndarray, what: str) -> np.ndarray:
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim != 2:
        raise UserError(f"{what}: expected shape (sentences, variables), not {array.shape}")
    return array


def _order_shape(order: np.ndarray) -> tuple[int, int]:
    """The (B, n) a clause order stands for, from its shape alone (no value read), so a mismatch is refused before any scan."""
    if order.ndim in (2, 3) and order.shape[-1] == 0:
        raise UserError(f"clause order: each sentence needs at least one clause, not shape {order.shape}")
    if order.ndim == 3 and order.shape[1] != order.shape[2]:
        raise UserError(f"clause order: a one-hot order has shape (B, n, n), not {order.shape}")
    if order.ndim not in (2, 3):
        raise UserError(f"clause order: expected (B, n, n) one-hot or (B, n) integer indices, not {order.shape} {order.dtype}")
    return (int(order.shape[0]), int(order.shape[1]))


def order_indices(clause_order: Any) -> np.ndarray:
    """The clause order as (B, n) chain indices, from the paper's one-hot (B, n, n) or already as indices."""
    order = _array(clause_order, "clause_order")
    _order_shape(order)
    if order.ndim == 3:
        hot = _int01(order, "clause order")
        if not ((hot.sum(axis=2) == 1).all() and (hot.sum(axis=1) == 1).all()):
            row = int(np.argwhere((hot.sum(axis=2) != 1).any(axis=1) | (hot.sum(axis=1) != 1).any(axis=1))[0][0])
            raise UserError(f"clause order: row {row + 1} is not a permutation matrix (one 1 in each row and column)")
        order = hot.argmax(axis=2)
    if order.ndim != 2 or order.dtype.kind not in "iu":
        raise UserError(f"clause order: expected (B, n, n) one-hot or (B, n) integer indices, not {order.shape} {order.dtype}")
    n = order.shape[1]
    if not (np.sort(order, axis=1) == np.arange(n)).all():
        row = int(np.argwhere((np.sort(order, axis=1) != np.arange(n)).any(axis=1))[0][0])
        raise UserError(f"clause order: row {row + 1} is not a permutation of 0..{n - 1}")
    return order.astype(np.int64)


@renamed_keyword("supervise", "supervised")
def paper_data(
    labels: Any,
    clause_order: Any,
    sentences: Sequence[str] | None = None,
    *,
    supervised: int | None = None,
    source: str = "arrays",
) -> PaperData:
    """Wrap the paper's arrays (numpy, or anything np.asarray takes: lists, CPU torch tensors), checked.

    With `sentences` (a list of strings, one per row), each row's sentence
    must have the clause order and values the arrays say; a row that does
    not is a UserError naming it. The same as `PaperData(...)`.
    """
    return PaperData(labels, clause_order, sentences, supervised, source)


def sentence_texts(sentences: Any, rows: int) -> tuple[str, ...] | None:
    """`sentences` as a tuple of `rows` strings (bytes read as UTF-8), or None; anything else is a UserError naming it.

    One string is refused rather than taken letter by letter (or guessed to
    be one row's sentence: with one row that guess would be right, with more
    it would say "1 sentence for B rows" about what was a mistake of type).
    """
    if sentences is None:
        return None
    if isinstance(sentences, (str, bytes)):
        raise UserError(f"sentences must be a list of strings, one per row of labels, not one {type(sentences).__name__}: sentences=[sentence]")
    if isinstance(sentences, np.ndarray):
        if sentences.ndim != 1:
            raise UserError(f"sentences must be a list of strings, one per row of labels, not an array of shape {sentences.shape}")
        items = sentences.tolist()
    elif isinstance(sentences, Iterable) and not isinstance(sentences, Mapping):
        items = list(sentences)
    else:
        raise UserError(f"sentences must be a list of strings, one per row of labels, not {type(sentences).__name__}")
    out = []
    for k, item in enumerate(items, 1):
        if isinstance(item, bytes):
            try:
                item = item.decode("utf-8")
            except UnicodeDecodeError:
                raise UserError(f"sentences: item {k} is bytes that are not UTF-8") from None
        if not isinstance(item, str):
            raise UserError(f"sentences: item {k} is {type(item).__name__} {item!r}, not a string")
        out.append(item)
    if len(out) != rows:
        raise UserError(f"{counted(len(out), 'sentence')} for {counted(rows, 'row')} of labels: one sentence per row")
    return tuple(out)


def _check_sentences(data: PaperData) -> None:
    from tasks.lego.solve import depths, solve

    for b in range(len(data)):
        where = f"{data.source}: row {b + 1}"
        try:
            s = data.sentence(b)
            d = depths(s)
            values = solve(s)
        except UserError as err:
            raise UserError(f"{where}: {err.message}") from None
        if s.group.name != "Z2":  # its element indices would pass for 0/1 labels, and be scored as such
            raise UserError(f"{where}: a sentence over {s.group.name}; the paper's arrays are about Z2 sentences (labels 0/1)")
        if len(s) != data.shape[1]:
            raise UserError(f"{where}: the sentence has {len(s)} clauses, the arrays {data.shape[1]} columns")
        for j, c in enumerate(data.clause_order[b].tolist()):
            var = s.clauses[j].lhs
            if d[var] != c + 1:
                raise UserError(
                    f"{where}: clause {j + 1} ({var}) is at chain position {d[var]}, but the clause order says {c + 1} "
                    "(are sentences and arrays in the same order?)"
                )
            if values[var].index != int(data.labels[b, c]):
                raise UserError(f"{where}: {var} = {values[var].index} in the sentence, but labels[{b}, {c}] = {data.labels[b, c]}")


def _array(value: Any, what: str) -> np.ndarray:
    """np.asarray of a user's array, list or tensor; rows of different lengths (numpy's ValueError) said as such.

    What numpy cannot read as an array at all (a generator, None) becomes a 0-d object array: named by its type.
    """
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as err:
        raise UserError(f"{what}: not a rectangular array (rows of different lengths?): {err}") from None
    if array.ndim == 0 and array.dtype == object:
        raise UserError(f"{what}: expected an array, not {type(value).__name__} (a numpy array, a tensor or a list of rows)")
    return array


def load_npz(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """The arrays of an .npz file (no pickled objects); UserError on a file numpy cannot read."""
    name = os.fspath(path)
    try:
        loaded = np.load(name, allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):  # one .npy array: no names to find labels and order by
            raise UserError("a single numpy array (.npy), not an .npz of named arrays (numpy.savez writes those)", file=name)
        with loaded as z:
            return {k: _member(z, k, name) for k in z.files}
    except OSError as err:
        raise UserError(f"cannot read: {err.strerror or err}", file=name) from None
    except (ValueError, EOFError, zipfile.BadZipFile) as err:  # empty, cut short or damaged
        if not _numpy_magic(name):  # text or another binary: numpy's guess (a pickle) would mislead
            raise UserError(NOT_NPZ, file=name) from None
        raise UserError(f"not a readable numpy .npz file without pickled objects ({err or 'empty'})", file=name) from None


def _member(z: np.lib.npyio.NpzFile, key: str, file: str) -> np.ndarray:
    """One array of an .npz; a MemoryError (the header may declare any size, the compressed file be small) names it and its shape."""
    try:
        return z[key]
    except MemoryError:
        raise too_large(key, _stored_shape(z, key)).located(file) from None


def _stored_shape(z: np.lib.npyio.NpzFile, key: str) -> tuple[int, ...] | None:
    """The shape an .npz member's header declares, read without its data; None where the header cannot be read."""
    fmt = np.lib.format
    readers = {(1, 0): fmt.read_array_header_1_0, (2, 0): fmt.read_array_header_2_0}
    if z.zip is None:  # closed
        return None
    for member in (f"{key}.npy", key):
        try:
            with z.zip.open(member) as f:
                read = readers.get(fmt.read_magic(f))
                return None if read is None else tuple(int(d) for d in read(f)[0])
        except (KeyError, OSError, ValueError, zipfile.BadZipFile):
            continue
    return None


def _numpy_magic(name: str) -> bool:
    """Whether a file is empty or starts as a zip (.npz) or an .npy array does."""
    try:
        with open(name, "rb") as f:
            head = f.read(6)
    except OSError:
        return True  # unreadable now: numpy's own reason stands
    return not head or head.startswith((b"PK", b"\x93NUMPY"))


def _field(arrays: dict[str, np.ndarray], names: Sequence[str], file: str, what: str) -> np.ndarray:
    for n in names:
        if n in arrays:
            return arrays[n]
    raise UserError(f"no {what} array (expected one named {' or '.join(names)}; found: {', '.join(sorted(arrays)) or 'none'})", file=file)


@renamed_keyword("supervise", "supervised")
def read_paper_npz(path: str | os.PathLike, supervised: int | None = None) -> PaperData:
    """PaperData from an .npz holding `labels`, `order` (or `clause_order`) and optionally `sentences`."""
    file = os.fspath(path)
    arrays = load_npz(file)
    labels = _field(arrays, LABEL_FIELDS, file, "labels")
    order = _field(arrays, ORDER_FIELDS, file, "clause order")
    if all(name in arrays for name in ORDER_FIELDS):
        _refuse_disagreeing_orders(arrays, file)
    try:
        sentences = arrays.get("sentences")
        return paper_data(labels, order, None if sentences is None else sentences.tolist(), supervised=supervised, source=file)
    except UserError as err:
        raise UserError(err.message if err.message.startswith(file) else f"{file}: {err.message}") from None
    except MemoryError:  # past the checks that name one array (the sentences, say): still the file, not a traceback
        raise UserError("its arrays do not fit in memory", file=file) from None


def _refuse_disagreeing_orders(arrays: dict[str, np.ndarray], file: str) -> None:
    """`order` and `clause_order` are two names of one array: both in a file must say the same, or which is meant is a guess."""
    first, second = ORDER_FIELDS
    try:
        shapes = _order_shape(arrays[first]), _order_shape(arrays[second])
        if shapes[0] != shapes[1]:  # before the values are scanned, as in PaperData
            raise UserError(f"both {first} {shapes[0]} and {second} {shapes[1]}, of different shapes: give one")
        with fits_in_memory(first, arrays[first].shape):
            a = order_indices(arrays[first])
        with fits_in_memory(second, arrays[second].shape):
            b = order_indices(arrays[second])
    except UserError as err:
        raise UserError(f"{file}: {err.message}") from None
    differ = np.argwhere((a != b).any(axis=1))
    if differ.size:
        raise UserError(f"{file}: both {first} and {second}, and they differ at row {int(differ[0][0]) + 1}: give one")


def read_prediction_npz(path: str | os.PathLike, *, logits: bool = False) -> tuple[np.ndarray, str]:
    """(predictions (B, n) uint8, order) from an .npz holding `pred` (written order) or `ordered_pred` (chain order).

    A file holding both gives the first (`pred`); `read_prediction_arrays`
    gives both, for a reader that checks they agree (they are in different
    orders, so only the data's clause order can tell).
    """
    return read_prediction_arrays(path, logits=logits)[0]


def read_prediction_arrays(path: str | os.PathLike, *, logits: bool = False) -> list[tuple[np.ndarray, str]]:
    """Every predictions array of an .npz as (predictions (B, n) uint8, order): `pred` (written order), then `ordered_pred` (chain order).

    Two arrays must have one shape (the same predictions in two orders).
    """
    file = os.fspath(path)
    arrays = load_npz(file)
    found = [(name, _squeeze(arrays[name], f"{file}: {name}"), order) for name, order in PREDICTION_FIELDS.items() if name in arrays]
    if not found:
        raise UserError(f"no predictions array (expected pred or ordered_pred; found: {', '.join(sorted(arrays)) or 'none'})", file=file)
    if len(found) == 2 and found[0][1].shape != found[1][1].shape:
        raise UserError(f"both pred {found[0][1].shape} and ordered_pred {found[1][1].shape}, of different shapes: give one", file=file)
    return [(_predictions01(array, name, file, logits), order) for name, array, order in found]


def _predictions01(array: np.ndarray, name: str, file: str, logits: bool) -> np.ndarray:
    """One predictions array of an .npz as 0/1; a MemoryError of scanning it names the file and the array, not numpy's traceback."""
    try:
        return _int01(array, f"{file}: {name}", logits, predictions=True)
    except MemoryError:
        raise too_large(name, array.shape).located(file) from None


def check_order(order: Any) -> str:
    """`order` if it names a layout of ORDERS; a misspelling is refused, since both layouts have one shape and dtype."""
    if not isinstance(order, str) or order not in ORDERS:
        raise UserError(f"order {order!r}: choose clause (as written, the model's pred) or chain (ordered_pred)")
    return order


def to_chain_order(data: PaperData, predictions: Any, order: str = "clause", logits: bool = False, what: str = "predictions") -> np.ndarray:
    """Predictions as (B, n) uint8 in chain order, checked against the data's shape."""
    check_order(order)
    p = _squeeze(_array(predictions, what), what)
    if p.shape != data.shape:  # before the values are scanned: a wrong shape can be far too large to scan
        raise UserError(f"{what} have shape {p.shape}, the data {data.shape}: one row per sentence, one column per clause")
    p = _int01(p, what, logits, predictions=True)
    if order == "chain":
        return p
    out = np.empty_like(p)
    np.put_along_axis(out, data.clause_order, p, axis=1)
    return out


def from_chain_order(data: PaperData, chain: np.ndarray, order: str = "clause") -> np.ndarray:
    """The inverse of `to_chain_order`: per clause as written (`clause`) or left in chain order."""
    check_order(order)
    if order == "chain":
        return chain
    return np.take_along_axis(chain, data.clause_order, axis=1)


def prediction_dicts(data: PaperData, chain: np.ndarray) -> Iterator[dict[str, Elem]]:
    """One {variable: element} per row, from predictions in chain order (for the record-based scorers)."""
    elems = Z2.elements
    for b in range(len(data)):
        names = data.chain_variables(b)
        yield {v: elems[int(x)] for v, x in zip(names, chain[b].tolist())}


def count_cells(data: PaperData, chain: np.ndarray, scored: int | None = None) -> tuple[list[Count], Count]:
    """Per chain position counts and whole-sentence counts, vectorized (every label, or the first `scored`)."""
    k = data.shape[1] if scored is None else min(scored, data.shape[1])
    right = chain[:, :k] == data.labels[:, :k]
    per_position = [Count(int(right[:, i].sum()), len(data)) for i in range(k)]
    return per_position, Count(int(right.all(axis=1).sum()), len(data))


def summarise_npz(path: str) -> Summary:
    """`synth validate`'s summary of an .npz of the paper's arrays, read as `synth eval` reads it; errors go in the summary."""
    summary = Summary(path, format="npz")
    data = None
    try:
        data = read_paper_npz(path)
        rows, n = data.shape
        if rows == 0:
            raise UserError(f"no records in {path} (the arrays have no rows)")
        for record in data:  # builds and checks every row's sentence, as scoring would
            summary.records += 1
            summary.labelled += len(record.labels)
        summary.variables = rows * n
        summary.lengths[n] += rows
        summary.groups[Z2.name] += rows
        summary.syntaxes["official"] += rows  # given, or rebuilt from the arrays in the paper's token syntax
    except UserError as err:
        summary.errors.append(err)
    except MemoryError:  # the arrays fit, their rows as sentences (an object per clause) need far more
        what = "its arrays" if data is None else f"its rows as sentences ({data.shape[0]:,} x {data.shape[1]:,})"
        summary.errors.append(UserError(f"{what} do not fit in memory", file=path))
    return summary
