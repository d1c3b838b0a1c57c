"""Keyword arguments of the public API that were renamed, still read under their old names.

Users' scripts written against an old spelling keep working, with a
DeprecationWarning that names the new one, so they can be updated at leisure.
"""

from __future__ import annotations

import functools
import warnings
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def renamed_keyword(old: str, new: str, name: str | None = None) -> Callable[[F], F]:
    """Decorator: `old=` is read as `new=` with a DeprecationWarning; giving both is a TypeError, as for any argument given twice.

    `name` is the callable's name in the messages (a class's, for its `__init__`); default the function's own.
    """

    def wrap(func: F) -> F:
        @functools.wraps(func)
        def call(*args: Any, **kwargs: Any) -> Any:
            called = name or func.__name__
            if old in kwargs:
                if new in kwargs:
                    raise TypeError(f"{called}() got both {new}= and {old}=, its old spelling: give {new}= only")
                warnings.warn(f"{called}(): {old}= is now spelled {new}=", DeprecationWarning, stacklevel=2)
                kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        return call  # type: ignore[return-value]

    return wrap
